"""``ipolens news``: extract the numeric claims of Chinese/English IPO news and check them.

Start-up imports only typer: everything else loads inside the commands.
"""
from __future__ import annotations

from typing import List, Optional

import typer

news_app = typer.Typer(help="Read IPO news: extract numeric claims and check them (arithmetic, ledger, articles).",
                       no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(news_app, name="news")


def _fail(message: str) -> None:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(2)


def _date(text: Optional[str]):
    if not text:
        return None
    import datetime as dt

    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        _fail(f"--published must be YYYY-MM-DD, got {text!r}")


def _guard(fn):
    """Errors users cause (missing file, undecodable bytes, bad option) -> message on stderr, exit 2."""
    import functools

    @functools.wraps(fn)
    def wrapper(*a, **kw):
        from ipolens.news.text import NewsEncodingError

        try:
            return fn(*a, **kw)
        except (FileNotFoundError, IsADirectoryError, NewsEncodingError, ValueError) as exc:
            _fail(str(exc))
    return wrapper


def _open(db_path: Optional[str]):
    from ._common import open_db

    return open_db(db_path)


@news_app.command("extract")
def extract_cmd(files: List[str] = typer.Argument(..., help="Article text files (UTF-8, GBK or Big5)"),
                published: Optional[str] = typer.Option(None, help="Publication date YYYY-MM-DD (default: header)"),
                market: Optional[str] = typer.Option(None, help="Outlet market HK|CN|US: decides a bare 元"),
                as_json: bool = typer.Option(False, "--json", help="JSON: one object per claim"),
                add_to_ledger: bool = typer.Option(False, "--add-to-ledger",
                                                   help="Write the claims as news facts (one transaction)"),
                title: Optional[str] = typer.Option(None, help="Source title for --add-to-ledger"),
                publisher: Optional[str] = typer.Option(None, help="Source publisher for --add-to-ledger"),
                encoding: Optional[str] = typer.Option(None, help="Force a text encoding (default: detect)"),
                db: Optional[str] = typer.Option(None, help="Ledger path (default: $IPOLENS_HOME)")) -> None:
    """Extract claims: entity, metric, value in base units, unit, qualifier, date/period, span, quote."""
    _guard(_extract)(files, _date(published), market, as_json, add_to_ledger, title, publisher, encoding, db)


def _extract(files, published, market, as_json, add, title, publisher, encoding, db_path) -> None:
    from ipolens.news.api import add_to_ledger, check_files

    if market and market.upper() not in ("HK", "CN", "US"):
        raise ValueError(f"--market must be HK, CN or US, got {market!r}")
    database = _open(db_path)
    read, _ = check_files(files, database, published, market, encoding)
    if add:
        n = add_to_ledger(database, read, published, title, publisher)
        typer.echo(f"added {n} news facts from {len(read)} file(s)", err=True)
    if as_json:
        import json
        import sys

        out = [c.to_json() for _, cs in read.values() for c in cs]
        sys.stdout.write(json.dumps(out, ensure_ascii=False, indent=2) + "\n")
        return
    for path, (art, cs) in read.items():
        typer.echo(f"{path}  ({art.encoding}, {len(cs)} claims)")
        for c in cs:
            val = c.text if c.value is None else f"{c.value:g}"
            typer.echo(f"  {c.start:>6}  {c.entity or '-':<12} {c.metric:<32} {val:>16} {c.unit or '':<7} "
                       f"{c.qualifier:<10} {c.period or c.date or '':<10} {c.quote[:40]}")


@news_app.command("check")
def check_cmd(files: List[str] = typer.Argument(..., help="Article text files"),
              published: Optional[str] = typer.Option(None, help="Publication date YYYY-MM-DD (default: header)"),
              market: Optional[str] = typer.Option(None, help="Outlet market HK|CN|US"),
              as_json: bool = typer.Option(False, "--json", help="JSON: claims with verdicts, and findings"),
              all_findings: bool = typer.Option(False, "--all", help="List consistent findings too"),
              encoding: Optional[str] = typer.Option(None, help="Force a text encoding"),
              db: Optional[str] = typer.Option(None, help="Ledger path (default: $IPOLENS_HOME)")) -> None:
    """Check claims: arithmetic inside each article, across the articles, and against the ledger."""
    _guard(_check)(files, _date(published), market, as_json, all_findings, encoding, db)


def _check(files, published, market, as_json, all_findings, encoding, db_path) -> None:
    from ipolens.news.api import check_files

    database = _open(db_path)
    read, findings = check_files(files, database, published, market, encoding)
    flagged = [f for f in findings if f.verdict in ("inconsistent", "tension")]
    if as_json:
        import json
        import sys

        out = {"claims": [c.to_json() for _, cs in read.values() for c in cs],
               "findings": [f.to_json() for f in findings],
               "flagged": [f.to_json() for f in flagged]}
        sys.stdout.write(json.dumps(out, ensure_ascii=False, indent=2) + "\n")
        return
    from collections import Counter

    counts = Counter(c.verdict for _, cs in read.values() for c in cs)
    typer.echo(f"{sum(counts.values())} claims: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
    shown = findings if all_findings else flagged
    typer.echo(f"{len(flagged)} flagged" + ("" if all_findings else " (use --all for every finding)"))
    for f in sorted(shown, key=lambda f: f.verdict):
        typer.echo(f"- {f.verdict.upper():<12} {f.check:<14} {', '.join(f.claims[:3])}\n    {f.why}")


@news_app.command("eval")
def eval_cmd(articles: str = typer.Option(..., help="Directory holding the article files"),
             facts: str = typer.Option(..., help="Labelled facts YAML (format of article_facts.yaml)"),
             as_json: bool = typer.Option(False, "--json"),
             db: Optional[str] = typer.Option(None, help="Ledger path (default: $IPOLENS_HOME)")) -> None:
    """Score extraction against labelled facts: value recall/precision, currency, per metric."""
    _guard(_eval)(articles, facts, as_json, db)


def _eval(articles, facts, as_json, db_path) -> None:
    from pathlib import Path

    from ipolens.news.api import read_claims
    from ipolens.news.evaluate import evaluate, load_facts

    gold = load_facts(facts)
    names = sorted({f["article_file"] for f in gold})
    missing = [n for n in names if not (Path(articles) / n).exists()]
    if missing:
        raise FileNotFoundError(f"articles not found in {articles}: {', '.join(missing)}")
    read = read_claims([Path(articles) / n for n in names], _open(db_path))
    score = evaluate(articles, gold, {Path(p).name: cs for p, (_, cs) in read.items()})
    if as_json:
        import json

        typer.echo(json.dumps({"recall": score.recall, "precision": score.precision,
                               "currency_accuracy": score.currency_accuracy, "metric_accuracy": score.metric_accuracy,
                               "gold": score.gold, "predicted": score.predicted, "matched": score.matched,
                               "per_metric": score.per_metric, "misses": score.misses,
                               "false_positives": score.false_positives}, ensure_ascii=False, indent=2))
        return
    typer.echo(score.table())
