"""CLI: the IPO pipeline (``pipeline [--market M] [--stage S] [--json]``, ``pipeline import FILE``, ``deal NAME``)."""
from __future__ import annotations

import typer

from ._common import emit, handle_errors, open_store, print_out

JSON_HELP = ("Print JSON: {on, market, stage, include_listed, deals: [{key, name, market, code, listing, company, "
             "stage, stage_label, stage_date, stage_basis, next_step, lapse_date, price_range {low, high, currency, "
             "source}, raise {value, currency, qualifier, source, field, as_of}, valuations [{value, value_high, "
             "currency, as_of, kind (rumour|private_round|filed|priced), qualifier, source, quote, field, entity, "
             "note}], stages [{stage, date, source, doc_ref, quote, note, basis}]}], sources {id: {...}}}")
JSON = typer.Option(False, "--json", help=JSON_HELP)
ON = typer.Option(None, "--on", help="Read the current stages on this ISO date (default today)")

pipeline_app = typer.Typer(help="IPO pipeline deals (filed, in review, priced, listed, withdrawn) and their stages.",
                           no_args_is_help=False, add_completion=False, rich_markup_mode=None)


def _render_pipeline(r) -> None:
    from ..report.pipeline_terminal import print_pipeline
    print_pipeline(r.to_dict())


def _render_deal(r) -> None:
    from ..report.pipeline_terminal import deal_tables
    print_out(*deal_tables(r.to_dict()))


@pipeline_app.callback(invoke_without_command=True)
@handle_errors
def pipeline_cmd(ctx: typer.Context,
                 market: str = typer.Option(None, "--market", help="HK, STAR, CHINEXT, NASDAQ, NYSE ..."),
                 stage: str = typer.Option(None, "--stage", help="A stage code: a1_filed, hearing_passed, s1_public, "
                                                                 "priced, registered, listed, withdrawn ..."),
                 include_listed: bool = typer.Option(False, "--all", help="Also every listing in the ledger (a deal "
                                                                          "at stage listed)"),
                 on: str = ON, as_json: bool = JSON) -> None:
    """Deals in the IPO pipeline: current stage and date, next step, price range, raise and every valuation claim
    with its source. --json prints the object described under --json."""
    if ctx.invoked_subcommand is not None:
        return
    from ..app.pipeline import pipeline
    emit(pipeline(open_store(), market, stage, include_listed, on), as_json, _render_pipeline)


@pipeline_app.command("import")
@handle_errors
def import_cmd(file: str = typer.Argument(..., help="CSV or YAML of stage events: deal, market, code, stage, date, "
                                                    "doc_ref, quote (and note)"),
               source_title: str = typer.Option(None, "--source-title", help="Title of the source (default: the "
                                                                            "file name)"),
               source_kind: str = typer.Option("user", "--source-kind", help="user, exchange_filing, prospectus, "
                                                                            "dataset or news"),
               publisher: str = typer.Option(None, "--publisher"), url: str = typer.Option(None, "--url"),
               as_json: bool = typer.Option(False, "--json", help="Print JSON: {file, source, events, added, deals}")
               ) -> None:
    """Import stage events in one transaction; every bad row and field is listed and nothing is written."""
    from ..app.pipeline import import_stages
    r = import_stages(open_store(), file, source_title, source_kind, publisher, url)
    if as_json:
        emit(r, True)
    else:
        typer.echo(f"{r.file}: {r.events} events, {r.added} new stage rows under {r.source} "
                   f"({len(r.deals)} deal{'s' if len(r.deals) != 1 else ''})")


@handle_errors
def deal_cmd(name: str = typer.Argument(..., help="Deal name, ticker, deal key (DEAL:...), company or listing code"),
             on: str = ON,
             as_json: bool = typer.Option(False, "--json", help="Print JSON: one pipeline deal (the keys of "
                                                                "`ipolens pipeline --json` deals) plus on and sources")
             ) -> None:
    """One deal: every stage with its source and document, the next step, and every valuation claim side by side."""
    from ..app.pipeline import deal
    emit(deal(open_store(), name, on), as_json, _render_deal)


def register(app: typer.Typer) -> None:
    app.add_typer(pipeline_app, name="pipeline")
    app.command("deal")(deal_cmd)


