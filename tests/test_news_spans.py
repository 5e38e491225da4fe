"""The position indexes answer what a scan of the text would: line starts, next newlines, mentions in a window."""
from __future__ import annotations

import random

from ipolens.news.date_span import DateSpan
from ipolens.news.gazetteer import Mention
from ipolens.news.spans import Lines, MentionIndex, first_last_year


def test_lines_agree_with_rfind_and_find():
    rnd = random.Random(3)
    for _ in range(50):
        text = "".join(rnd.choice("ab\n壁,。") for _ in range(rnd.randrange(0, 60)))
        lines = Lines(text)
        for pos in range(len(text) + 1):
            assert lines.start(pos) == text.rfind("\n", 0, pos) + 1
            assert lines.next_newline(pos) == text.find("\n", pos)


def test_mention_windows_agree_with_a_scan():
    rnd = random.Random(5)
    keys = ["HK:06082", "MKT:southbound", "IDX:HSI", "SH:688795"]
    for _ in range(50):
        starts = sorted(rnd.randrange(0, 80) for _ in range(rnd.randrange(0, 12)))
        ms = [Mention(s, s + rnd.randrange(1, 6), rnd.choice(keys), "x") for s in starts]
        idx = MentionIndex(ms, ("MKT:", "IDX:"))
        lo, hi = sorted(rnd.randrange(0, 90) for _ in range(2))
        assert list(idx.backward(lo, hi)) == [m for m in ms if lo <= m.start < hi][::-1]
        assert list(idx.backward(lo, hi, "MKT:")) == [m for m in ms if lo <= m.start < hi
                                                      and m.key.startswith("MKT:")][::-1]
        assert list(idx.forward(lo, "IDX:")) == [m for m in ms if m.start > lo and m.key.startswith("IDX:")]
        assert idx.between(lo, hi) == [m for m in ms if lo <= m.start < hi]
        for key in keys:
            ends = [m.end for m in ms if m.key == key]
            assert idx.first_end.get(key) == (min(ends) if ends else None)


def test_years_follow_a_list_changed_in_place():
    # the years of a list of dates are remembered: a list changed in place at the same length is read anew
    dates = [DateSpan(0, 4, "2020", period="2020"), DateSpan(10, 14, "2023", period="2023")]
    first, last = first_last_year(dates, 0, 20)
    assert (first.period, last.period) == ("2020", "2023")
    dates[1] = DateSpan(10, 14, "2024", period="2024")
    first, last = first_last_year(dates, 0, 20)
    assert (first.period, last.period) == ("2020", "2024")
    dates[0] = DateSpan(0, 4, "March", period="2024-03")  # no longer a year: one year is left, no range
    assert first_last_year(dates, 0, 20) is None
