"""Chinese numerals as people write them: 两万三千, 七十三亿零五百万, 一千零五, 三点五, 壹佰贰拾叁, and the mixed
Arabic forms of the news (1.2万亿, 3万2千, 1亿2000万).

The grammar, on a token list of numbers and units:
    number  = high 亿 low | wan           (split at the last 亿; 'high' may itself hold 万 or 亿: 万亿, 亿亿)
    wan     = section 万 section | section
    section = (digit small-unit)* digit?  with 千 > 百 > 十, 零 filling skipped places
A lone digit right after a unit (no 零) is the next place down: 两万三 = 23000, 一百二 = 120, 三千五 = 3500.
A run of digits with no unit reads digit by digit (二〇二五 = 2025).
Values are Decimals, so any length is exact; callers decide what is too large to be a figure.
"""
from __future__ import annotations

from decimal import Decimal, InvalidOperation, localcontext

__all__ = ["MAX_DIGITS", "CN_DIGITS", "CN_SMALL_UNITS", "CN_BIG_UNITS", "CnNumeralError", "parse_cn", "parse_mixed"]


class CnNumeralError(ValueError):
    """Text that is not a well-formed Chinese numeral."""


CN_DIGITS = {
    "零": 0, "〇": 0, "一": 1, "壹": 1, "二": 2, "两": 2, "兩": 2, "贰": 2, "貳": 2, "三": 3, "叁": 3, "參": 3,
    "四": 4, "肆": 4, "五": 5, "伍": 5, "六": 6, "陆": 6, "陸": 6, "七": 7, "柒": 7, "八": 8, "捌": 8, "九": 9, "玖": 9,
}
CN_SMALL_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
CN_BIG_UNITS = {"万": 10**4, "萬": 10**4, "亿": 10**8, "億": 10**8}
_POINT = "点點"
MAX_DIGITS = 30  # longer digit runs are identifiers or noise; refusing them keeps Decimal far from its limits
MAX_LENGTH = 64  # no numeral a person writes is longer (10**16 takes about 30 characters)

# a token: (kind, value, is_chinese_digit); kind: "n" number, "z" zero, "u" small unit, "b" big unit
_Tok = tuple


def _tokens(text: str) -> list[_Tok]:
    out: list[_Tok] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch.isascii() and ch.isdigit():
            j = i
            while j < n and (text[j].isascii() and (text[j].isdigit() or text[j] in ",.")):
                j += 1
            if j - i > MAX_DIGITS:
                raise CnNumeralError("too many digits to be a figure")
            try:
                out.append(("n", Decimal(text[i:j].replace(",", "")), False))
            except InvalidOperation:
                raise CnNumeralError(f"bad Arabic part {text[i:j]!r}") from None
            i = j
            continue
        if ch in CN_DIGITS:
            d = CN_DIGITS[ch]
            out.append(("z", 0, True) if d == 0 else ("n", Decimal(d), True))
        elif ch in CN_SMALL_UNITS:
            out.append(("u", CN_SMALL_UNITS[ch], False))
        elif ch in CN_BIG_UNITS:
            out.append(("b", CN_BIG_UNITS[ch], False))
        else:
            raise CnNumeralError(f"not a numeral character: {ch!r}")
        i += 1
    return out


def _section(toks: list[_Tok], at_start: bool, elide: bool = True) -> Decimal:
    """A value below 10,000 written with 千/百/十 (Arabic numbers stand for one digit each: 2千). ``elide``: the
    section ends the numeral, so a lone last digit may be the next place down (一百二)."""
    if not toks:
        return Decimal(0)
    if len(toks) == 1 and toks[0][0] == "n" and not toks[0][2]:
        if toks[0][1] >= 10**4:
            raise CnNumeralError("an Arabic part too large for its place")
        return toks[0][1]
    val = Decimal(0)
    pending: _Tok | None = None
    last_unit = 10**4
    zero = False
    prev_kind = None
    for k, (kind, v, cn) in enumerate(toks):
        if kind == "z":
            if zero or pending is not None or k == len(toks) - 1:
                raise CnNumeralError("misplaced 零")
            zero = True
        elif kind == "n":
            if pending is not None:
                raise CnNumeralError("two digits in a row")
            if not cn and (v != v.to_integral_value() or v >= 10):
                raise CnNumeralError("an Arabic part too large for its place")
            pending = (kind, v, cn)
        else:  # small unit
            if v >= last_unit:
                raise CnNumeralError("units out of order")
            if pending is None:
                if zero or not (at_start and k == 0):
                    raise CnNumeralError("a unit with no digit")
                digit = Decimal(1)  # 十五, 百亿
            else:
                digit = pending[1]
            val += digit * v
            last_unit, pending, zero = v, None, False
        prev_kind = kind
    if pending is not None:
        elided = elide and prev_kind == "n" and len(toks) >= 2 and toks[-2][0] == "u" and toks[-2][1] >= 100 and pending[2]
        val += pending[1] * (last_unit // 10 if elided else 1)
    return val


def _split_last(toks: list[_Tok], unit: int) -> int:
    for i in range(len(toks) - 1, -1, -1):
        if toks[i][0] == "b" and toks[i][1] == unit:
            return i
    return -1


def _low(toks: list[_Tok], place: int, elide: bool) -> Decimal:
    """The part after a big unit: a lone digit ending the numeral is the next place down (两万三); 零 may lead
    (亿零五百万)."""
    if elide and len(toks) == 1 and toks[0][0] == "n" and toks[0][2]:
        return toks[0][1] * (place // 10)
    if toks and toks[0][0] == "z":
        if len(toks) == 1:
            raise CnNumeralError("misplaced 零")
        toks = toks[1:]
        if toks[0][0] == "z":
            raise CnNumeralError("misplaced 零")
    return _value(toks, at_start=False, below=place, elide=elide)


def _value(toks: list[_Tok], at_start: bool, below: int | None = None, elide: bool = True) -> Decimal:
    if not toks:
        raise CnNumeralError("empty numeral")
    i = _split_last(toks, 10**8)
    if i >= 0:
        if below is not None:
            raise CnNumeralError("亿 inside a lower part")
        high = _value(toks[:i], at_start, elide=False)
        if high <= 0:
            raise CnNumeralError("亿 with no digit before it")
        low = _low(toks[i + 1:], 10**8, elide) if i + 1 < len(toks) else Decimal(0)
        return high * 10**8 + low
    i = _split_last(toks, 10**4)
    if i >= 0:
        if below is not None and below <= 10**4:
            raise CnNumeralError("万 inside a lower part")
        head = toks[:i]
        if len(head) == 1 and head[0][0] == "n" and not head[0][2]:
            high = head[0][1]  # 1.2万, 3,000万
        else:
            high = _section(head, at_start, elide=False)
        if high <= 0:
            raise CnNumeralError("万 with no digit before it")
        low = _low(toks[i + 1:], 10**4, elide) if i + 1 < len(toks) else Decimal(0)
        return high * 10**4 + low
    if len(toks) == 1 and toks[0][0] == "n" and not toks[0][2] and below is None:
        return toks[0][1]  # a bare Arabic number: 12.5(亿)
    v = _section(toks, at_start, elide)
    if below is not None and v >= below:
        raise CnNumeralError("a lower part too large for its place")
    return v


def _digit_string(text: str) -> Decimal | None:
    """二〇二五 / 一二: digits with no unit read one by one."""
    if len(text) >= 2 and all(c in CN_DIGITS for c in text):
        if len(text) > MAX_DIGITS:
            raise CnNumeralError("too many digits to be a figure")
        return Decimal("".join(str(CN_DIGITS[c]) for c in text))
    return None


def parse_cn(text: str) -> Decimal:
    """The value of a Chinese numeral (digits 零〇一二两…, financial 壹贰…, 十百千, 万亿, 点 decimals, and Arabic
    parts as in 1.2万亿 or 3万2千); raises CnNumeralError when ``text`` is not one."""
    if not text:
        raise CnNumeralError("empty numeral")
    if len(text) > MAX_LENGTH and not all(c in CN_DIGITS for c in text):
        raise CnNumeralError("too long to be a numeral")
    with localcontext() as ctx:
        ctx.prec = 8 * MAX_LENGTH + MAX_DIGITS  # exact for every value a numeral of MAX_LENGTH can write
        return _parse(text)


def _parse(text: str) -> Decimal:
    for p in _POINT:
        if p in text:
            head, _, tail = text.partition(p)
            k = 0
            while k < len(tail) and tail[k] in CN_DIGITS:
                k += 1
            frac, scales = tail[:k], tail[k:]
            if not head or not frac or any(c not in CN_BIG_UNITS for c in scales):
                raise CnNumeralError(f"not a decimal numeral: {text!r}")
            if scales and any(c in CN_BIG_UNITS for c in head):
                raise CnNumeralError(f"a scale on both sides of 点: {text!r}")
            whole = _parse(head)
            v = whole + Decimal("0." + "".join(str(CN_DIGITS[c]) for c in frac))
            for c in scales:
                v *= CN_BIG_UNITS[c]
            return v
    if len(text) == 1 and text in CN_DIGITS:
        return Decimal(CN_DIGITS[text])
    ds = _digit_string(text)
    if ds is not None:
        return ds
    toks = _tokens(text)
    first_decimal = toks[0][0] == "n" and not toks[0][2] and toks[0][1] != toks[0][1].to_integral_value()
    if first_decimal and any(t[0] != "b" for t in toks[1:]):
        raise CnNumeralError(f"a decimal followed by lower places: {text!r}")
    if any(t[0] == "n" and not t[2] and t[1] != t[1].to_integral_value() for t in toks[1:]):
        raise CnNumeralError(f"a decimal inside a numeral: {text!r}")
    return _value(toks, at_start=True)


def parse_mixed(text: str) -> tuple[Decimal, int]:
    """(value, place) of a numeral with Arabic parts (1亿2000万, 3万2千): ``place`` is the value of one unit of the
    last digit written, so half of it is the rounding of the figure."""
    value = parse_cn(text)
    toks = _tokens(text)
    place = 1
    for kind, v, _ in reversed(toks):
        if kind in ("u", "b"):
            place *= v
        else:
            break
    return value, place
