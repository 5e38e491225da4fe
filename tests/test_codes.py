import pytest

from ipolens.ledger.codes import CodeError, parse_code


@pytest.mark.parametrize("text", ["6082.HK", "06082.HK", "06082", "6082 HK", "6082", "HK:6082", "06082-HK"])
def test_hk_spellings_are_one_listing(text):
    assert parse_code(text).key == "HK:06082"


@pytest.mark.parametrize("text", ["688795", "688795.SH", "688795.SS", "SH688795"])
def test_star_spellings_are_one_listing(text):
    c = parse_code(text)
    assert c.key == "SH:688795"
    assert c.board == "STAR"
    assert c.yahoo == "688795.SS"


def test_nasdaq_tickers_stay_as_they_are():
    assert parse_code("HWEP").key == "US:HWEP"
    assert parse_code("HWEP").display == "HWEP"


def test_hk_display_and_yahoo_forms():
    c = parse_code("100")
    assert c.display == "00100.HK"
    assert c.yahoo == "0100.HK"
    assert parse_code("08096.HK").board == "GEM"


def test_shenzhen_by_prefix():
    assert parse_code("300750").key == "SZ:300750"


@pytest.mark.parametrize("bad", ["", "  ", "hello world", "12345678", "6082.XX"])
def test_bad_codes_raise(bad):
    with pytest.raises(CodeError):
        parse_code(bad)


@pytest.mark.parametrize("name", ["壁仞科技", "壁仞", "Biren", "biren technology", "6082.HK", "06082"])
def test_companies_resolve_by_name(db, name):
    assert db.resolve(name) == "HK:06082"


def test_traditional_and_alias_names_resolve(db):
    assert db.resolve("智譜") == "HK:02513"
    assert db.resolve("摩爾執行緒") == "SH:688795"
    assert db.resolve("688795.SS") == "SH:688795"


def test_unknown_and_ambiguous_names_raise(db):
    from ipolens.api import EntityNotFound

    with pytest.raises(EntityNotFound):
        db.resolve("no such company")
    with pytest.raises(EntityNotFound):
        db.resolve("0001.HK")
