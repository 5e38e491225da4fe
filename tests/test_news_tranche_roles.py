"""A multiple's tranche from its own clause: the overall figure and the placing part are not the public tranche's.
Invented sentences; the expected role is read by hand from each sentence."""
import pytest

from news_role_helpers import metric_of


@pytest.mark.parametrize("example, metric", [
    ("某新股整體獲超額認購約{25倍}。", "oversubscription"),
    ("某新股配售部分獲超額認購{3倍}。", "oversubscription_intl"),
    ("某新股公開發售部分獲超額認購{300倍}。", "oversubscription_public"),
    ("某新股超額配售部分獲行使,公開發售獲超額認購{12倍}。", "oversubscription_public"),
    ("公開發售整體獲超額認購{40倍}。", "oversubscription_public"),
])
def test_the_tranche_of_a_multiple(example, metric):
    assert metric_of(example) == metric
