"""ipolens: an IPO research workbench for the hard-tech listing wave (HKEX incl. Chapter 18C, SSE STAR, Nasdaq).

    import ipolens
    db = ipolens.open()            # the ledger, with the embedded dataset loaded on first use
    db.ipo("6082.HK")              # a profile: deal, first day, valuation, fundamentals, each value with its source
    db.ipos(market="HK", year=2020)  # a pandas DataFrame

Heavy modules load on first use so that ``import ipolens`` stays cheap.
"""
from __future__ import annotations

__version__ = "0.1.0"
__all__ = ["open", "Database", "__version__"]


def open(path=None):  # noqa: A001 - the public name users type
    """The ledger as a ``Database`` (``path``: a file, ``":memory:"``, or None for $IPOLENS_HOME / the user data
    directory). Reads use short read-only connections, so this works while ``ipolens serve`` runs."""
    from .api import open_database

    return open_database(path)


def __getattr__(name):
    if name == "Database":
        from .api import Database

        return Database
    raise AttributeError(f"module 'ipolens' has no attribute {name!r}")
