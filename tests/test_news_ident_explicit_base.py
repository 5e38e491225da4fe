"""A return whose own sentence states its base and not the price ('3 percent above the offer price of $44') is
judged however far it lies from the relation's value: the reading is not in doubt. Without the base in its sentence
a return a factor away from the relation stays unjudged (a day's move read as the return from the offer).

Invented figures: offer 44, open 47 (47 / 44 - 1 = 6.82%, not 3%); offer 61, close 50.02 (-18.0%, not -1.87%)."""
from ipolens.news.extract import Claim
from ipolens.news.verify import verify


def claim(n, metric, value, unit, start, sentence, half):
    return Claim(id=f"f#{n}", article="f", entity="某公司", entity_key="US:ABCD", code=None, metric=metric,
                 value=value, unit=unit, qualifier="exact", start=start, end=start + 4, quote=f"{value:g}",
                 sentence=sentence, date="2025-01-02", _nstart=start, _nend=start + 4, _resn=half)


def test_return_with_its_base_in_its_sentence_is_judged():
    s1, s2 = "The shares began at $47.", "That first trade was 3 percent above the offer price of $44."
    cs = [claim(1, "open_price", 47, "USD", 20, s1, 0.005),
          claim(2, "first_day_open_return", 3, "pct", 50, s2, 0.5),
          claim(3, "offer_price", 44, "USD", 85, s2, 0.005)]
    verify({"f": cs})
    # 6.82% derived, '3 percent' admits 2.5..3.5: a factor 2.3 apart, but the base is in the sentence
    assert cs[1].verdict == "inconsistent"


def test_return_without_its_base_stays_unjudged():
    s1, s2 = "The offer price was 61 yuan.", "Today it ended at 50.02 yuan, off 1.87%."
    cs = [claim(1, "offer_price", 61, "CNY", 20, s1, 0.005),
          claim(2, "close_price", 50.02, "CNY", 50, s2, 0.005),
          claim(3, "first_day_return", -1.87, "pct", 70, s2, 0.005)]
    verify({"f": cs})
    # 50.02 / 61 - 1 = -18.0% derived vs -1.87%: a factor 10 apart and no base in the return's sentence
    assert cs[2].verdict == "unverifiable"
