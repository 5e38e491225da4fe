"""extract_claims pauses the cyclic garbage collector while it runs: it makes no reference cycles (checked here on
invented text), and the collector's state is restored however extraction ends."""
import gc

import pytest

from ipolens.news.extract import extract_claims
from ipolens.news.text import article_from_text

_TEXT = ("甲公司今日上市，发行价每股12.5港元，首日收报15.2港元，较发行价上涨21.6%。\n"
         "乙公司招股价介乎8至9港元，一手500股，入场费约4545港元。\n"
         "The company raised HK$1.2 billion, about 3% below its target.\n") * 20


def test_extraction_leaves_no_cyclic_garbage():
    gc.collect()
    gc.disable()
    try:
        claims = extract_claims(article_from_text(_TEXT, "t.txt"))
        assert claims  # (the text has figures: the run did real work)
        assert gc.collect() == 0
    finally:
        gc.enable()


@pytest.mark.parametrize("enabled", [True, False])
def test_the_collector_state_is_restored(enabled):
    (gc.enable if enabled else gc.disable)()
    try:
        extract_claims(article_from_text(_TEXT, "t.txt"))
        assert gc.isenabled() is enabled
    finally:
        gc.enable()


def test_the_collector_is_restored_when_extraction_stops():
    seen = []

    def tick():
        seen.append(gc.isenabled())
        raise TimeoutError("deadline")

    assert gc.isenabled()
    with pytest.raises(TimeoutError):
        extract_claims(article_from_text(_TEXT, "t.txt"), tick=tick)
    assert seen == [False]  # paused while running
    assert gc.isenabled()
