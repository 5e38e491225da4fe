"""Replay transport for vendors that answer JSON (edgartools calls recorded as JSON, HKEXnews feeds) or text
(announcements): ``transport(function, **kwargs)`` answered from recorded files, as ``replay.ReplayTransport`` does
for DataFrames. A JSON recording may carry a top-level ``"_doc"`` string citing the documented layout; it is kept
out of the payload."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Callable, Mapping

__all__ = ["load_json_recording", "JsonReplayTransport"]


def load_json_recording(path: str | Path) -> Any:
    """The payload recorded in ``path``: parsed JSON for ``.json``, the text itself otherwise."""
    p = Path(path)
    text = p.read_text(encoding="utf-8")
    if p.suffix.lower() != ".json":
        return text
    data = json.loads(text)
    if isinstance(data, dict):
        data = {k: v for k, v in data.items() if k != "_doc"}
    return data


class JsonReplayTransport:
    """``recordings``: function name -> path, or a callable choosing the path from (function, kwargs)."""

    def __init__(self, recordings: Mapping[str, str | Path] | Callable[[str, dict], str | Path]):
        self.recordings = recordings
        self.calls: list[tuple[str, dict]] = []

    def __call__(self, function: str, **kwargs: Any) -> Any:
        self.calls.append((function, dict(kwargs)))
        path = self.recordings(function, kwargs) if callable(self.recordings) else self.recordings.get(function)
        if path is None:
            raise LookupError(f"no recording for {function}({kwargs})")
        return load_json_recording(path)
