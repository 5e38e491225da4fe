"""Every match of a regex, looked for only where a literal character that every match holds occurs.

Most date and idiom patterns can only match where one of a few literal characters sits at a bounded distance from the
match start ('年' four characters into '2025年', '成' one into '三成'). ``Anchored`` reads those characters and
distances off the parsed pattern, finds the characters with ``str.find`` (a fast C loop) and tries the pattern only
at the start positions they allow. No other position can start a match, so the matches are exactly those of
``pattern.finditer(text)``, in order; the regex engine just no longer steps through every position of a long text.
A pattern without such a character, or a text where the characters are too frequent to gain, is searched as usual.
"""
from __future__ import annotations

import re
from typing import Iterator

from .char_positions import _WORDS, CharPositions, Run, _holds, _word  # _WORDS, _word: re-exported for tests
from .pattern_anchors import _anchors
from .pattern_starts import Starts, possible_starts  # re-exported: callers import them from here

__all__ = ["Anchored", "CharPositions"]

# relative costs (about microseconds): the regex engine stepping over one character, finding and checking one anchor
# character, trying the pattern at one start. The anchors are used when they cost less than the scan; past the
# limits (anchor characters, starts per character of text) the sample misled and the scan is used after all.
_SCAN_COST, _FIND_COST, _MATCH_COST = 0.015, 1.0, 0.6
_MAX_FOUND = 0.05
_MAX_SHARE = 0.02


class Anchored:
    """``pattern`` with the anchors its matches must hold: per alternative of the pattern, options (runs, lo, hi):
    one of the ``runs`` of literal characters starts between ``lo`` and ``hi`` characters after the match start."""

    def __init__(self, pattern: re.Pattern):
        self.pattern = pattern
        self.anchors = _anchors(pattern)  # None: no anchor, search as usual

    def finditer(self, text: str, chars: CharPositions | None = None) -> Iterator[re.Match]:
        """The matches of ``self.pattern.finditer(text)``; ``chars``: the text's shared character index."""
        starts = self._starts(text, chars) if self.anchors is not None else None
        if starts is None:
            yield from self.pattern.finditer(text)
            return
        match = self.pattern.match
        pos = 0
        for s in starts:
            if s < pos:
                continue
            m = match(text, s)
            if m is not None:  # (never empty: an anchor is a character of the match)
                yield m
                pos = m.end()

    def _starts(self, text: str, chars: CharPositions | None) -> list[int] | None:
        """The sorted start positions a match can have, None when there are too many to gain from them."""
        chars = chars if chars is not None and chars.text is text else CharPositions(text)
        budget = _SCAN_COST * chars.sample + 4  # the regex engine's own scan of the sampled slices
        plan = []
        for options in self.anchors:  # one alternative: its cheapest anchor, estimated on the sample
            cost = []
            cap = budget / _FIND_COST
            for i, (runs, lo, hi) in enumerate(options):
                counts = [_sampled(chars, r, cap) for r in runs]
                first, passed = sum(f for f, _ in counts), sum(p for _, p in counts)
                cost.append((first * _FIND_COST + passed * (hi - lo + 1) * _MATCH_COST, i))
            spent, i = min(cost)
            budget -= spent
            if budget < 0:
                return None
            plan.append(options[i])
        starts: set[int] = set()
        found_limit = _MAX_FOUND * len(text) + 64
        limit = _MAX_SHARE * len(text) + 64
        found = 0
        for runs, lo, hi in plan:
            for run in runs:
                word = _word(run)
                if word is not None:  # the whole run found at once in the folded text (a letter alone is frequent)
                    if word not in chars._word_at and found > found_limit:
                        return None
                    at = chars.word_at(word)
                    found += len(at)
                    for p in at:
                        if text[p] in run[0] and _holds(text, p, run):
                            starts.update(range(max(0, p - hi), p - lo + 1))
                    if len(starts) > limit:
                        return None
                    continue
                for c in run[0]:
                    if not chars.known(c) and found > found_limit:
                        return None  # the sample misled: the engine's own scan is the cheaper one
                    at = chars.of(c)
                    found += len(at)
                    for p in at:
                        if len(run) == 1 or _holds(text, p, run):
                            starts.update(range(max(0, p - hi), p - lo + 1))
                    if len(starts) > limit:
                        return None
        return sorted(starts)


def _sampled(chars: CharPositions, run: Run, cap: float) -> tuple[int, int]:
    """``CharPositions.sampled`` for a run looked for by its first character; for a run looked for whole, the
    sampled count of its word (found and checked once each)."""
    word = _word(run)
    if word is None:
        return chars.sampled(run, cap)
    n = chars.sampled_word(word)
    return n, n

