"""Numbers as people read them, by unit, in one place (issue 16): every face formats through ``fmt_value``.

- money: English "HKD 5.58bn" (m / bn / tn); Chinese 万 / 亿 / 万亿 with the currency word after it (55.83亿港元);
- percentages: two decimals, but a small probability (|x| < 1%, a STAR lottery rate) keeps four significant digits
  (a signed change, ``sign=True``, keeps two: +0.30%);
- counts, shares, years: integers without ".0" (years without a thousands separator);
- qualifiers: about / nearly / more than / at least, or 约 / 近 / 超 / 以上 (templates in messages.yaml);
- a missing value (None, NaN, NaT, ±inf) gives the catalogue's ``missing`` label, never "nan" / "None" / "inf".

``round_for_output`` is the machine-readable counterpart (CSV / JSON): float noise and false precision removed,
integer-valued floats as ints; ``precision="full"`` keeps the value as stored.
"""
from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal
from typing import Any

from . import t

__all__ = ["MONEY", "fmt_value", "round_for_output", "round_frame", "is_missing"]

MONEY = ("HKD", "CNY", "USD")
_INTEGER_UNITS = ("count", "shares", "number", "int")
_LABEL_UNITS = ("year", "period", "version", "rank")  # labels, not quantities: "2019", not "2,019"
_EN_SCALES = ((1e12, "tn"), (1e9, "bn"), (1e6, "m"))
_ZH_SCALES = ((1e12, "unit.1e12"), (1e8, "unit.1e8"), (1e4, "unit.1e4"))  # 万亿 / 亿 / 万, 萬億 / 億 / 萬
_NO_WRAP = (None, "", "exact", "range", "derived")


def is_missing(v: Any) -> bool:
    if v is None:
        return True
    if isinstance(v, float):
        return math.isnan(v) or math.isinf(v)
    if isinstance(v, Decimal):
        return not v.is_finite()
    if type(v).__name__ in ("NaTType", "NAType"):  # pandas' missing markers, without importing pandas here
        return True
    try:
        f = float(v)
    except (TypeError, ValueError):
        return False
    return math.isnan(f) or math.isinf(f)


def _number(v: Any) -> float | None:
    if isinstance(v, bool):
        return None
    try:
        return float(v)
    except (TypeError, ValueError):
        return None


def _sig_decimals(x: float, sig: int = 4) -> int:
    """Decimals that show ``sig`` significant digits of x (0 for |x| >= 10**(sig-1))."""
    if x == 0:
        return 0
    return max(0, sig - 1 - math.floor(math.log10(abs(x))))


def _fixed(x: float, decimals: int, sep: bool = True) -> str:
    s = f"{x:,.{decimals}f}" if sep else f"{x:.{decimals}f}"
    return "0" + s[2:] if s.startswith("-0") and float(s.replace(",", "")) == 0 else s  # no "-0.00"


def _scaled(x: float, scales: tuple, decimals: int) -> tuple[float, str]:
    """x in the largest scale it reaches after rounding (999.999m shows as 1.00bn, not 1,000.00m)."""
    for i, (size, suffix) in enumerate(scales):
        if round(abs(x) / size, decimals) >= 1:
            scaled = x / size
            if i > 0 and round(abs(scaled), decimals) >= scales[i - 1][0] / size:
                return x / scales[i - 1][0], scales[i - 1][1]
            return scaled, suffix
    return x, ""


def _money(x: float, ccy: str, lang: str, precision: int | None) -> str:
    d = 2 if precision is None else precision
    if lang == "en":
        v, suffix = _scaled(x, _EN_SCALES, d)
        return f"{ccy} {_fixed(v, d)}{suffix}"
    v, suffix = _scaled(x, _ZH_SCALES, d)
    # why no thousands separator in zh: 1,234.56亿 is unusual in Chinese finance writing; 1234.56亿 is the norm
    return f"{_fixed(v, d, sep=False)}{t(suffix, lang) if suffix else ''}{t(f'currency.{ccy}', lang)}"


def _pct(x: float, precision: int | None, change: bool) -> str:
    """Two decimals; a small probability (0 < |x| < 1%) four significant digits. A change (a signed return) keeps
    two decimals: +0.30%, not +0.3025%."""
    small = 0 < abs(x) < 1 and not change
    d = precision if precision is not None else (_sig_decimals(x) if small else 2)
    return _fixed(x, d)


def fmt_value(value: Any, unit: str | None = None, currency: str | None = None, lang: str | None = None,
              qualifier: str | None = None, precision: int | None = None, sign: bool = False) -> str:
    """``value`` as text in ``lang`` (default: the current language). ``unit``: a ledger unit or field kind (money,
    pct, pp, x, count, shares, year, date, text) or a currency code; ``currency`` for money; ``precision``: decimals
    (in the shown scale for money); ``sign``: a leading + on positive numbers (returns)."""
    from . import current_lang, normalise_lang

    lang = normalise_lang(lang) if lang else current_lang()
    if is_missing(value):
        return t("missing", lang)
    if unit in MONEY:
        currency, unit = currency or unit, "money"
    if isinstance(value, (dt.date, dt.datetime)):  # pandas Timestamps are datetimes
        return _qualify(value.isoformat()[:10], qualifier, lang)
    x = _number(value) if not isinstance(value, str) or unit not in (None, "text") else None
    if x is None:
        return _qualify(str(value), qualifier, lang)
    if unit == "money" or (currency in MONEY and unit in (None, "money")):
        text = _money(x, currency, lang, precision) if currency in MONEY else _fixed(x, 2 if precision is None else precision)
    elif unit == "pct":
        text = _pct(x, precision, sign) + "%"
    elif unit == "pp":
        text = t("unit.pp", lang).format(v=_fixed(x, 2 if precision is None else precision))
    elif unit == "x":
        text = t("unit.times", lang).format(v=_fixed(x, 2 if precision is None else precision))
    elif unit in _LABEL_UNITS and x.is_integer():
        text = str(int(x))
    elif precision is not None:
        text = _fixed(x, precision)
    elif x.is_integer():
        text = f"{int(x):,}"
    elif unit in _INTEGER_UNITS:
        text = _fixed(x, 2)  # a fractional count is shown as it is, not rounded to a whole
    else:
        text = _fixed(x, 2 if abs(x) >= 1 else _sig_decimals(x))
    if sign and x > 0:
        text = "+" + text
    return _qualify(text, qualifier, lang)


def _qualify(text: str, qualifier: str | None, lang: str) -> str:
    if qualifier in _NO_WRAP:
        return text
    tpl = t(f"qualifier_fmt.{qualifier}", lang)
    return tpl.format(v=text) if "{v}" in tpl else f"{t(f'qualifier.{qualifier}', lang)} {text}"


def round_for_output(value: Any, precision: int | str | None = None) -> Any:
    """A number for CSV / JSON: None for missing; ints stay ints; a float rounded to ``precision`` decimals, or by
    default to four decimals or four significant digits, whichever keeps more (425.46377318865945 -> 425.4638,
    0.0412345 -> 0.04123), after removing float noise; an integer-valued float becomes an int (200.0 -> 200).
    ``precision="full"`` returns the stored float unchanged."""
    if isinstance(value, bool) or value is None:
        return value
    if is_missing(value):
        return None
    x = _number(value)
    if x is None:
        return value
    if precision == "full":
        return x
    if isinstance(value, int) or (hasattr(value, "dtype") and getattr(value.dtype, "kind", "") in "iu"):
        return int(value)
    x = float(f"{x:.12g}")  # float noise: 13.167000000000002 -> 13.167
    d = int(precision) if precision is not None else max(4, _sig_decimals(x))
    x = round(x, d)
    return int(x) if x.is_integer() and abs(x) < 2**53 else x


def round_frame(df, precision: int | str | None = None):
    """A copy of a DataFrame for CSV / JSON: float columns through ``round_for_output``; a float column whose values
    are all whole numbers becomes a nullable integer column (lot_size 200, not 200.0)."""
    import pandas as pd

    out = df.copy()
    if precision == "full":
        return out
    for col in out.columns:
        s = out[col]
        if not pd.api.types.is_float_dtype(s):
            continue
        vals = [round_for_output(v, precision) for v in s.tolist()]
        present = [v for v in vals if v is not None]
        if present and all(isinstance(v, int) for v in present):
            out[col] = pd.array(vals, dtype="Int64")
        else:
            out[col] = pd.Series([float("nan") if v is None else float(v) for v in vals], index=s.index,
                                 dtype="float64")
    return out
