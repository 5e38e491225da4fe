"""Replay transport: answer vendor calls from recorded CSV files instead of the network.

Used by the test suite (every fetcher's conformance test runs on a recorded fixture) and usable for offline demos.
A recording is the vendor's DataFrame saved with ``to_csv``; leading ``#`` lines cite where its layout is
documented and are skipped on load.
"""
from __future__ import annotations

import io
from pathlib import Path
from typing import Any, Callable, Mapping

__all__ = ["load_recording", "ReplayTransport"]

# A recording whose first column is one of these is indexed by it, as yfinance returns its frames.
_INDEX_COLUMNS = ("Date", "Datetime", "Symbol")


def load_recording(path: str | Path):
    """The DataFrame recorded in ``path`` (codes kept as text, so 06082 stays 06082)."""
    import pandas as pd

    lines = Path(path).read_text(encoding="utf-8").splitlines()
    body = "\n".join(line for line in lines if not line.startswith("#"))
    df = pd.read_csv(io.StringIO(body), dtype={c: str for c in ("股票代码", "证券代码", "代码", "Symbol")})
    if len(df.columns) and df.columns[0] in _INDEX_COLUMNS:
        first = df.columns[0]
        if first != "Symbol":
            df[first] = pd.to_datetime(df[first], utc=False)
        df = df.set_index(first)
    return df


class ReplayTransport:
    """``transport(function, **kwargs)`` answered from ``recordings``: a mapping from a function name, or from a
    ``(function, symbol)`` pair, to a recording path; or a callable choosing the path from (function, kwargs)."""

    def __init__(self, recordings: Mapping[Any, str | Path] | Callable[[str, dict], str | Path]):
        self.recordings = recordings
        self.calls: list[tuple[str, dict]] = []

    def __call__(self, function: str, **kwargs: Any):
        self.calls.append((function, dict(kwargs)))
        if callable(self.recordings):
            path = self.recordings(function, kwargs)
        else:
            key = (function, kwargs.get("symbol"))
            path = self.recordings.get(key) or self.recordings.get(function)
        if path is None:
            raise LookupError(f"no recording for {function}({kwargs})")
        return load_recording(path)
