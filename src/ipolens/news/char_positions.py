"""Where characters and rare words sit in one text: offsets found on first use and shared by every pattern scanned,
with sampled counts that let a scan judge whether anchoring pays.

Apart from scan_anchor.py because it knows nothing of patterns: it indexes a text (str.find per character, an
Aho-Corasick pass for the words that patterns register in _WORDS).
"""
from __future__ import annotations

from .cue_filter import fold

# how frequent a character is, read on slices spread over the text (it decides the cost only, never a result)
_SLICES, _SLICE = 16, 1024
Run = tuple  # tuple[frozenset[str], ...]: consecutive characters of a match, each one of a set


class CharPositions:
    """The offsets of single characters in one text, found on first use and shared by every pattern scanned."""

    def __init__(self, text: str):
        self.text = text
        self._at: dict[str, list[int]] = {}
        self._chars: dict[str, int] = {}
        self._passed: dict[Run, int] = {}
        self._folded: str | None = None
        self._words: dict[str, int] = {}
        self._word_at: dict[str, list[int]] = {}
        step = max(_SLICE, len(text) // _SLICES)
        self._slices = [(i, min(i + _SLICE, len(text))) for i in range(0, len(text), step)]
        self.sample = sum(e - s for s, e in self._slices)

    def sampled_count(self, ch: str) -> int:
        """How often ``ch`` occurs in the sampled slices (``sample`` characters in all)."""
        n = self._chars.get(ch)
        if n is None:
            n = self._chars[ch] = sum(self.text.count(ch, s, e) for s, e in self._slices)
        return n

    def sampled(self, run: Run, cap: float) -> tuple[int, int]:
        """(how often the first character of ``run`` occurs in the sampled slices, how often all of ``run`` does);
        when the first count passes ``cap`` the second is not counted (it is given as the first)."""
        first = sum(self.sampled_count(c) for c in run[0])
        if len(run) == 1 or first > cap:
            return first, first
        passed = self._passed.get(run)
        if passed is None:
            text = self.text
            passed = 0
            for c in run[0]:
                for s, e in self._slices:
                    i = text.find(c, s, e)
                    while i >= 0:
                        passed += _holds(text, i, run)
                        i = text.find(c, i + 1, e)
            self._passed[run] = passed
        return first, passed

    def known(self, ch: str) -> bool:
        return ch in self._at

    def folded(self) -> str:
        """The text case-folded onto ASCII (``cue_filter.fold``: one character for one, offsets kept)."""
        if self._folded is None:
            last = _LAST_FOLDED[0]
            if last is None or last[0] is not self.text:  # numbers and dates scan the same text: fold it once
                last = _LAST_FOLDED[0] = (self.text, fold(self.text))
            self._folded = last[1]
        return self._folded

    def sampled_word(self, word: str) -> int:
        """How often ``word`` (folded) occurs in the folded text's sampled slices."""
        n = self._words.get(word)
        if n is None:
            folded = self.folded()
            n = self._words[word] = sum(folded.count(word, s, e) for s, e in self._slices)
        return n

    def word_at(self, word: str) -> list[int]:
        """Where ``word`` (folded) occurs in the folded text, overlaps included: every place a run that folds to it
        can be written (and a few more, a case-sensitive run being found in any case: the caller checks)."""
        out = self._word_at.get(word)
        if out is None:
            out = _every_word_at(self.text, self.folded()).get(word)
            if out is None:  # (a word no pattern's run had given when the text was read)
                out = []
                find = self.folded().find
                i = find(word)
                while i >= 0:
                    out.append(i)
                    i = find(word, i + 1)
            self._word_at[word] = out
        return out

    def of(self, ch: str) -> list[int]:
        out = self._at.get(ch)
        if out is None:
            out = self._at[ch] = []
            find = self.text.find
            i = find(ch)
            while i >= 0:
                out.append(i)
                i = find(ch, i + 1)
        return out


_LAST_FOLDED: list[tuple[str, str] | None] = [None]  # (text, its fold): the last text folded
# Every word the patterns' runs are looked for by (``_word``) is found in one Aho-Corasick pass over the folded text
# (a str.find pass each cost a pass over the text per word); the last text's answer is kept: numbers and dates scan
# the same text.
_WORD_AUTOMATON: list = [-1, frozenset(), None]  # how many runs _WORDS had, their words, the words' automaton
_LAST_WORDS: list = [None, None, {}]  # text, the words looked for, word -> where it starts (overlaps included)


def _every_word_at(text: str, folded: str) -> dict[str, list[int]]:
    if _WORD_AUTOMATON[0] != len(_WORDS):  # a pattern has given a new run
        import ahocorasick

        words = frozenset(w for w in _WORDS.values() if w is not None)
        auto = ahocorasick.Automaton()
        for w in words:
            auto.add_word(w, w)
        auto.make_automaton()
        _WORD_AUTOMATON[:] = len(_WORDS), words, auto
    words = _WORD_AUTOMATON[1]
    last = _LAST_WORDS
    if last[0] is not text or last[1] is not words:
        found: dict[str, list[int]] = {w: [] for w in words}
        if words:
            for end, w in _WORD_AUTOMATON[2].iter(folded):
                found[w].append(end - len(w) + 1)
        last[:] = text, words, found
    return last[2]


# a run of at least this many characters is looked for whole, in the folded text
_MIN_WORD = 3


def _word(run: Run) -> str | None:
    """The folded string every writing of ``run`` folds to, when there is one and the run is long enough to be
    rare; None: look for the run by its first character."""
    word = _WORDS.get(run, False)
    if word is False:
        keys = [{fold(c) for c in chars} for chars in run]
        word = _WORDS[run] = "".join(k.pop() for k in keys) if len(run) >= _MIN_WORD and all(
            len(k) == 1 for k in keys) else None
    return word


_WORDS: dict[Run, str | None] = {}


def _holds(text: str, i: int, run: Run) -> bool:
    """Whether ``run`` is written at ``i`` (its first character is known to be)."""
    n = len(text)
    for k in range(1, len(run)):
        if i + k >= n or text[i + k] not in run[k]:
            return False
    return True
