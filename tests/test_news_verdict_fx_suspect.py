"""An amount and its conversion that disagree: the converted amount is judged, unless something else supports it
and nothing supports the source, then the source takes the flag (verdicts._conversion_suspect).

Invented sentences, no dates (the HKD/USD band 7.75-7.85 applies): "collected HK$3.5 billion (US$409.9 million)"
and later "took in HK$3.2 billion (US$409.9 million) in all". 3.5e9 / 409.9e6 = 8.54 HKD per USD, outside the band;
3.2e9 / 409.9e6 = 7.81, inside: the second pair backs US$409.9 million, nothing backs HK$3.5 billion."""
from ipolens.news.extract import Claim
from ipolens.news.verify import verify

S1 = "collected HK$3.5 billion (US$409.9 million)"
S2 = "took in HK$3.2 billion (US$409.9 million) in all"


def claim(n, value, unit, start, end, gap, sentence, half):
    return Claim(id=f"c#{n}", article="c", entity="某公司", entity_key="HK:09996", code=None,
                 metric="proceeds_gross", value=value, unit=unit, qualifier="exact", start=start, end=end,
                 quote=f"{value:g}", sentence=sentence, date=None, _nstart=start, _nend=end, _resn=half, _gap=gap)


def test_the_unsupported_source_takes_the_flag():
    cs = [claim(1, 3.5e9, "HKD", 7, 21, "collected ", S1, 0.05e9), claim(2, 409.9e6, "USD", 23, 39, " (", S1, 0.05e6),
          claim(3, 3.2e9, "HKD", 400, 414, "took in ", S2, 0.05e9),
          claim(4, 409.9e6, "USD", 416, 432, " (", S2, 0.05e6)]
    verify({"c": cs})
    assert cs[0].verdict in ("tension", "inconsistent") and "fx" in cs[0].why
    assert cs[1].verdict not in ("tension", "inconsistent")
    assert cs[2].verdict == "consistent"


def test_without_support_the_converted_amount_keeps_the_flag():
    # one pair alone: nothing backs either figure, the check's own judgement stands
    cs = [claim(1, 3.5e9, "HKD", 7, 21, "collected ", S1, 0.05e9), claim(2, 409.9e6, "USD", 23, 39, " (", S1, 0.05e6)]
    verify({"c": cs})
    assert cs[1].verdict == "tension" and cs[0].verdict == "unverifiable"
