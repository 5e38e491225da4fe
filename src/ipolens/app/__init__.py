"""The application layer: one function per use case, each taking plain arguments and a ``Store`` and returning a
typed result with ``to_dict()``. The CLI, the web API and the Python API call only this layer.
"""
