"""Position indexes over one normalised text, so linking a figure to its line, names and dates costs a binary search
instead of a scan of everything before it (a long text would otherwise cost the square of its length)."""
from __future__ import annotations

import bisect
import re
from typing import Callable, Iterator, Mapping, Sequence

__all__ = ["Lines", "MentionIndex", "starts_between", "first_last_year"]


class Lines:
    """Newline positions of ``text``: ``text.rfind('\\n', 0, pos)`` and ``text.find('\\n', pos)`` by bisection."""

    def __init__(self, text: str, promo: re.Pattern | None = None):
        self.text = text
        self.newlines = [m.start() for m in re.finditer("\n", text)]
        self._promo = promo
        self._promo_seen: dict[int, bool] = {}

    def start(self, pos: int) -> int:
        """Offset of the first character of the line holding ``pos`` (after the last newline before ``pos``)."""
        i = bisect.bisect_left(self.newlines, pos)
        return self.newlines[i - 1] + 1 if i else 0

    def next_newline(self, pos: int) -> int:
        """Offset of the first newline at or after ``pos``, -1 when there is none."""
        i = bisect.bisect_left(self.newlines, pos)
        return self.newlines[i] if i < len(self.newlines) else -1

    def promotional(self, pos: int) -> bool:
        """Whether the line holding ``pos`` (up to the next newline) matches the promotion pattern; once per line."""
        s = self.start(pos)
        hit = self._promo_seen.get(s)
        if hit is None:
            e = self.next_newline(pos)
            hit = self._promo_seen[s] = bool(self._promo.search(self.text, s, e if e >= 0 else len(self.text)))
        return hit


def starts_between(starts: Sequence[int], lo: int, hi: int) -> range:
    """Indexes of the items whose start lies in [lo, hi) (``starts`` ascending)."""
    return range(bisect.bisect_left(starts, lo), bisect.bisect_left(starts, hi))


class MentionIndex:
    """Entity mentions (ascending start) with their starts, the mentions of each key prefix, and each key's earliest
    end, for the lookups of ``extract._entity_for``."""

    def __init__(self, mentions: list, prefixes: Sequence[str] = (), groups: Mapping[str, Callable] | None = None):
        self.items = mentions
        self.starts = [m.start for m in mentions]
        self.prefixed = {p: [m for m in mentions if m.key.startswith(p)] for p in prefixes}
        self.prefixed_starts = {p: [m.start for m in ms] for p, ms in self.prefixed.items()}
        # named subsets (a predicate on the mention), for ``last``
        self.groups = {g: [m for m in mentions if keep(m)] for g, keep in (groups or {}).items()}
        self.group_starts = {g: [m.start for m in ms] for g, ms in self.groups.items()}
        self.first_end: dict[str, int] = {}
        self.key_starts: dict[str, list[int]] = {}  # each key's mention starts, for ``names``
        for m in mentions:
            if m.end < self.first_end.get(m.key, m.end + 1):
                self.first_end[m.key] = m.end
            self.key_starts.setdefault(m.key, []).append(m.start)

    def __iter__(self):
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def backward(self, lo: int, hi: int, prefix: str | None = None) -> Iterator:
        """Mentions starting in [lo, hi), last first (optionally only those whose key starts with ``prefix``)."""
        items = self.items if prefix is None else self.prefixed[prefix]
        starts = self.starts if prefix is None else self.prefixed_starts[prefix]
        for i in reversed(starts_between(starts, lo, hi)):
            yield items[i]

    def forward(self, lo: int, prefix: str | None = None) -> Iterator:
        """Mentions starting after ``lo``, first first (optionally only those of a key prefix)."""
        items = self.items if prefix is None else self.prefixed[prefix]
        starts = self.starts if prefix is None else self.prefixed_starts[prefix]
        for i in range(bisect.bisect_right(starts, lo), len(items)):
            yield items[i]

    def last(self, group: str, lo: int, pos: int):
        """The last mention of ``group`` that starts at or after ``lo`` and ends by ``pos`` (None if none). Steps back
        only over the mentions that straddle ``pos``, so the cost does not grow with the text."""
        items, starts = self.groups[group], self.group_starts[group]
        i = bisect.bisect_left(starts, pos) - 1
        while i >= 0 and starts[i] >= lo:
            if items[i].end <= pos:
                return items[i]
            i -= 1
        return None

    def names(self, key: str, lo: int, hi: int) -> bool:
        """Whether a mention of ``key`` starts in [lo, hi): a bisection into that key's starts (a walk over every
        mention of a long paragraph, once per figure, would be quadratic)."""
        starts = self.key_starts.get(key, ())
        i = bisect.bisect_left(starts, lo)
        return i < len(starts) and starts[i] < hi

    def between(self, lo: int, hi: int) -> list:
        return [self.items[i] for i in starts_between(self.starts, lo, hi)]


# the last list of dates, a copy of its items then, the indexes and starts of its years: the copy tells a list changed
# in place (even at the same length) from the one the years were found in
_YEARS_CACHE: list = [None, None, [], []]


def first_last_year(dates: list, lo: int, pos: int) -> tuple | None:
    """The first and the last year (a period of digits) that start in [lo, pos) and end by ``pos``, when they are
    two: bisections into the text's years (found once per list of dates), not a walk over every date of a long
    sentence per figure."""
    held, items, at, starts = _YEARS_CACHE
    # list equality tries identity first, item by item: one pass in C over an unchanged list
    if held is not dates or items != dates:
        at = [i for i, d in enumerate(dates) if d.period and d.period.isdigit()]
        starts = [dates[i].start for i in at]
        _YEARS_CACHE[:] = [dates, list(dates), at, starts]
    ks = starts_between(starts, lo, pos)
    # from each end of the range, past the few years that straddle ``pos``
    first = next((k for k in ks if dates[at[k]].end <= pos), None)
    last = next((k for k in reversed(ks) if dates[at[k]].end <= pos), None)
    return None if first is None or first == last else (dates[at[first]], dates[at[last]])
