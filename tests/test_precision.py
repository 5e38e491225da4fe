"""Precision by kind of source (issue 12, item 2).

Numbers from datasets, user files, filings and providers are exact as given: their decimal representation says
nothing about their precision (float noise is noise, a trailing zero is not a rounding). A fact may state the
rounding step its source used (``Fact.precision``). Only text (news, quoted claims) is read as written.
Every expected value below is worked out by hand in the comments.
"""
from __future__ import annotations

import math

import duckdb
import pytest

from ipolens.analytics.fx import FxTable
from ipolens.analytics.fx_conflicts import fx_conflicts
from ipolens.ledger import schema
from ipolens.ledger.derived import refresh_derived
from ipolens.ledger.model import Entity, Fact, FactError, Source
from ipolens.ledger.qualifiers import as_given, interval, noise_resolution, resolution
from ipolens.ledger.queries.fx import fx_rates
from ipolens.ledger.queries.ledger import cross_currency_pairs
from ipolens.ledger.store import Ledger

E = "HK:09999"


@pytest.fixture()
def led():
    L = Ledger(":memory:")
    L.add_entities([Entity(E, "listing", "HK", "09999.HK", "Test Co", "测试")])
    for sid, kind in (("dataset:a", "dataset"), ("dataset:b", "dataset"), ("user:mine", "user"),
                      ("filing:x", "exchange_filing"), ("news:one", "news")):
        L.add_source(Source(sid, kind, f"source {sid}", published="2026-01-05"))
    yield L
    L.close()


def _conflicts(L: Ledger, field: str) -> list[tuple[float, float]]:
    rows = L.query("SELECT value_a, value_b FROM conflicts WHERE field = ? ORDER BY id_a, id_b", [field])
    return [tuple(r) for r in rows.itertuples(index=False)]


def _lohi(L: Ledger, source: str, field: str) -> tuple[float, float]:
    return tuple(L.con.execute("SELECT lo, hi FROM facts WHERE source_id = ? AND field = ?",
                               [source, field]).fetchone())


# -- the rule itself --------------------------------------------------------------------------------------------

def test_the_rule_by_kind_of_source():
    # text: 70 written as "70" is read to the tens digit (+-5), 19.6 to +-0.05
    assert interval(70) == (65.0, 75.0)
    assert interval(19.6) == pytest.approx((19.55, 19.65))
    # as given: 70 is 70, up to half a unit of its 12th significant digit (7.0e1 -> 1e-10 / 2)
    assert interval(70, written=False) == pytest.approx((70 - 5e-11, 70 + 5e-11), abs=1e-13)
    assert noise_resolution(13.167) == pytest.approx(5e-11)  # 12 digits: 13.1670000000, half of 1e-10
    # a stated precision wins over both: 0.01 -> +-0.005, 1 -> +-0.5
    assert interval(68.63, precision=0.01, written=False) == pytest.approx((68.625, 68.635))
    assert interval(70, precision=1) == pytest.approx((69.5, 70.5))
    assert resolution(5.52e9, precision=1e6) == 5e5
    # float noise: the stored value loses it, and the text rule does not read it as 15 decimals
    assert as_given(13.167000000000002) == 13.167 and as_given(0.1 + 0.2) == 0.3
    assert interval(13.167000000000002) == pytest.approx((13.1665, 13.1675))
    # a range with a stated step widens by half of it at each end: 10..20 at step 1 -> 9.5..20.5
    assert interval(10, "range", 20, precision=1) == (9.5, 20.5)


@pytest.mark.parametrize("bad", [0, -1, math.nan, math.inf, "0.01", True])
def test_a_bad_precision_is_refused_naming_the_field(led, bad):
    with pytest.raises(FactError, match="first_day_return: precision"):
        led.add_facts([Fact(E, "first_day_return", "dataset:a", value=13.2, unit="pct", precision=bad)])
    assert led.query("SELECT count(*) n FROM facts").n[0] == 0


# -- acceptance: float noise and rounded dataset values --------------------------------------------------------

def test_float_noise_in_a_dataset_is_not_precision(led):
    led.add_facts([
        Fact(E, "first_day_return", "dataset:a", value=13.167000000000002, unit="pct"),
        Fact(E, "first_day_return", "user:mine", value=13.167, unit="pct"),
    ])
    # the noisy value is stored as 13.167 and agrees with the exact 13.167
    assert led.query("SELECT value_num FROM facts WHERE source_id = 'dataset:a'").value_num[0] == 13.167
    assert _conflicts(led, "first_day_return") == []
    # ...but it is not widened either: 13.1675 (a real 0.0005 difference) disagrees with both
    led.add_facts([Fact(E, "first_day_return", "dataset:b", value=13.1675, unit="pct")])
    assert _conflicts(led, "first_day_return") == [(13.167, 13.1675), (13.167, 13.1675)]


def test_a_rounded_dataset_value_agrees_with_the_recomputation_within_its_precision(led):
    # offer 165, close 345 (a filing, exact): (345 / 165 - 1) x 100 = 109.0909...; the dataset rounds it to 109.091
    # and says so (precision 0.001: 109.0905..109.0915). Without the stated step 109.091 would be exact as given
    # and 0.00009 away from 109.0909: a conflict.
    led.add_facts([
        Fact(E, "offer_price", "filing:x", value=165.0, currency="HKD"),
        Fact(E, "close_price", "filing:x", value=345.0, currency="HKD", as_of="2026-01-09"),
        Fact(E, "first_day_return", "dataset:a", value=109.091, unit="pct", precision=0.001),
        Fact(E, "first_day_return", "dataset:b", value=109.091, unit="pct"),
    ])
    refresh_derived(led)
    derived = led.query("SELECT value_num FROM facts WHERE source_id = 'derived:ipolens' "
                        "AND field = 'first_day_return'").value_num[0]
    assert derived == pytest.approx(109.090909, abs=1e-6)
    rows = led.query("SELECT source_a, source_b FROM conflicts WHERE field = 'first_day_return'")
    assert sorted(tuple(sorted(r)) for r in rows.itertuples(index=False)) == [("dataset:b", "derived:ipolens")]


def test_a_whole_percent_and_a_real_disagreement(led):
    # 70 stated "rounded to whole %" (precision 1: 69.5..70.5) agrees with 69.6; 70 as given does not, and neither
    # does 70 vs 68.63 at precision 0.01 (68.625..68.635): the trailing zero widens nothing.
    led.add_facts([
        Fact(E, "cornerstone_share_of_offer", "dataset:a", value=70, unit="pct", precision=1),
        Fact(E, "cornerstone_share_of_offer", "user:mine", value=69.6, unit="pct"),
    ])
    assert _conflicts(led, "cornerstone_share_of_offer") == []
    led.add_facts([Fact(E, "cornerstone_share_of_offer", "dataset:b", value=68.63, unit="pct", precision=0.01)])
    # 68.63 disagrees with 70 (69.5..70.5) and with 69.6
    assert _conflicts(led, "cornerstone_share_of_offer") == [(70.0, 68.63), (69.6, 68.63)]


def test_70_vs_68_63_is_flagged_without_a_stated_precision(led):
    led.add_facts([
        Fact(E, "cornerstone_share_of_offer", "user:mine", value=70, unit="pct"),
        Fact(E, "cornerstone_share_of_offer", "dataset:a", value=68.63, unit="pct", precision=0.01),
    ])
    assert _conflicts(led, "cornerstone_share_of_offer") == [(70.0, 68.63)]
    lo, hi = _lohi(led, "user:mine", "cornerstone_share_of_offer")
    assert hi - lo < 1e-9  # not 65..75


def test_only_text_reads_rounding_from_the_digits(led):
    # 约 nothing: a news article's "70%" admits 65..75 (tens digit), so it agrees with 68.63; a dataset's 70 does not
    led.add_facts([
        Fact(E, "cornerstone_share_of_offer", "dataset:a", value=68.63, unit="pct", precision=0.01),
        Fact(E, "cornerstone_share_of_offer", "news:one", value=70, unit="pct", quote="基石占70%"),
    ])
    assert _conflicts(led, "cornerstone_share_of_offer") == []
    assert _lohi(led, "news:one", "cornerstone_share_of_offer") == (65.0, 75.0)


def test_the_source_kind_decides_not_the_source_id(led):
    # a news source whose id does not say so, and a claim without a quote: still text, read as written
    led.add_source(Source("imported-article", "news", "an article imported as a table", published="2026-01-05"))
    led.add_facts([Fact(E, "cornerstone_share_of_offer", "imported-article", value=70, unit="pct")])
    assert _lohi(led, "imported-article", "cornerstone_share_of_offer") == (65.0, 75.0)


def test_precision_is_stored(led):
    led.add_facts([Fact(E, "first_day_return", "dataset:a", value=109.091, unit="pct", precision=0.001)])
    assert led.query("SELECT precision FROM facts").precision[0] == 0.001


# -- recomputations carry their inputs' precision ---------------------------------------------------------------

def test_a_recomputation_carries_its_inputs_precision(led):
    # close 34.5 rounded to 0.1 (34.45..34.55), offer 19.6 exact: the return is (34.45 / 19.6 - 1) x 100 = 75.7653
    # .. (34.55 / 19.6 - 1) x 100 = 76.2755. A stated 75.8163 is inside, 77 is not.
    led.add_facts([
        Fact(E, "offer_price", "filing:x", value=19.6, currency="HKD"),
        Fact(E, "close_price", "user:mine", value=34.5, currency="HKD", precision=0.1, as_of="2026-01-02"),
        Fact(E, "first_day_return", "dataset:a", value=75.8163, unit="pct", precision=0.0001),
        Fact(E, "first_day_return", "dataset:b", value=77.0, unit="pct"),
    ])
    refresh_derived(led)
    lo, hi = _lohi(led, "derived:ipolens", "first_day_return")
    assert lo == pytest.approx(75.7653, abs=1e-4) and hi == pytest.approx(76.2755, abs=1e-4)
    rows = led.query("SELECT source_a, source_b FROM conflicts WHERE field = 'first_day_return'")
    pairs = sorted(tuple(sorted(r)) for r in rows.itertuples(index=False))
    # 77 disagrees with the recomputation and with 75.8163; 75.8163 agrees with the recomputation
    assert pairs == [("dataset:a", "dataset:b"), ("dataset:b", "derived:ipolens")]


# -- the same rule across currencies ----------------------------------------------------------------------------

def _fx_ledger(led: Ledger, usd: float, usd_precision: float | None = None) -> list:
    led.add_source(Source("fx:test", "dataset", "test rates"))
    led.con.execute("INSERT INTO fx_rates (date, base, quote, rate, source_id) VALUES "
                    "('2026-01-05', 'USD', 'HKD', 7.8, 'fx:test')")
    led.add_facts([Fact(E, "proceeds_gross", "dataset:a", value=1.0e9, currency="HKD"),
                   Fact(E, "proceeds_gross", "dataset:b", value=usd, currency="USD", precision=usd_precision)])
    return fx_conflicts(cross_currency_pairs(led), FxTable(fx_rates(led))).to_dict("records")


def test_fx_dataset_values_are_exact_as_given(led):
    # HK$1,000,000,000 at 7.8 = US$128,205,128.205...; the same figure with float noise agrees
    assert _fx_ledger(led, 1.0e9 / 7.8 * (1 + 1e-15)) == []


def test_fx_a_round_dataset_figure_is_not_widened(led):
    # US$130,000,000 x 7.8 = HK$1,014,000,000, not 1,000,000,000. As text "1.3亿" would admit 1.25..1.35亿 and hide
    # it; a dataset's 130000000 is exact.
    rows = _fx_ledger(led, 1.3e8)
    assert len(rows) == 1 and rows[0]["value_b_converted_lo"] == pytest.approx(1.014e9)


def test_fx_a_stated_precision_is_used(led):
    # US$130m rounded to US$10m (125m..135m) x 7.8 = HK$975m..1,053m: contains HK$1bn
    assert _fx_ledger(led, 1.3e8, usd_precision=1e7) == []


# -- existing ledgers -------------------------------------------------------------------------------------------

def test_an_existing_ledger_gets_the_column_and_exact_intervals(tmp_path):
    path = tmp_path / "old.duckdb"
    con = duckdb.connect(str(path))
    for stmt in schema.DDL[:len(schema.DDL) - len(schema.MIGRATIONS)]:  # the tables as they were before
        con.execute(stmt.replace("precision DOUBLE CHECK (precision IS NULL OR precision > 0),", ""))
    assert "precision" not in [r[0] for r in con.execute("DESCRIBE facts").fetchall()]
    con.execute("INSERT INTO sources (id, kind, title) VALUES ('dataset:a', 'dataset', 'a'), ('news:one', 'news', 'n')")
    # written by the old rule: every exact figure read as written (70 -> 65..75)
    con.execute("INSERT INTO facts (entity, field, value_num, unit, qualifier, lo, hi, source_id, quote) VALUES "
                "('HK:09999', 'cornerstone_share_of_offer', 70, 'pct', 'exact', 65, 75, 'dataset:a', NULL), "
                "('HK:09999', 'cornerstone_share_of_offer', 70, 'pct', 'exact', 65, 75, 'news:one', '基石占70%'), "
                "('HK:09999', 'cornerstone_count', 20, NULL, 'about', 19, 21, 'dataset:a', NULL)")
    con.close()
    L = Ledger(path)
    try:
        cols = [r[0] for r in L.con.execute("DESCRIBE facts").fetchall()]
        assert "precision" in cols
        rows = L.con.execute("SELECT source_id, field, lo, hi FROM facts ORDER BY id").fetchall()
        (_, _, lo, hi), news, about = rows
        assert lo == pytest.approx(70 - 5e-11, abs=1e-13) and hi == pytest.approx(70 + 5e-11, abs=1e-13)
        assert news[2:] == (65.0, 75.0) and about[2:] == (19.0, 21.0)  # text and hedged figures keep theirs
        assert L.get_meta("interval_rule") == schema.INTERVAL_RULE
        # it runs once: a later fact written by hand keeps what its writer gave it
        L.con.execute("UPDATE facts SET lo = 60 WHERE source_id = 'dataset:a' AND field = "
                      "'cornerstone_share_of_offer'")
    finally:
        L.close()
    L = Ledger(path)
    try:
        assert L.con.execute("SELECT lo FROM facts WHERE source_id = 'dataset:a' AND "
                             "field = 'cornerstone_share_of_offer'").fetchone()[0] == 60
    finally:
        L.close()


# -- the embedded dataset -----------------------------------------------------------------------------------------

def test_embedded_dataset_conflicts_are_the_three_real_ones(store):
    """The embedded dataset states its columns' rounding (precision.yaml). MiniMax's 109.091 (to 0.001) agrees with
    345 / 165 = 109.0909 and OmniVision's 16.2214 with 121.8 / 104.8 = 16.22137; without the stated steps both
    were conflicts. What remains are the three documented disagreements (README, "Conflicts")."""
    from ipolens.app.profile import conflicts

    rows = conflicts(store).rows
    assert sorted(zip(rows["entity"], rows["field"])) == [
        ("HK:02513", "valuation"), ("HK:06082", "cornerstone_share_of_offer"), ("SH:688795", "first_day_return")]
    with store.read() as led:
        got = led.query("SELECT entity, precision_step FROM (SELECT entity, hi - lo AS precision_step FROM facts "
                        "WHERE source_id = 'dataset:urop-hk-ipo-2026' AND field = 'first_day_return') "
                        "WHERE entity IN ('HK:00100', 'HK:00501') ORDER BY entity")
    assert list(got["precision_step"]) == pytest.approx([0.001, 0.001])


@pytest.mark.parametrize("precision,agrees", [(None, False), (0.001, True)])
def test_profile_agreement_follows_the_stored_interval(fresh_store, precision, agrees):
    # 34.5 / 16.5 - 1 = 1.0909090...: a dataset's 109.091 (%) agrees only when the dataset says it rounded to 0.001
    from ipolens.app.profile import ipo_profile

    key = "HK:07997"
    with fresh_store.write() as L:
        L.add_source(Source("dataset:prec", "dataset", "precision test", published="2026-03-02"))
        L.add_entities([Entity(key, "listing", "HK", "07997.HK", "Precision Test")])
        L.add_facts([Fact(key, "offer_price", "dataset:prec", value=16.5, currency="HKD"),
                     Fact(key, "close_price", "dataset:prec", value=34.5, currency="HKD"),
                     Fact(key, "first_day_return", "dataset:prec", value=109.091, unit="pct", precision=precision)])
    ret = ipo_profile(fresh_store, "7997.HK").to_dict()["first_day"]["first_day_return"]
    checks = ret.get("stated_values") or ret.get("recomputed", {}).get("stated_values") or []
    stated = ret if "recomputed" in ret else None
    verdicts = [c["agrees_with_derived"] for c in checks] if checks else [not bool(stated)]
    assert verdicts == [agrees], ret
