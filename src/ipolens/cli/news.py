"""``ipolens news``: extract the numeric claims of Chinese/English IPO news and check them.

Start-up imports only typer: the use cases (``ipolens.app.news``) load inside the commands.
"""
from __future__ import annotations

from typing import List, Optional

import typer

from ._common import emit, handle_errors, open_store

news_app = typer.Typer(help="Read IPO news: extract numeric claims and check them (arithmetic, ledger, articles).",
                       no_args_is_help=True)

_PUBLISHED = "Publication date YYYY-MM-DD (default: header)"
_MARKET = "Outlet market HK|CN|US: decides a bare 元"
_DB = "Ledger path (default: $IPOLENS_HOME)"


def register(app: typer.Typer) -> None:
    app.add_typer(news_app, name="news")


@news_app.command("extract")
@handle_errors
def extract_cmd(files: List[str] = typer.Argument(..., help="Article text files (UTF-8, GBK or Big5)"),
                published: Optional[str] = typer.Option(None, help=_PUBLISHED),
                market: Optional[str] = typer.Option(None, help=_MARKET),
                as_json: bool = typer.Option(False, "--json", help="JSON: the files and their claims"),
                add_to_ledger: bool = typer.Option(False, "--add-to-ledger",
                                                   help="Write the claims as news facts (one transaction)"),
                title: Optional[str] = typer.Option(None, help="Source title for --add-to-ledger"),
                publisher: Optional[str] = typer.Option(None, help="Source publisher for --add-to-ledger"),
                encoding: Optional[str] = typer.Option(None, help="Force a text encoding (default: detect)"),
                db: Optional[str] = typer.Option(None, help=_DB)) -> None:
    """Extract claims: entity, metric, value in base units, unit, qualifier, date/period, span, quote."""
    from ..app.news import extract_files

    result = extract_files(open_store(db), files, published, market, encoding, add_to_ledger, title, publisher)
    if result.added is not None:
        typer.echo(f"added {result.added} news facts from {len(result.files)} file(s)", err=True)
    emit(result, as_json, _render_claims)


def _render_claims(result) -> None:
    for f in result.files:
        typer.echo(f"{f['path']}  ({f['encoding']}, {f['claims']} claims)")
        for c in (c for c in result.claims if c["article"] == f["path"]):
            val = c["text"] if c["value"] is None else f"{c['value']:g}"
            typer.echo(f"  {c['start']:>6}  {c['entity'] or '-':<12} {c['metric']:<32} {val:>16} "
                       f"{c['unit'] or '':<7} {c['qualifier']:<10} {c['period'] or c['date'] or '':<10} "
                       f"{c['quote'][:40]}")


@news_app.command("check")
@handle_errors
def check_cmd(files: List[str] = typer.Argument(..., help="Article text files"),
              published: Optional[str] = typer.Option(None, help=_PUBLISHED),
              market: Optional[str] = typer.Option(None, help=_MARKET),
              as_json: bool = typer.Option(False, "--json", help="JSON: claims with verdicts, and findings"),
              all_findings: bool = typer.Option(False, "--all", help="List consistent findings too"),
              encoding: Optional[str] = typer.Option(None, help="Force a text encoding"),
              db: Optional[str] = typer.Option(None, help=_DB)) -> None:
    """Check claims: arithmetic inside each article, across the articles, and against the ledger."""
    from ..app.news import check_files

    result = check_files(open_store(db), files, published, market, encoding)
    emit(result, as_json, lambda r: _render_check(r, all_findings))


def _render_check(result, all_findings: bool) -> None:
    from ..i18n import current_lang, has, t
    from ..report.common import value_label
    from ..report.terminal import formula_text, known

    def word(prefix: str, v: str) -> str:
        return t(f"{prefix}.{v}") if has(f"{prefix}.{v}") else v

    counts = result.verdicts
    typer.echo(t("news.claims", n=sum(counts.values()), counts=", ".join(
        f"{word('news.verdict', k)} {v}" for k, v in sorted(counts.items()))))
    typer.echo(t("news.flagged", n=len(result.flagged)) + ("" if all_findings else t("news.use_all")))
    for d in getattr(result, "deals", []):
        typer.echo(t("news.deal", name=d["name"], market=d["market"], deal_key=d["key"],
                     stage=(d["stage"] if current_lang() == "en" else value_label("stage", d["stage"], current_lang()))
                     if d["stage"] else t("deal.no_stage"),
                     date=d["stage_date"] or "", claims=", ".join(d["claims"][:6])))
    for f in sorted(result.findings if all_findings else result.flagged, key=lambda f: f["verdict"]):
        typer.echo(f"- {word('news.verdict_head', f['verdict']):<12} {word('news.check', f['check']):<14} "
                   f"{', '.join(f['claims'][:3])}\n    {formula_text(known(f['why']))}")


@news_app.command("eval")
@handle_errors
def eval_cmd(articles: Optional[str] = typer.Option(None, help="Directory holding the article files"),
             facts: Optional[str] = typer.Option(None, help="Labelled facts YAML (format of article_facts.yaml)"),
             corpus: Optional[str] = typer.Option(None, help="Labelled corpus folder (news-dev format)"),
             split: str = typer.Option("dev", help="With --corpus: dev (odd NN), test (even NN) or all"),
             details: bool = typer.Option(False, "--details", help="With --corpus: list misses, wrong metrics, "
                                                                   "false flags, missed errors"),
             as_json: bool = typer.Option(False, "--json"),
             db: Optional[str] = typer.Option(None, help=_DB)) -> None:
    """Score the reader: on a labelled corpus (--corpus: recall, currency, metric, flags, errors, verified share),
    or extraction against labelled facts (--articles and --facts: value recall/precision, currency, per metric)."""
    from ..app.base import UserError

    if corpus:
        from ..app.news import evaluate_corpus
        from ..report.terminal import print_news_corpus_eval

        emit(evaluate_corpus(open_store(db), corpus, split, details), as_json,
             lambda r: print_news_corpus_eval(r.to_dict()))
        return
    if not (articles and facts):
        raise UserError("give --corpus DIR, or both --articles DIR and --facts FILE")
    from ..app.news import evaluate

    emit(evaluate(open_store(db), articles, facts), as_json, lambda r: typer.echo(r._table))
