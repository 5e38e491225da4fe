"""Claims: each number of an article linked to an entity, a metric, a period or date, its span and its sentence.

The steps live beside this module: ``claim`` (the record), ``claim_context`` (sentence, quote, entity, currency,
date of a figure), ``claim_roles`` (the metric), ``claim_dates`` (dates as claims), ``claim_lists`` (lists read
together)."""
from __future__ import annotations

import datetime as dt
import gc
import re
from typing import Callable

from .claim import FUNDAMENTALS, UNASSIGNED, Claim
from .claim_context import (_LEAD_CAP, _PROMO, OUTLETS, _currency, _date_for, _entity_for, _mention_index, _quote,
                            _sentence_bounds, _subject, _why_currency, outlet_market)
from .claim_dates import _date_claims
from .claim_lists import _previous_year, _ranked_lists, _respective, _spread_lists
from .claim_roles import _counted, _is_claim, _pick_metric, _refine, keyed
from .role_neighbours import with_antecedent
from .dates import scan_dates
from .dedupe import merge_title_repeats
from .numbers import bare_money, scan_numbers
from .spans import Lines
from .table import read_tables, reread
from .text import Article, Normalised, normalise

__all__ = ["Claim", "extract_claims", "outlet_market", "OUTLETS", "FUNDAMENTALS", "UNASSIGNED"]

_FORECAST = re.compile(r"预计|预期|计划|将|有望|拟|目标")


def extract_claims(article: Article, gazetteer=None, market: str | None = None,
                   published: dt.date | None = None, norm: Normalised | None = None,
                   tick: Callable[[], None] | None = None) -> list[Claim]:
    """All claims of ``article``. ``gazetteer``: an ipolens.news.gazetteer.Gazetteer (None: no entity linking);
    ``tick`` is called once per number so a caller's time limit can stop a long text."""
    # Extraction makes no reference cycles (a collection right after a 2 MB text finds none), so the cyclic
    # collector is paused while it runs: its full passes over the growing lists of figures, mentions and claims
    # find nothing and cost ~10% of the time on a 10 MB text (more, the longer the text). Reference counting still
    # frees everything; the collector's state is restored however extraction ends.
    paused = gc.isenabled()
    if paused:
        gc.disable()
    try:
        return _extract(article, gazetteer, market, published, norm, tick)
    finally:
        if paused:
            gc.enable()


def _extract(article: Article, gazetteer, market: str | None, published: dt.date | None, norm: Normalised | None,
             tick: Callable[[], None] | None) -> list[Claim]:
    orig = article.text
    norm = norm or normalise(orig)
    text = norm.text
    body_n = _norm_index(norm, article.body_start)
    outlet = outlet_market(article, market)
    # a mainland (Simplified Chinese) text states an issuer's financials in renminbi, whatever the listing venue
    mainland = (article.language() or "").startswith("zh-Hans") or (not article.language() and outlet == "CN")
    ref = published or article.published()
    window = article.date_window()
    ref_for_dates = ref or (window[1] if window else None)
    lay = article.layout.mapped(norm.origin)  # metadata, furniture, URLs: not scanned (offsets in the normalised text)
    quantities = [q for q in scan_numbers(text, tick) if q.start >= body_n and lay.scannable(q.start, q.end)]
    dates = [d for d in scan_dates(text, ref_for_dates, ref) if d.start >= body_n and lay.scannable(d.start, d.end)]
    mentions = gazetteer.find(text, tick) if gazetteer else []
    mentions = [m for m in mentions if m.start >= body_n and lay.scannable(m.start, m.end)]
    subject = _subject(mentions, gazetteer)
    lines = Lines(text, _PROMO)
    date_starts = [d.start for d in dates]
    claims: list[Claim] = []
    carry: dict[str, str] = {}
    last_para = -1
    seen: set[tuple] = set()
    prev_end = body_n
    quantities = bare_money(quantities, text) + _ranked_lists(text, mentions, body_n)
    midx = _mention_index(mentions, text)
    # an article that names one company only: its figures are about it in every paragraph
    sole = len({m.key for m in mentions if not m.key.startswith(("MKT:", "IDX:"))}) == 1
    sentences: dict[int, str] = {}
    tables = read_tables(text, body_n)  # a figure in a table cell is read in its row label and column header
    cell_read_to = -1
    quantities.sort(key=lambda q: q.start)
    # what a figure's sentence and line give is worked out once per sentence and per line (figures come in order, a
    # sentence holds several): a figure inside the last one's sentence [start, end] or line reuses them
    s_start, s_end = 0, -1
    line_start, line_end = 0, -1
    os_start = os_end = 0
    promo = False
    row_bounds = False  # the bounds held are a table row's, not a sentence's
    for q in quantities:
        if tick:
            tick()
        cell = tables.cell_at(q.start) if tables.cells else None
        if cell and q.start < cell_read_to:
            continue  # the second end of a range a cell's figure opened
        if cell:  # a table row is the cell's sentence; the next figure may be in another row or back in prose
            s_start, s_end = cell.row
            os_start, os_end = norm.span(s_start, s_end)
        elif row_bounds or not s_start <= q.start <= s_end:
            s_start, s_end = _sentence_bounds(text, q.start)
            os_start, os_end = norm.span(s_start, s_end)
        row_bounds = cell is not None
        if not line_start <= q.start <= line_end:  # (a figure on a newline belongs to the line it ends)
            line_start = lines.start(q.start)
            nl = lines.next_newline(q.start)
            line_end = nl if nl >= 0 else len(text)
            promo = lines.promotional(q.start)  # (a property of the line)
        para = line_start - 1
        if para != last_para:
            carry = {}
            last_para = para
        # the words since the previous figure, no further back than any cue is read (a long run of numbers that are
        # no claims would otherwise copy ever longer leads)
        lead_start = max(s_start, prev_end if prev_end <= q.start else s_start, q.start - _LEAD_CAP)
        lead = text[lead_start:q.start]
        sentence_lead = text[max(s_start, q.start - _LEAD_CAP):q.start]
        trail = text[q.end:q.end + 40]  # English after-cues run longer ("retail investors applied")
        if cell:
            q, lead, trail = reread(cell, q, text)
            sentence_lead, cell_read_to = lead, q.end
        q = _counted(q, trail, lead, sentence_lead)
        if not _is_claim(q, sentence_lead, lead, trail):
            continue
        prev_end = q.end
        metric, basis = _pick_metric(q, lead, trail, sentence_lead, {} if cell else carry)  # cells: no topic
        # qualifiers: the words after it in its sentence (and the sentence before, when this one opens with an anaphor)
        metric = _refine(metric, q, with_antecedent(text, s_start, sentence_lead), lead, trail)
        kind = "money" if q.is_money else q.unit
        if keyed(basis) and kind in ("money", "pct"):  # '这一数字跃升至6203万元': the figure continues the topic
            carry[kind] = metric
        ent_key = _entity_for(q.end, midx, text, subject, metric, lines) if q.unit == "rank" else \
            _entity_for(q.start, midx, text, subject, metric, lines, (s_start, s_end))
        if cell and cell.label:  # the company a table row names; a header row's unknown name is no other row's
            ent_key = m.key if (m := midx.last("own", *cell.label)) is not None else None if cell.grid else ent_key
        unit, inferred = _currency(q, metric, ent_key, gazetteer, outlet, text[max(0, q.start - 4):q.end + 4],
                                   mainland)
        date_s, period = _date_for(q, dates, text, s_start, metric, lead_start, date_starts)
        if metric in ("market_size", "market_share") and ref_for_dates and period and period[:4].isdigit() \
                and int(period[:4]) > ref_for_dates.year and "预计" in sentence_lead:
            metric += "_forecast"
        o_start, o_end = norm.span(q.start, q.end)
        quote = _quote(orig, o_start, o_end, os_start, os_end) if metric == UNASSIGNED else None
        # A body repeat of the same figure about the same thing is one claim, unless it is restated as the basis
        # of a calculation ('按每股263港元计算'): the news-dev labels count that copy. Title copies: see dedupe.
        # (decided before the claim is built: a repeat costs no more)
        value = None if q.unit == "text" else q.value
        key = (ent_key, metric, value, unit, period, lay.in_title(q.start))
        if metric == UNASSIGNED:  # no role to tell what it is about: only a repeat of the same clause is the same
            key += (quote,)
        if key in seen and ent_key and not _BASIS.search(sentence_lead[-12:] + "|" + trail[:6]):
            continue
        if quote is None:
            quote = _quote(orig, o_start, o_end, os_start, os_end)
        if os_start not in sentences:  # one copy per sentence: a long sentence with many figures stays linear
            sentences.clear()
            sentences[os_start] = orig[os_start:os_end].strip()
        claim_type = "promotional" if promo else "forecast" if (_FORECAST.search(sentence_lead[-20:]) or metric.endswith("_forecast")
                                    or metric in ("funds_raised_planned", "expected_valuation")) else "reported"
        c = Claim(
            id="", article=article.path, entity=gazetteer.display(ent_key) if (gazetteer and ent_key) else None,
            entity_key=ent_key, code=gazetteer.code(ent_key) if (gazetteer and ent_key) else None, metric=metric,
            value=value, unit=unit, qualifier=q.qualifier, start=o_start, end=o_end,
            quote=quote, sentence=sentences[os_start], value_high=q.value_high, text=q.text,
            date=date_s, period=period, currency_inferred=inferred, claim_type=claim_type, _nstart=q.start,
            _nend=q.end, _resn=q.resolution, _gap=lead if lead_start > s_start else text[s_start:q.start],
            _named=ent_key is None or sole or midx.names(ent_key, para + 1, s_end), _role=basis)
        if q.sign_from:
            c.notes.append(f"negative: '{q.sign_from}' before the figure")
        if inferred:
            c.notes.append(f"currency inferred ({unit}) from a bare 元: "
                           f"{_why_currency(metric, ent_key, outlet, mainland)}")
        seen.add(key)
        claims.append(c)
    claims.extend(_date_claims(article, norm, dates, midx, subject, gazetteer, lines, ref))
    _spread_lists(claims, text, dates)
    _respective(claims, text, midx, gazetteer)
    _previous_year(claims, text)
    claims = merge_title_repeats(claims, article.layout.in_title)
    claims.sort(key=lambda c: c.start)
    stem = _stem(article.path)
    for i, c in enumerate(claims, 1):
        c.id = f"{stem}#{i}"
        c._ref = ref_for_dates.isoformat() if ref_for_dates else None
    return claims


def _stem(path: str) -> str:
    import os

    name = os.path.basename(path)
    return re.sub(r"\.(zh-Hans|zh-Hant|en)?\.?txt$|\.txt$", "", name)


def _norm_index(norm: Normalised, orig_pos: int) -> int:
    import bisect

    return bisect.bisect_left(norm.origin, orig_pos, 0, len(norm.text))


_BASIS = re.compile(r"(?:按|以)[^,。;|]{0,10}\|\s?(?:计算|计|估算)|\bbased on\s[^|]{0,12}\|", re.I)
