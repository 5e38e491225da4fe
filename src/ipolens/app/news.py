"""The news reader's use cases: check a text or files, extract claims (optionally into the ledger), score extraction.

Each reads the ledger once (gazetteer names, FX rows, the candidate facts of the claims found) and hands data to
``ipolens.news``; ``extract_files(..., add_to_ledger=True)`` writes through ``store.write()`` so the derived facts
(a first-day return from a stated offer and close price) are refreshed in the same transaction. Claims about a
pipeline deal are checked against its stages and valuation facts; ``news check`` lists the deals they link to.
"""
from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from ..analytics import pipeline as ap
from ..analytics.fx import FxTable
from ..ledger import pipeline as lp
from ..ledger.access import Store
from ..ledger.store import Ledger
from ..ledger.queries import fx as fx_q
from ..ledger.queries import news as news_q
from ..news import api as news
from ..news.extract import OUTLETS
from ..news.gazetteer import Gazetteer
from ..news.text import Article, NewsEncodingError
from .base import Result, UserError, check_deadline

__all__ = ["NewsCheckResult", "NewsExtractResult", "NewsEvalResult", "NewsCorpusEvalResult", "check_text",
           "check_files", "extract_files", "evaluate", "evaluate_corpus", "gazetteer", "REQUEST_NAME"]

REQUEST_NAME = "<request>"
FLAGGED = ("inconsistent", "tension")


@dataclass
class NewsCheckResult(Result):
    characters: int
    claims: list[dict]
    verdicts: dict[str, int]
    findings: list[dict]
    flagged: list[dict]
    engine: str = "ipolens.news"
    # pipeline deals the claims link to: key, name, market, stage, stage_date, next_step (today's), claims (ids)
    deals: list[dict] = field(default_factory=list)


@dataclass
class NewsExtractResult(Result):
    files: list[dict]  # path, encoding, claims (count)
    claims: list[dict]
    added: int | None = None  # news facts written with add_to_ledger


@dataclass
class NewsEvalResult(Result):
    recall: float
    precision: float
    currency_accuracy: float
    metric_accuracy: float
    gold: int
    predicted: int
    matched: int
    money_matched: int
    per_metric: dict[str, list[int]]
    misses: list[dict]
    false_positives: list[dict]
    _table: str = field(default="", repr=False)  # the text report (not part of the JSON)


@dataclass
class NewsCorpusEvalResult(Result):
    corpus: str
    split: str
    scores: dict  # the split's natural articles: counts and rates (ipolens.news.corpus_eval.Counts.to_dict)
    injected: dict | None  # the same for the split's injected copies, scored apart (None: the corpus has none)
    languages: dict[str, dict]  # language -> scores, natural articles
    articles: list[dict]  # one row per article (natural, then injected): key, language, date, market, scores
    details: dict[str, list[dict]]  # misses, wrong_metric, wrong_currency, false_flags, missed_errors, unlocated


# -- use cases -----------------------------------------------------------------------------------------------------
def check_text(store: Store, text: str, published: dt.date | str | None = None, market: str | None = None,
               deadline: float | None = None, name: str | None = None) -> NewsCheckResult:
    """Claims of one text with verdicts (within the text and against the ledger), and the findings."""
    if not isinstance(text, str):
        raise UserError("the article text must be a string")
    art = news.article_from_text(text, name or REQUEST_NAME)
    return _check(store, [art], published, market, deadline)


def check_files(store: Store, paths: list[str | Path], published: dt.date | str | None = None,
                market: str | None = None, encoding: str | None = None,
                deadline: float | None = None) -> NewsCheckResult:
    """Claims of the files with verdicts: arithmetic inside each, agreement across them, and against the ledger."""
    return _check(store, _read(paths, encoding), published, market, deadline)


def extract_files(store: Store, paths: list[str | Path], published: dt.date | str | None = None,
                  market: str | None = None, encoding: str | None = None, add_to_ledger: bool = False,
                  title: str | None = None, publisher: str | None = None,
                  deadline: float | None = None) -> NewsExtractResult:
    """Claims of the files; with ``add_to_ledger`` they become news facts, all files in one transaction (a re-run
    replaces the file's earlier claims)."""
    arts = _read(paths, encoding)
    day, market = _inputs(arts, published, market)
    read, _, _ = _run(store, arts, day, market, _ticker(deadline))
    added = _add(store, read, day, title, publisher) if add_to_ledger else None
    files = [{"path": p, "encoding": a.encoding, "claims": len(cs)} for p, (a, cs) in read.items()]
    return NewsExtractResult(files=files, claims=_claims(read), added=added)


def evaluate(store: Store, articles: str | Path, facts: str | Path, deadline: float | None = None) -> NewsEvalResult:
    """Score extraction against labelled facts (format of article_facts.yaml): value recall/precision, currency."""
    from ..news.evaluate import evaluate as score_claims, load_facts

    try:
        gold = load_facts(facts)
    except OSError as exc:
        raise UserError(f"cannot read the facts file {facts}: {exc.strerror or exc}") from None
    names = sorted({f["article_file"] for f in gold})
    missing = [n for n in names if not (Path(articles) / n).exists()]
    if missing:
        raise UserError(f"articles not found in {articles}: {', '.join(missing)}")
    arts = _read([Path(articles) / n for n in names], None)
    tick = _ticker(deadline)
    with store.read() as led:
        gaz = _gazetteer(led)
    read = news.extract_all(arts, gaz, tick=tick)
    s = score_claims(articles, gold, {Path(p).name: cs for p, (_, cs) in read.items()})
    return NewsEvalResult(recall=s.recall, precision=s.precision, currency_accuracy=s.currency_accuracy,
                          metric_accuracy=s.metric_accuracy, gold=s.gold, predicted=s.predicted, matched=s.matched,
                          money_matched=s.money_matched,
                          per_metric=s.per_metric, misses=s.misses, false_positives=s.false_positives,
                          _table=s.table())


def evaluate_corpus(store: Store, corpus: str | Path, split: str = "dev", details: bool = False,
                    deadline: float | None = None) -> NewsCorpusEvalResult:
    """Score the reader on a labelled corpus in the news-dev format: each article checked alone, as ``news check``
    does (extract + verify with the ledger), with its header's date and its label's market."""
    from ..news import corpus_eval as ce

    root = Path(corpus)
    if not root.is_dir():
        raise UserError(f"corpus folder not found: {corpus}")
    if split not in ce.SPLITS:
        raise UserError(f"split must be one of {', '.join(ce.SPLITS)}, got {split!r}")
    natural, injected = ce.load_corpus(root, split)
    if not natural and not injected:
        raise UserError(f"no labelled articles (*.claims.yaml) for split {split!r} in {corpus}")
    tick = _ticker(deadline)
    rows, found = [], {k: [] for k in ("misses", "wrong_metric", "wrong_currency", "false_flags", "missed_errors",
                                       "unlocated")}
    totals, langs = (ce.Counts(), ce.Counts()), {}
    for copy, arts in enumerate((natural, injected)):
        for la in arts:
            art = _read([la.text_path], None)[0]
            day, market = ce.article_date(art.header.get("date")), ce.outlet_for(la.market)
            read, _, _ = _run(store, [art], day, market, tick)
            s = ce.score_article(la, _claims(read), art.text, art.body_start)
            totals[copy].add(s.counts)
            if not copy:
                langs.setdefault(la.language, ce.Counts()).add(s.counts)
            rows.append({"article": la.key, "language": la.language, "date": day.isoformat() if day else None,
                         "market": market} | s.counts.to_dict())
            for k, v in s.details.items():
                found[k].extend(v)
    return NewsCorpusEvalResult(corpus=str(root), split=split, scores=totals[0].to_dict(),
                                injected=totals[1].to_dict() if injected else None,
                                languages={k: v.to_dict() for k, v in sorted(langs.items())}, articles=rows,
                                details=found if details else {})


def gazetteer(store: Store) -> Gazetteer:
    """The entity gazetteer of the ledger's names (for benchmarks and notebooks that call ``ipolens.news`` directly)."""
    with store.read() as led:
        return _gazetteer(led)


# -- the steps -----------------------------------------------------------------------------------------------------
def _check(store: Store, arts: list[Article], published, market, deadline) -> NewsCheckResult:
    day, market = _inputs(arts, published, market)
    read, findings, facts = _run(store, arts, day, market, _ticker(deadline))
    found = [f.to_json() for f in findings]
    claims = _claims(read)
    return NewsCheckResult(characters=sum(len(a.text) for a in arts), claims=claims,
                           verdicts=dict(Counter(c["verdict"] for c in claims)), findings=found,
                           flagged=[f for f in found if f["verdict"] in FLAGGED], deals=_deals(claims, facts))


def _run(store: Store, arts: list[Article], day: dt.date | None, market: str | None,
         tick: Callable[[], None] | None) -> tuple[news.Read, list, object]:
    """Extract and verify, reading the ledger once (the claims decide which facts to fetch); also returns the
    candidate facts (with the named entities' pipeline deals)."""
    with store.read() as led:
        gaz = _gazetteer(led)
        fx = FxTable(fx_q.fx_rates(led))
        read = news.extract_all(arts, gaz, day, market, tick)
        facts = news_q.claim_candidates(led, news.ledger_pairs(read))
    return read, news.check_read(read, facts, fx, tick), facts


def _deals(claims: list[dict], facts) -> list[dict]:
    """The pipeline deals the checked claims link to (the deal check notes 'deal <key>' on a claim), each with its
    stage today from its stage rows."""
    linked: dict[str, list[str]] = {}
    for c in claims:
        for n in c.get("notes") or ():
            if n.startswith("deal " + lp.DEAL_PREFIX + ":"):
                linked.setdefault(n[5:], []).append(c["id"])
    if not linked or facts is None or "deal" not in facts.columns:
        return []
    out = []
    for key, ids in linked.items():
        mine = facts[facts["deal"] == key]
        head = mine.iloc[0]
        rows = [{"stage": r.stage, "date": str(r.as_of)[:10], "source_id": r.source_id, "quote": r.quote}
                for r in mine[mine["field"] == news_q.DEAL_STAGE].drop_duplicates(
                    ["stage", "as_of", "source_id"]).itertuples()]
        s = ap.stage_summary(head["market"], rows, lp.today())
        out.append({"key": key, "name": head["deal_name"], "market": head["market"], "stage": s["stage"],
                    "stage_date": s["stage_date"], "next_step": s["next_step"], "claims": ids})
    return out


def _add(store: Store, read: news.Read, published: dt.date | None, title: str | None, publisher: str | None) -> int:
    n = 0
    with store.write() as led:  # one transaction; the store refreshes the derived facts before commit
        for src, stem, facts in news.ledger_records(read, published, title, publisher):
            if not news_q.source_known(led, src.id) or published or title or publisher:
                led.add_source(src)  # keep curated metadata unless the user overrides it
            news_q.delete_extraction(led, src.id, stem)
            n += led.add_facts(facts)
    return n


_GAZETTEERS: dict[tuple, Gazetteer] = {}


def _gazetteer(led: Ledger) -> Gazetteer:
    """The gazetteer of the ledger's names; built once per distinct content of the name tables (building costs
    far more than reading them)."""
    import pandas as pd

    ents, aliases = news_q.entity_names(led), news_q.entity_aliases(led)
    key = tuple(int(pd.util.hash_pandas_object(f, index=False).sum()) for f in (ents, aliases)) + (len(ents),
                                                                                                 len(aliases))
    gaz = _GAZETTEERS.get(key)
    if gaz is None:
        if len(_GAZETTEERS) >= 4:
            _GAZETTEERS.clear()
        gaz = _GAZETTEERS[key] = Gazetteer.from_frames(ents, aliases)
    return gaz


def _read(paths: list[str | Path], encoding: str | None) -> list[Article]:
    if not paths:
        raise UserError("no article files given")
    try:
        arts = news.read_articles(paths, encoding)
    except (FileNotFoundError, IsADirectoryError, NewsEncodingError) as exc:
        raise UserError(str(exc)) from None
    return arts


def _inputs(arts: list[Article], published, market) -> tuple[dt.date | None, str | None]:
    """The rules every face shares: a non-empty text, a YYYY-MM-DD date, an outlet market HK, CN or US."""
    for a in arts:
        if not a.text.strip():
            raise UserError(f"empty article: {a.path}")
    if isinstance(published, str):
        try:
            published = dt.date.fromisoformat(published)
        except ValueError:
            raise UserError(f"published must be YYYY-MM-DD, got {published!r}") from None
    if market is not None:
        if str(market).upper() not in OUTLETS:
            raise UserError(f"market must be HK, CN or US, got {market!r}")
        market = str(market).upper()
    return published, market


def _claims(read: news.Read) -> list[dict]:
    return [c.to_json() for _, cs in read.values() for c in cs]


def _ticker(deadline: float | None) -> Callable[[], None] | None:
    return None if deadline is None else (lambda: check_deadline(deadline))
