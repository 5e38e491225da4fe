"""The scanner's shortcuts give what the plain forms give: a figure's digits without separators, and a unit word's
unit (each reference is written here the plain way)."""
import re

from hypothesis import given, settings, strategies as st

from ipolens.news import numbers

_SEP = re.compile(r"[,\s\u00a0\u202f]")


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="0123456789.,  \u00a0\u202f\u3000\n\t一亿a", max_size=20) | st.text(max_size=12))
def test_digits_equal_removing_every_separator(text):
    assert numbers._digits(text) == _SEP.sub("", text)


def _plain_unit(word):
    for zh, unit in numbers._UNIT_WORDS:
        if word == zh:
            return unit
    return None


_UNIT_TEXTS = sorted({w for w, _ in numbers._UNIT_WORDS})


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(_UNIT_TEXTS) | st.text(alphabet="元港美股份亿万仙%倍", max_size=3))
def test_unit_lookup_equals_the_first_entry_of_the_walk(word):
    unit = _plain_unit(word)
    assert numbers._UNIT_OF.get(word) == unit
    if unit is not None:
        assert numbers._unit_of(word) == (unit, None)


def test_a_hand_picked_unit_word():
    assert numbers._unit_of("港元") == (_plain_unit("港元"), None)
    assert _plain_unit("港元") == "HKD"
