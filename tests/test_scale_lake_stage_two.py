"""Issue 15: the news batch's stage two (cross-article groups over the claims files) names, for a group whose
intervals do not all overlap, the claim with the highest lower bound and the one with the lowest upper bound; on a
tie, the first in file order (partition file name, then row)."""
from __future__ import annotations

from ipolens.app.news_batch import TYPES
from ipolens.ledger import lake
from ipolens.news.batch import CLAIM_COLUMNS


def _claim(article: str, cid: str, value: float, lo: float, hi: float) -> dict:
    return {"article": article, "id": cid, "entity_key": "HK:06082", "metric": "offer_price", "value": value,
            "unit": "HKD", "lo": lo, "hi": hi, "dating": "deal", "group_date": "", "quote": f"{value}"}


def test_extremes_and_ties_follow_file_order(tmp_path):
    # by hand: highest lower bound 21.0 is held by b#1 (part-00000, row 1) and d#1 (part-00001): b#1 comes first;
    # lowest upper bound 19.605 by a#1 (part-00000, row 0) and c#1 (part-00001): a#1 comes first
    lake.write_rows([_claim("a", "a#1", 19.6, 19.595, 19.605), _claim("b", "b#1", 21.0, 21.0, 21.01)],
                    CLAIM_COLUMNS, TYPES, tmp_path / "claims" / "part-00000.parquet")
    lake.write_rows([_claim("c", "c#1", 19.6, 19.595, 19.605), _claim("d", "d#1", 21.0, 21.0, 21.02),
                     _claim("e", "e#1", 20.0, 19.995, 20.005)],
                    CLAIM_COLUMNS, TYPES, tmp_path / "claims" / "part-00001.parquet")
    g = lake.cross_article_groups(tmp_path)
    assert len(g) == 1
    r = g.iloc[0]
    assert (r["a_id"], r["b_id"], int(r["claims"])) == ("b#1", "a#1", 5)


def test_no_group_when_the_extremes_share_an_article(tmp_path):
    lake.write_rows([_claim("a", "a#1", 19.6, 19.595, 19.605), _claim("a", "a#2", 21.0, 20.995, 21.005)],
                    CLAIM_COLUMNS, TYPES, tmp_path / "claims" / "part-00000.parquet")
    assert lake.cross_article_groups(tmp_path).empty


# -- against a brute-force reading of the rule, on generated claims over several files ----------------------------
from hypothesis import given, settings, strategies as st  # noqa: E402

_KEYS = [("HK:06082", "offer_price", "HKD", "deal"), ("HK:06082", "close_price", "HKD", "point"),
         ("HK:02513", "close_price", "HKD", "point"), ("HK:02513", "revenue", "CNY", "period")]
_DATES = {"deal": [""], "point": ["", "2026-01-02", "2026-01-05"], "period": ["2024", "2025"]}


@st.composite
def _claims(draw):
    files = []
    for f in range(draw(st.integers(1, 3))):
        rows = []
        for r in range(draw(st.integers(0, 6))):
            ent, metric, unit, dating = draw(st.sampled_from(_KEYS))
            lo = float(draw(st.integers(10, 14)))  # few distinct values: ties are common
            hi = None if draw(st.integers(0, 5)) == 0 else lo + draw(st.sampled_from([0.0, 0.5, 2.0]))
            rows.append({"article": draw(st.sampled_from("pqrs")), "id": f"f{f}r{r}", "entity_key": ent,
                         "metric": metric, "value": lo, "unit": unit, "lo": lo, "hi": hi, "dating": dating,
                         "group_date": draw(st.sampled_from(_DATES[dating])), "quote": f"q{f}.{r}"})
        files.append(rows)
    return files


def _first(rows, col, bound):
    return next(r for r in rows if r[col] == bound)  # rows are in file order


def _expected(files):
    """The rule, claim by claim: each group plus the undated readings of its metric; the extreme claims are the
    first in file order, taken from the group itself unless the undated readings hold a strictly more extreme bound."""
    rows = [r for f in files for r in f]
    raw: dict = {}
    for r in rows:
        raw.setdefault((r["entity_key"], r["metric"], r["unit"], r["group_date"]), []).append(r)
    undated = {k[:3]: v for k, v in raw.items() if v[0]["dating"] == "point" and k[3] == ""}
    out = []
    for k, own in raw.items():
        point = own[0]["dating"] == "point"
        if point and k[3] == "" and any(j[:3] == k[:3] and j[3] != "" for j in raw):
            continue  # undated readings joined their metric's dated groups
        extra = undated.get(k[:3], []) if point and k[3] != "" else []
        his = [r["hi"] for r in own if r["hi"] is not None]
        xhis = [r["hi"] for r in extra if r["hi"] is not None]
        max_lo = max(r["lo"] for r in own)
        a = _first(own, "lo", max_lo)
        if extra and max(r["lo"] for r in extra) > max_lo:
            max_lo = max(r["lo"] for r in extra)
            a = _first(extra, "lo", max_lo)
        b, min_hi = (_first(own, "hi", min(his)), min(his)) if his else (None, None)
        if xhis and (min_hi is None or min(xhis) < min_hi):
            min_hi = min(xhis)
            b = _first(extra, "hi", min_hi)
        if b is not None and max_lo > min_hi and a["article"] != b["article"]:
            out.append((*k, len(own) + len(extra), a["id"], b["id"]))
    return sorted(out)


@settings(max_examples=60, deadline=None)
@given(_claims())
def test_groups_match_a_brute_force_reading(tmp_path_factory, files):
    root = tmp_path_factory.mktemp("stage2")
    for n, rows in enumerate(files):
        lake.write_rows(rows, CLAIM_COLUMNS, TYPES, root / "claims" / f"part-{n:05d}.parquet")
    g = lake.cross_article_groups(root)
    got = sorted((r.entity_key, r.metric, r.unit, r.group_date, int(r.claims), r.a_id, r.b_id)
                 for r in g.itertuples()) if len(g) else []
    assert got == _expected(files)
