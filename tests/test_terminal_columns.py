"""Tables that fit the terminal: columns by priority, a note naming the hidden ones, no header cut to `…`."""
import io
import re

import pytest

WIDTHS = (80, 120)


@pytest.fixture(autouse=True)
def english():
    from ipolens.i18n import current_lang, set_lang

    before = current_lang()
    set_lang("en")
    yield
    set_lang(before)


def _console(width):
    from rich.console import Console

    return Console(width=width, file=io.StringIO(), record=True, color_system=None)


def _header_cells(text: str) -> list[str]:
    """The header cells of the first rich table in ``text`` (the line after the ┏ rule, joined over wrapped lines)."""
    lines = text.split("\n")
    top = next(i for i, x in enumerate(lines) if x.startswith("┏"))
    rows = []
    for x in lines[top + 1:]:
        if x.startswith("┡"):
            break
        rows.append([c.strip() for c in x.strip("┃").split("┃")])
    return [" ".join(w for w in col if w) for col in zip(*rows)]


def test_fit_by_hand():
    from ipolens.report.columns_terminal import Col, fit, table_width

    cols = [Col("a", "aaaa"), Col("b", "b"), Col("c", "cc")]
    rows = [["1234567890", "12345", "1"]]
    # widths 10, 5, 2: 17 + 3 per column x 3 + 1 closing rule = 27
    assert table_width([10, 5, 2]) == 27
    assert fit(cols, rows, 27) == ([0, 1, 2], [])
    # at 26 the least important goes first: with priority a, c, b that is b (hidden headers named)
    assert fit(cols, rows, 26, priority=["a", "c", "b"]) == ([0, 2], ["b"])
    # a wrapping column may shrink to wrap_min (but never below its longest header word) instead of going
    wide = [Col("n", "name", wrap=True, wrap_min=6), Col("x", "x")]
    assert fit(wide, [["a long company name", "1"]], 6 + 1 + 6 + 1)[1] == []


@pytest.mark.parametrize("width", WIDTHS)
def test_ipos_columns_fit_and_hidden_are_named(store, width):
    from ipolens.app.profile import ipos
    from ipolens.cli.core import print_ipos

    res = ipos(store, market="HK", year=2026)
    con = _console(width)
    hidden = print_ipos(res.rows, "IPOs", False, "", console=con)
    out = con.export_text()
    assert "…" not in out
    heads = _header_cells(out)
    # lot and one-lot columns are kept at 80 (the issue: they were dropped silently)
    assert "lot" in heads and "1-lot %" in heads
    assert max(len(x) for x in out.split("\n")) <= width
    if hidden:
        note = re.sub(r"\s+", " ", out[out.index("hidden"):])
        for h in hidden:
            assert h in note
    assert set(heads).isdisjoint(hidden)


@pytest.mark.parametrize("width", WIDTHS)
def test_all_columns_page_instead_of_zero_width(store, width):
    from ipolens.app.profile import ipos
    from ipolens.cli.core import print_ipos

    res = ipos(store, market="HK", year=2026, all_columns=True)
    con = _console(width)
    print_ipos(res.rows, "IPOs", True, "", console=con)
    out = con.export_text()
    assert max(len(x) for x in out.split("\n")) <= width
    flat = re.sub(r"\s+", " ", out)
    for c in res.rows.columns:  # every column is printed in a page, or named as empty in every row
        from ipolens.i18n import t

        header = t(f"col.{c}") if t(f"col.{c}") != f"col.{c}" else c
        assert header in flat, c
    assert "┃  ┃" not in out and "┃ ┃" not in out  # no zero-width column


@pytest.mark.parametrize("width", WIDTHS)
def test_lab_grid_readable(cli_home, width):
    from typer.testing import CliRunner

    from ipolens.cli import app

    r = CliRunner().invoke(app, ["lab", "grid", "--exit", "debut,day:80", "--stop", "none,0.1", "--engine", "local"],
                           env={"IPOLENS_HOME": str(cli_home), "COLUMNS": str(width)})
    assert r.exit_code == 0, r.output
    assert "…" not in r.output
    heads = _header_cells(r.output)
    assert all(h for h in heads)
    assert "mean_net_return %" in heads  # the column it sorts by is never the one hidden
    assert max(len(x) for x in r.output.split("\n")) <= width
    if len(heads) < 15:  # fewer than the grid's columns: the note names the rest
        assert "hidden" in r.output


def test_facts_print_no_nan_and_no_empty_fact_list(cli_home):
    from typer.testing import CliRunner

    from ipolens.cli import app

    r = CliRunner().invoke(app, ["facts", "6082.HK"], env={"IPOLENS_HOME": str(cli_home), "COLUMNS": "200"})
    assert r.exit_code == 0, r.output
    assert "nan" not in r.output.replace("financ", "") and "(facts )" not in r.output and "None" not in r.output
