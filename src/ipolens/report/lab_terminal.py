"""Terminal rendering of the strategy lab (``ipolens lab ...``): results as tables in the reader's language.
English keeps the result keys scripts read (hit_rate, mean_return_pct) as labels."""
from __future__ import annotations

from ..i18n import has, t
from .terminal import market_label, reason_text, show

__all__ = ["print_flip", "print_grid", "print_run", "print_metrics"]

_SKIP = ("market", "from", "to", "entry", "exit", "filter", "fees", "left_out")  # in the title / excluded rows

# grid columns, most important first (the rule's parameters, then the outcome): a narrow terminal hides the last
_GRID_PRIORITY = ("exit_day", "stop_loss", "take_profit", "trailing", "min_oversubscription", "mean_net_return",
                  "n_trades", "mean_return", "hit_rate", "mean_pnl_per_lot", "median_return", "avg_win", "avg_loss",
                  "std_return", "stop_hits", "take_profit_hits", "trailing_hits", "open_positions")

_RULE_PARAMS = ("stop_loss", "take_profit", "trailing")  # fractions the user set, not outcomes


def _num(v) -> str:
    return "–" if v is None else f"{v:,.4f}" if isinstance(v, float) else str(v)


def _metric(name: str) -> str:
    """A result's key as a label: ``lab.m.<key>`` from the catalogue (English keeps the keys scripts read: hit_rate,
    mean_return_pct); a dotted key (universe.listings) label by label."""
    def one(p: str) -> str:
        side, _, rest = p.partition("_")  # a walk-forward summary's train_<column> / test_<column>
        if not has(f"lab.m.{p}") and side in ("train", "test") and has(f"lab.m.{rest}"):
            return t(f"lab.m.{side}_of", x=t(f"lab.m.{rest}"))
        return t(f"lab.m.{p}") if has(f"lab.m.{p}") else p

    return t("lab.m.sep").join(one(p) for p in name.split("."))


def _pct_head(name: str) -> str:
    return t("lab.pct_head", h=_metric(name))


def _rule(text) -> str:
    """An entry or exit rule as the reader's words: offer, debut, day:N, open:K, close:K (else as typed)."""
    s = str(text)
    kind, _, n = s.partition(":")
    if n.isdigit() and has(f"lab.rule.{kind}_n"):
        return t(f"lab.rule.{kind}_n", n=int(n))
    return t(f"lab.rule.{s}") if has(f"lab.rule.{s}") else s


def _echo_excluded(excluded: dict, why: dict) -> None:
    from rich.console import Console
    from rich.text import Text

    con = Console()  # wrapped to the terminal, like the tables
    for k, n in excluded.items():
        if n:
            con.print(Text(t("lab.excluded", n=n, why=reason_text(k, why[k]))))


def _flip_rows(res) -> list[tuple]:
    rows = []
    for k, v in res.to_dict().items():
        if k == "universe":
            which = t("lab.ipos_only" if v["ipos_only"] else "lab.all_listings")
            rows.append((_metric("universe.listings"), f"{v['listings']}  ({which})"))
            rows += [(_metric(f"excluded.{kk}"), f"{n}  ({reason_text(kk, v['excluded_why'][kk])})")
                     for kk, n in v["excluded"].items() if n]
        elif isinstance(v, dict) and k not in _SKIP:
            rows += [(_metric(f"{k}.{kk}"), _num(vv)) for kk, vv in v.items()]
        elif k == "currency" and v:
            rows.append((_metric(k), t(f"currency_name.{v}")))
        elif isinstance(v, list) and k not in _SKIP:  # the kinds of price bars used
            rows.append((_metric(k), ", ".join(_metric(str(x)) for x in v)))
        elif k not in _SKIP and v is not None:
            rows.append((_metric(k), _num(v)))
    return rows


def print_flip(res) -> None:
    """``ipolens lab flip``: one row per metric of the backtest, the universe and what it excluded."""
    title = t("lab.flip_title", market=market_label(res.market), start=res.start or "", end=res.end or "",
              entry=_rule(res.entry), exit=_rule(res.exit)) + (t("lab.flip_filter", filter=res.filter)
                                                               if res.filter else "")
    show(title, ["lab.col.metric", "lab.col.value"], _flip_rows(res), left=("lab.col.metric",))


def _grid_cell(c, v, pct) -> str:
    if c == "exit_day":
        return _rule("debut") if int(v) == 0 else _rule(f"day:{int(v)}")
    if isinstance(v, float):
        # a return or rate in percent with two decimals (10.36, 7.71, 3.34 line up; four significant digits are
        # for small probabilities, not returns); a rule's parameter as set (a 25 % stop reads 25)
        if v != v:
            return "–"
        return f"{v * 100:.4g}" if c in _RULE_PARAMS else f"{v * 100:.2f}" if c in pct else \
            f"{v:,.0f}" if v.is_integer() else f"{v:,.2f}"  # P&L per lot, oversubscription: never 1.2e+04
    return _metric(v) if c in ("window", "segment", "sample") and isinstance(v, str) else str(v)


def _grid_table(title: str, frame, sort: str, pct, note: str = "") -> None:
    from .columns_terminal import Col, render

    off = [c for c in frame.columns if c in _GRID_PRIORITY and c != "exit_day" and frame[c].isna().all()]
    frame = frame.drop(columns=off)  # a rule left off in every combination says nothing per row
    cols = [Col(c, _pct_head(c) if c in pct else t("lab.col.exit") if c == "exit_day" else _metric(c),
                numeric=c != "exit_day") for c in frame.columns]
    rows = [[_grid_cell(c, v, pct) for c, v in zip(frame.columns, r)] for r in frame.itertuples(index=False)]
    notes = ((t("lab.not_set", cols=", ".join(map(_metric, off))),) if off else ()) + ((note,) if note else ())
    render(title, cols, rows, priority=[sort, *_GRID_PRIORITY, *frame.columns], notes=notes, option="--csv FILE")


def print_grid(res, top: int) -> None:
    """``ipolens lab grid``: the ``top`` best combinations, the walk-forward or bootstrap summary, the exclusions."""
    from ..app.lab import GRID_PCT

    df, uni = res.rows, res.universe
    _grid_table(t("lab.grid_title", n=f"{len(df):,}", top=min(top, len(df)), sort=_metric(res.sort.lstrip("-")),
                  listings=uni["listings"], what=t("lab.what_ipos" if uni["ipos_only"] else "lab.what_listings")),
                df.head(top), res.sort, GRID_PCT)
    if res.summary is not None and len(res.summary):  # walk-forward: best on train, then test; or bootstrap
        _grid_table(t("lab.sweep_summary"), res.summary.dropna(axis=1, how="all"), res.sort, GRID_PCT)
    _echo_excluded(uni["excluded"], uni["excluded_why"])


def print_run(res) -> None:
    """``ipolens lab run`` / ``barbell``: metrics down, sleeves across (readable in an 80-column terminal)."""
    from ..app.lab import RUN_COLUMNS, RUN_PCT

    s = res.book.summary
    rows = [[_pct_head(c) if c in RUN_PCT else _metric(c)]  # fractions in JSON; percent here, like the rest
            + ["–" if v != v else f"{v * 100:,.4g}" if c in RUN_PCT else f"{v:,.0f}" if abs(v) >= 1e4
               else f"{v:,.4g}" for v in s[c].tolist()] for c in RUN_COLUMNS]
    show(t("lab.run_title", name=res.name, start=res.book.dates[0].date(), end=res.book.dates[-1].date(),
           p=f"{res.periods_per_year:g}", rf=f"{res.risk_free:g}"),
         ["lab.col.metric", *(_metric(str(x)) for x in s.index)], rows, left=("lab.col.metric",))
    _echo_excluded(*res.excluded())
    if res.samples is not None:  # one row per sample: the book's total
        tot = res.samples[res.samples["sleeve"] == "total"].dropna(axis=1, how="all")
        show(t("lab.samples_title", n=len(tot)), [_metric(str(c)) for c in tot.columns],
             [[_metric(v) if isinstance(v, str) else _num(v) for v in r] for r in tot.values])
    if res.report:
        print(t("lab.report_written", path=res.report), flush=True)


def print_metrics(res) -> None:
    """``ipolens lab metrics``: one line a metric, the name right-aligned (plain text a script can read)."""
    for k, v in res.values().items():
        print(f"{k:>20}  {v:.6g}" if isinstance(v, float) else f"{k:>20}  {v}", flush=True)
