"""The alphanumeric projection of a text: its letters and digits lower-cased, spaces and punctuation dropped, with a
map from each projected character back to its offset in the text.

Apart from gazetteer.py because it is plain text bookkeeping: the gazetteer matches names on the projection and
maps the hits back through ``_Runs``.
"""
from __future__ import annotations

import bisect
import re
from itertools import accumulate

_ALNUM_RUN = re.compile(r"[^\W_]+")  # \w less _ is exactly str.isalnum
_SEPARATORS = re.compile(r"([\W_]+)")  # what lies between two runs (kept by the split)


class _Runs:
    """Offsets in the text of a projection's characters: one entry per alphanumeric run, found by bisection."""

    def __init__(self, proj_starts: list[int], text_starts: list[int], length: int):
        self.proj_starts = proj_starts
        self.text_starts = text_starts
        self._len = length

    def at(self, p: int) -> int:
        k = bisect.bisect_right(self.proj_starts, p) - 1
        return self.text_starts[k] + (p - self.proj_starts[k])

    def __getitem__(self, p: int) -> int:
        return self.at(p)

    def __len__(self) -> int:
        return self._len


def _project(text: str) -> tuple[str, _Runs]:
    """Lower-cased alphanumeric characters of ``text`` and the map of each to its offset in ``text``."""
    # str.lower is per character but for the final sigma (it reads the neighbours) and for a few characters whose
    # lower case is longer: then lower each run on its own, as the runs are defined
    if "\u03a3" in text or len(text.lower()) != len(text):
        return _project_by_run(text, [m.span() for m in _ALNUM_RUN.finditer(text)])
    # the runs and the separators between them, split in C: pieces alternate run, separator, run ... (a run at either
    # end may be empty)
    pieces = _SEPARATORS.split(text)
    lengths = list(map(len, pieces))
    offsets = list(accumulate(lengths, initial=0))
    runs, run_lengths, text_starts = pieces[0::2], lengths[0::2], offsets[0:-1:2]
    if runs and not runs[-1]:
        runs, run_lengths, text_starts = runs[:-1], run_lengths[:-1], text_starts[:-1]
    if runs and not runs[0]:
        runs, run_lengths, text_starts = runs[1:], run_lengths[1:], text_starts[1:]
    proj_starts = list(accumulate(run_lengths, initial=0))
    return "".join(runs).lower(), _Runs(proj_starts[:-1], text_starts, proj_starts[-1])


def _project_by_run(text: str, spans: list[tuple[int, int]]) -> tuple[str, _Runs]:
    chars: list[str] = []
    proj_starts: list[int] = []
    text_starts: list[int] = []
    p = 0
    for start, end in spans:
        run = text[start:end]
        low = run.lower()
        if len(low) != len(run):  # case folding changes length: one character at a time
            for i, ch in enumerate(run, start):
                proj_starts.append(p)
                text_starts.append(i)
                chars.append(ch.lower()[:1])
                p += 1
            continue
        proj_starts.append(p)
        text_starts.append(start)
        chars.append(low)
        p += len(low)
    return "".join(chars), _Runs(proj_starts, text_starts, p)
