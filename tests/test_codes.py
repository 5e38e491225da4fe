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


# --- the bulk-import SQL mapping agrees with parse_code wherever it gives an answer -------------------------------

from hypothesis import given, settings, strategies as st  # noqa: E402

_prefix = st.sampled_from(["", "", "", "", "HK:", "SH", "SZ:", "SS.", "US:", " ", "0"])
_digits = st.sampled_from([1, 2, 3, 4, 4, 4, 5, 5, 5, 6, 6, 6, 6, 7]).flatmap(
    lambda n: st.text(alphabet="0123456789", min_size=n, max_size=n))
_suffix = st.sampled_from(["", "", "", ".HK", ".hk", ".Hk", ".HKEX", " HK", "-HK", ".SS", ".SH", ".sh", ".sz",
                           ".SZ", ".XX", "HK", " "])
_structured = st.tuples(_prefix, _digits, _suffix).map("".join)
_spelling = st.one_of(
    _structured, _structured, _structured,
    st.from_regex(r"[A-Za-z][A-Za-z.\-]{0,7}", fullmatch=True),
    st.text(max_size=8),
)


def _parsed(text: str):
    try:
        return parse_code(text).key
    except CodeError:
        return None


def _sql_keys(texts: list[str]) -> list:
    import duckdb

    from ipolens.ledger.codes import sql_key

    con = duckdb.connect()
    rows = con.execute(f"SELECT i, {sql_key('x')} FROM (SELECT unnest(?::VARCHAR[]) AS x, "
                       "unnest(range(len(?::VARCHAR[]))) AS i) ORDER BY i", [texts, texts]).fetchall()
    con.close()
    return [k for _, k in rows]


@settings(max_examples=150, deadline=None)
@given(st.lists(_spelling, min_size=10, max_size=60))
def test_sql_key_is_null_or_parse_code(texts):
    for text, key in zip(texts, _sql_keys(texts)):
        assert key is None or key == _parsed(text), text


def test_sql_key_covers_the_bulk_spellings():
    texts = ["600000", "000001", "688795.SS", "688795.sh", "300750.SZ", "0700.HK", "6082.hk", "09988.HK", "06082",
             "6082", "HWEP", "BRK.B"]
    keys = _sql_keys(texts)
    assert keys == [parse_code(t).key for t in texts]
    assert _sql_keys([" 600000", "6082.XX", "abc", "1234567"]) == [None, None, None, None]


@pytest.mark.parametrize("text, key", [("900901", "SH:900901"), ("200002", "SZ:200002"), ("002594", "SZ:002594")])
def test_b_shares_and_shenzhen_by_prefix(text, key):
    assert parse_code(text).key == key
    assert _sql_keys([text]) == [key]


@pytest.mark.parametrize("text", ["830799", "430047", "920001"])
def test_beijing_codes_are_refused_not_mislabelled(text):
    with pytest.raises(CodeError, match="Beijing"):
        parse_code(text)
    assert _sql_keys([text]) == [None]
    assert parse_code(text + ".SZ").key == f"SZ:{text}"  # an explicit suffix is the user's call
