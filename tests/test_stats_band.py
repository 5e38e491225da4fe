"""`ipolens stats --by band`: band counts add up, and the means match an independent recomputation from the CSV."""
from __future__ import annotations

import csv
import json
import math
from pathlib import Path

import pytest

from ipolens.analytics import stats
from ipolens.app.profile import ipos_from

from conftest import SHARED  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
SHARED_CSV = SHARED / "data" / "hk_ipos_2018_2022" / "hk_ipos_2018_2022.csv"
EMBEDDED_CSV = REPO / "src" / "ipolens" / "data" / "embedded" / "hk_listings_2018_2022.csv"


def _raw_rows() -> list[dict]:
    """The 2018-2022 rows as percent numbers, read with the csv module only (no ipolens code)."""
    if SHARED_CSV.exists():  # the upstream export: fractions, columns as in SOURCE.md
        rows = []
        for r in csv.DictReader(SHARED_CSV.open(encoding="utf-8")):
            rows.append({"x": r["public_oversubscription_x"], "under": r["public_undersubscribed"],
                         "ret": str(float(r["first_day_return"]) * 100) if r["first_day_return"] else "",
                         "ipo": r["counts_as_ipo"]})
        return rows
    return [{"x": r["oversubscription_public"], "under": r["public_undersubscribed"], "ret": r["first_day_return"],
             "ipo": r["counts_as_ipo"]} for r in csv.DictReader(EMBEDDED_CSV.open(encoding="utf-8"))]


def _band(x: str, under: str) -> str | None:
    if x == "":
        return "<1x" if under in ("1", "1.0") else None
    v = float(x)
    return "<1x" if v < 1 else "1-15x" if v < 15 else "15-50x" if v < 50 else "50-100x" if v < 100 else ">=100x"


def test_band_counts_sum_and_means_recomputed(run_cli):
    res = run_cli("stats", "--by", "band", "--market", "HK", "--years", "2018-2022", "--json")
    assert res.exit_code == 0, res.output
    out = json.loads(res.output)
    groups = out["groups"]
    assert [g["band"] for g in groups] == ["<1x", "1-15x", "15-50x", "50-100x", ">=100x"]
    total = sum(g["listings"] for g in groups)
    assert total == out["ipos_banded"] == out["ipos_with_multiple"] + out["ipos_flagged_undersubscribed_without_multiple"]

    raw = [r for r in _raw_rows() if r["ipo"] not in ("0", "0.0")]
    with_value = [r for r in raw if _band(r["x"], r["under"]) is not None]
    assert total == len(with_value)
    assert out["ipos_with_multiple"] == sum(1 for r in raw if r["x"] != "")
    for g in groups:
        rets = [float(r["ret"]) for r in with_value if _band(r["x"], r["under"]) == g["band"] and r["ret"] != ""]
        assert g["listings"] == sum(1 for r in with_value if _band(r["x"], r["under"]) == g["band"])
        assert g["count"] == len(rets)
        assert math.isclose(g["mean"], sum(rets) / len(rets), rel_tol=1e-9, abs_tol=1e-6)
        s = sorted(rets)
        mid = len(s) // 2
        median = s[mid] if len(s) % 2 else (s[mid - 1] + s[mid]) / 2
        assert math.isclose(g["median"], median, abs_tol=1e-6)
        assert math.isclose(g["pct_broken"], 100 * sum(1 for v in rets if v < 0) / len(rets), abs_tol=1e-9)


def test_band_counts_whole_market(store):
    with store.read() as led:
        ipos = ipos_from(led, "HK")
    out = stats.band_table(ipos)
    assert sum(g["listings"] for g in out["groups"]) == out["ipos_banded"]
    kept = ipos[ipos["counts_as_ipo"].fillna(1) != 0]
    assert out["ipos_with_multiple"] == int(kept["oversubscription_public"].notna().sum())


@pytest.mark.parametrize("x,under,band", [(0.5, None, "<1x"), (1.0, None, "1-15x"), (14.99, None, "1-15x"),
                                          (15, None, "15-50x"), (50, None, "50-100x"), (100, None, ">=100x"),
                                          (2347.53, None, ">=100x"), (None, 1, "<1x"), (None, 0, None),
                                          (None, None, None), (float("nan"), None, None)])
def test_band_edges(x, under, band):
    assert stats.band_of(x, under) == band
