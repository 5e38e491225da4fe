"""Features of a figure for a learned role chooser (issue 13 experiment), in the project's own vocabulary only.

Every feature is a name built from the lexicon (lexicon/roles.yaml metrics and sides, by_noun/by_measure words), the
figure's kind, unit and qualifier, the hand rules' own choice and a few structural facts (window, distance bucket,
table cell, script). No word of the article enters a feature: a cue is named by the metric it stands for, never by
the words it matched, so a model over these features can ship without any article text.

``Recorder`` hooks the reader's two role steps (``extract._pick_metric`` and ``extract._refine``) to record each
figure's features and hand choice, and, given a ``chooser``, to replace the hand choice with the chooser's.
"""
from __future__ import annotations

import math
import re

from ipolens.news import claim_roles as cr
from ipolens.news import extract
from ipolens.news.claim_context import _REACH
from ipolens.news.clauses import clause_start
from ipolens.news.roles import TIE, lexicon

_CJK = re.compile(r"[\u4e00-\u9fff]")
_BREAK = re.compile(r"[,，;；]")


def _bucket(d: int) -> str:
    return "d0" if d <= 1 else "d1" if d <= 4 else "d2" if d <= 12 else "d3"


def _size(q) -> str:
    v = abs(q.value) if isinstance(q.value, (int, float)) and not isinstance(q.value, bool) else None
    if not v:
        return "size:none"
    return f"size:{max(-2, min(12, int(math.floor(math.log10(v)))))}"


def features(q, lead: str, trail: str, sentence_lead: str, carry: dict, picked: tuple[str, bool],
             refine_lead: str, final: str, cell: bool) -> list[str]:
    """The figure's features (see the module docstring); ``picked`` is ``_pick_metric``'s answer, ``final`` the
    hand rules' role after the qualifiers."""
    lex = lexicon()
    kind = cr._kind(q)
    value = q.value if kind == "money" else None
    sl, ld = cr._unwrapped(sentence_lead[-_REACH:]), cr._unwrapped(lead)
    c_start = clause_start(sl)
    n_start = max(c_start, len(sl) - len(ld))
    after = cr._up_to_sentence_end(cr._after_window(trail, q.raw))
    out = [f"kind:{kind}", f"unit:{q.unit}", f"qual:{q.qualifier}", _size(q), f"hand:{final}",
           f"pick:{picked[0]}", f"keyed:{picked[1]}", "cell" if cell else "prose",
           "script:cjk" if _CJK.search(sl[-40:] + trail[:20]) else "script:latin",
           f"per_share:{q.per_share}"]
    if q.noun in lex.by_noun or q.noun in lex.by_measure:
        out.append(f"noun:{q.noun}")
    out += [f"carry:{k}:{m}" for k, m in carry.items() if k in ("money", "pct")]
    cands: set[str] = set()
    # before-cues by window: since the previous figure (own), the rest of the clause, the rest of the sentence
    seen: set[tuple[str, int]] = set()
    for tag, start in (("own", n_start), ("clause", c_start), ("sent", 0)):
        for _, h in lex._before_hits(kind, sl[start:]):
            if not lex.fits(h.metric, value) or (h.metric, h.start + start) in seen:
                continue
            seen.add((h.metric, h.start + start))
            gap = sl[start + h.end:]
            comma = "x" if _BREAK.search(gap) else ""
            out += [f"B:{tag}:{h.metric}", f"B:{tag}:{h.metric}:{_bucket(h.distance)}{comma}", f"Bm:{h.metric}"]
            cands.add(h.metric)
    for _, h in lex._after_hits(kind, sl, after):
        if not lex.fits(h.metric, value):
            continue
        far = "far" if h.distance > TIE else _bucket(max(0, h.distance))
        out += [f"A:{h.metric}", f"A:{h.metric}:{far}", f"Am:{h.metric}"]
        cands.add(h.metric)
    if head := lex.head_role(kind, sl[n_start:], after, value):
        out.append(f"head:{head}")
        cands.add(head)
    pick = lex.pick_nested(kind, sl, (n_start, c_start), after, value)
    out += [f"conflict:{m}" for m in pick.conflict]
    for m in sorted(cands):  # each candidate as the qualifiers would sharpen it here
        sharp = cr._refine(m, q, refine_lead, lead, trail)
        out.append(f"cand:{m}>{sharp}")
    return sorted(set(out))


def other_kind_cues(q, lead: str, trail: str, sentence_lead: str) -> list[str]:
    """A diagnostic, not a feature: the roles whose cues fire in the figure's clause for kinds other than its own
    (a labelled role found only here is a gap in that role's `kinds`, not in its cues)."""
    lex = lexicon()
    kind = cr._kind(q)
    sl = cr._unwrapped(sentence_lead[-_REACH:])
    clause = sl[clause_start(sl):]
    after = cr._up_to_sentence_end(cr._after_window(trail, q.raw))
    out = set()
    for k in lex._by_kind:
        if k != kind:
            out |= {h.metric for _, h in lex._before_hits(k, clause) + lex._after_hits(k, sl, after)}
    return sorted(out)


def to_reader_name(label_metric: str) -> str:
    """A label-vocabulary metric as the reader names it (metric_aliases.yaml), so the verifier knows it."""
    from ipolens.news import corpus_eval as ce

    if label_metric in lexicon().metrics():
        return label_metric
    alias = sorted(ce.metric_table()[0].get(label_metric, ()))
    return alias[0] if alias else label_metric


def vocabulary_only(feats: list[str]) -> bool:
    """Whether every feature is built from the project's vocabulary: ASCII names, or a lexicon noun (by_noun,
    by_measure) after 'noun:' - never words of an article."""
    lex = lexicon()
    return all(f.isascii() or (f.startswith("noun:") and (f[5:] in lex.by_noun or f[5:] in lex.by_measure))
               for f in feats)


class Recorder:
    """Hooks the reader's role steps; ``rows`` maps a figure's normalised span to (features, hand role). With a
    ``chooser`` (features, hand role -> role) the figure takes the chooser's role."""

    def __init__(self, chooser=None):
        self.chooser = chooser
        self.rows: dict[tuple[int, int], tuple[list[str], str, list[str]]] = {}
        self._pick = None
        self._cell_at = None

    def __enter__(self):
        self._orig = (extract._pick_metric, extract._refine, extract.reread)

        def pick(q, lead, trail, sentence_lead, carry):
            res = self._orig[0](q, lead, trail, sentence_lead, carry)
            self._pick = (q, lead, trail, sentence_lead, dict(carry), res)
            return res

        def refine(metric, q, refine_lead, lead, trail=""):
            final = self._orig[1](metric, q, refine_lead, lead, trail)
            p = self._pick
            if p is None or p[0] is not q:
                return final
            feats = features(q, p[1], p[2], p[3], p[4], p[5], refine_lead, final, self._cell_at == q.start)
            assert vocabulary_only(feats), "a feature holds words that are not the lexicon's"
            self.rows[(q.start, q.end)] = (feats, final, other_kind_cues(q, p[1], p[2], p[3]))
            return self.chooser(feats, final) if self.chooser else final

        def reread(cell, q, text):
            out = self._orig[2](cell, q, text)
            self._cell_at = out[0].start
            return out

        extract._pick_metric, extract._refine, extract.reread = pick, refine, reread
        return self

    def __exit__(self, *exc):
        extract._pick_metric, extract._refine, extract.reread = self._orig


__all__ = ["features", "other_kind_cues", "to_reader_name", "vocabulary_only", "Recorder"]
