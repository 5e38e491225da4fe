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
