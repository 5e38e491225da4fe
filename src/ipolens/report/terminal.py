"""Terminal rendering of results (rich tables, number formats, the profile page): what the CLI prints.

rich loads when something is printed, so importing this module stays cheap (``ipolens --help`` never pays for it).
"""
from __future__ import annotations

QUALIFIER_MARK = {"exact": "", "about": "≈ ", "nearly": "≲ ", "more_than": "> ", "at_least": "≥ ",
                  "at_most": "≤ ", "range": "", "order_of_magnitude": "~ "}


SIGNED = ("return", "growth", "change", "cagr")


def fmt_number(v: float | None, unit: str | None = None, currency: str | None = None, name: str = "") -> str:
    """19.6 HKD -> '19.60 HKD'; 85540000000 HKD -> '85,540,000,000 HKD (855.40亿)'; 82.14 pct -> '+82.14%'."""
    if v is None:
        return "—"
    if isinstance(v, str):
        return v
    if unit == "pct":
        sign = "+" if any(w in name for w in SIGNED) else ""
        # a small probability (a STAR lottery rate, 0.03635%) keeps four significant digits
        return f"{v:{sign},.2f}%" if abs(v) >= 1 or v == 0 else f"{v:{sign}.4g}%"
    if unit == "x":
        return f"{v:,.2f}x"
    if unit == "year":  # a calendar year reads 2019, not 2,019
        return f"{int(v)}" if float(v).is_integer() else f"{v:g}"
    if currency or unit in ("HKD", "CNY", "USD"):
        cur = currency or unit
        if abs(v) >= 1e8:
            return f"{v:,.0f} {cur} ({v / 1e8:,.2f}亿)"
        if abs(v) >= 1e4:
            return f"{v:,.0f} {cur} ({v / 1e4:,.2f}万)"
        return f"{v:,.2f} {cur}"
    if float(v).is_integer():
        return f"{int(v):,}"
    return f"{v:,.4g}"


def fmt_value(value, unit=None, currency=None, lang=None, qualifier=None, precision=None, sign=False) -> str:
    """Number formatting by unit, in one place: ``ipolens.i18n.format``."""
    from ..i18n.format import fmt_value as _fmt

    return _fmt(value, unit=unit, currency=currency, lang=lang, qualifier=qualifier, precision=precision, sign=sign)


def round_for_output(value, precision=None):
    """Float noise removed for CSV/JSON: ``ipolens.i18n.format``."""
    from ..i18n.format import round_for_output as _round

    return _round(value, precision)


def tidy_frame(df, full_precision: bool = False):
    """A frame for CSV: whole-number float columns as integers (lot_size 200, not 200.0), other floats without
    their noise (``ipolens.i18n.format.round_frame``) unless ``full_precision``; missing stays empty."""
    import pandas as pd

    from ..i18n.format import round_frame

    out = df.copy() if full_precision else round_frame(df)
    for c in out.columns:
        col = out[c]
        if not pd.api.types.is_float_dtype(col):
            continue
        vals = col.dropna()
        if len(vals) and (vals == vals.round()).all() and vals.abs().max() < 2 ** 53:
            out[c] = col.astype("Int64")
        elif not full_precision and round_frame is None:
            out[c] = pd.array([None if v != v else round_for_output(float(v)) for v in col], dtype="Float64")
    return out


def jsonable_rounded(obj, full_precision: bool = False):
    """A JSON-ready object with floats rounded for output (whole floats as integers); NaN as null."""
    if isinstance(obj, float):
        if obj != obj:
            return None
        return obj if full_precision else round_for_output(obj)
    if isinstance(obj, dict):
        return {k: jsonable_rounded(v, full_precision) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [jsonable_rounded(v, full_precision) for v in obj]
    return obj


def label(key: str, fallback: str | None = None) -> str:
    """The catalogue's label for ``key``, else ``fallback`` (the field's name), never the bare key."""
    from ..i18n import t

    text = t(key)
    return fallback if text == key and fallback is not None else text


def tr(text, **fields) -> str:
    """A catalogue key's label in the current language (placeholders filled from ``fields``), or ``text`` itself
    when it is no key (data: a sleeve's name, a year). Every title, header and note of a table goes through here."""
    from ..i18n import has, t

    s = str(text)
    return t(s, **fields) if has(s) else s


def market_label(code: str | None) -> str:
    """A market's code (HK, STAR) as the reader's word for it (港股); nothing for no market."""
    from ..i18n import current_lang
    from .common import value_label

    return value_label("market", code, current_lang()) if code else ""


def table(title: str, columns: tuple = (), rows=(), fold: bool = True, **kw):
    """A rich table of text cells (escaped: a source's "[1]" is text, not markup); ``title`` and ``columns`` are
    catalogue keys or text (``tr``)."""
    from rich.markup import escape
    from rich.table import Table

    t = Table(title=tr(title) if title else title, **kw)
    for c in columns:
        t.add_column(tr(c), overflow="fold" if fold else "ellipsis",
                     justify="right" if c in ("value", "term.col.value") else "left")
    for r in rows:
        t.add_row(*(escape(str(x)) for x in r))
    return t


def show(title: str, headers, rows, notes=(), width: int = 0, left=("item", "metric")) -> None:
    """Print one table of text cells (never parsed as markup): the first column and ``left`` headers left-aligned,
    the rest right-aligned; then each note. Title, headers and notes are catalogue keys or text (``tr``)."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from ..i18n import t as _t

    t = Table(title=tr(title), title_justify="left")
    for i, h in enumerate(headers):
        t.add_column(tr(h), justify="left" if i == 0 or h in left else "right", overflow="fold")
    for r in rows:
        t.add_row(*(Text(str(x)) for x in r))
    con = Console(width=max(Console().width, width)) if width else Console()
    con.print(t)
    for n in notes:
        con.print(Text.assemble((_t("term.note_prefix"), "bold yellow"), tr(n)))


def left_out_text(left_out: list[dict], shown: int = 8) -> str:
    """What a table or statistic left out, one line, in the reader's language (each reason: ``reason_text``)."""
    from ..i18n import t

    if not left_out:
        return t("left_out.none")
    parts = []
    for e in left_out:
        codes = ", ".join(e["codes"][:shown]) + (f", … +{len(e['codes']) - shown}" if len(e["codes"]) > shown else "")
        parts.append(t("left_out.part", n=e["count"], why=reason_text(e["reason"], e["why"]), codes=codes))
    return t("left_out.head", n=sum(e["count"] for e in left_out), parts=t("left_out.sep").join(parts))


def reason_text(reason: str, why: str) -> str:
    """Why rows were left out, in the reader's language: the catalogue's ``left_out.<reason>`` when the use case
    gives that reason's usual words, else its own words (translated when the catalogue knows them)."""
    from ..i18n import has, t

    key = f"left_out.{reason}"
    if has(key) and why == t(key, "en"):
        return t(key)
    return known(why)


_KNOWN: list | None = None
_NUMERIC = r"-?[\d,]+(?:\.\d+)?"  # a template's {n} and {pts} match a number only


def known(text: str | None, lang: str | None = None) -> str | None:
    """A sentence a use case writes in English (a statistic's note, a calendar's remark) in the reader's language,
    when ``i18n/sentences.yaml`` has its template (the English with {fields}; each field's text is looked up in
    turn; {n} and {pts} match numbers only); else the text as it is. ``lang``: default the current language."""
    import re

    from ..i18n import current_lang, normalise_lang, sentences, t

    global _KNOWN
    lang = normalise_lang(lang) if lang else current_lang()
    if not text or lang == "en":
        return text
    if _KNOWN is None:
        _KNOWN = []
        for key, en in sentences("en").items():
            parts = re.split(r"\{([a-z_]+)\}", en)
            rx = "".join(re.escape(p) if i % 2 == 0 else f"(?P<{p}>{_NUMERIC if p in ('n', 'pts') else '.+?'})"
                         for i, p in enumerate(parts))
            _KNOWN.append((key, re.compile(f"^{rx}$", re.S)))
    for key, rx in _KNOWN:
        m = rx.match(text)
        if m:
            return t(key, lang, **{k: known(v, lang) for k, v in m.groupdict().items()})
    if "; " in text:  # reasons joined by "; ": each one on its own
        parts = [known(p, lang) for p in text.split("; ")]
        if parts != text.split("; "):
            return t("left_out.sep", lang).join(parts)
    return text


def formula_text(formula: str) -> str:
    """A derivation's formula for the reader: each field named by its label in the current language (Chinese:
    发行价 instead of offer_price), the catalogue's formula words translated (``formula.<words>``), the arithmetic
    as it is (x as ×). English keeps the formula exactly as the ledger states it."""
    import re

    from ..i18n import catalogue, current_lang, has, t

    if not formula or current_lang() == "en":
        return formula or ""
    words = {en: k for k, en in catalogue("en").items() if k.startswith("formula.")}  # "H price" -> its key
    pat = re.compile("|".join([rf"\b{re.escape(w)}\b" for w in sorted(words, key=len, reverse=True)]
                              + [r"\b[a-z][a-z0-9_]*\b"]))

    def label_of(m: re.Match) -> str:
        w = m.group(0)
        key = words.get(w) or (f"field.{w}" if has(f"field.{w}") else None)
        return t(key) if key else w

    return re.sub(r"(?<=\S) x (?=\S)", " × ", pat.sub(label_of, formula))


def print_out(*things) -> None:
    from rich.console import Console

    Console().print(*things)


def is_missing(v) -> bool:
    try:
        return v is None or v != v
    except (TypeError, ValueError):
        return False


def facts_ref(derivation: dict) -> str:
    from ..i18n import t

    ids = [f"#{i}" for i in derivation.get("facts", []) if not is_missing(i)]
    return t("term.facts_ref", ids=", ".join(ids)) if ids else ""


def _qualifier(r: dict, side: str) -> str | None:
    q = r.get(f"qualifier_{side}")
    return None if is_missing(q) else q


def pair_text(r: dict) -> tuple[str, str]:
    """The two sides of a conflict as the sources write them; a pair in two currencies shows B in A's currency."""
    if is_missing(r.get("fx_rate_lo")):  # one currency: each side as the page writes a value of that unit
        unit = None if is_missing(r.get("unit")) else r["unit"]
        return tuple(str(r[f"text_{x}"]) if is_missing(r[f"value_{x}"]) else
                     fmt_value(r[f"value_{x}"], unit=unit, qualifier=_qualifier(r, x),
                               currency=None if is_missing(r.get(f"currency_{x}")) else r[f"currency_{x}"])
                     for x in "ab")
    from ..i18n import t

    ccy_a, ccy_b = r["currency_a"], r["currency_b"]
    a, b = (str(r[f"text_{x}"]) if is_missing(r[f"value_{x}"]) else
            fmt_value(r[f"value_{x}"], unit="money", currency=c, qualifier=_qualifier(r, x))
            for x, c in (("a", ccy_a), ("b", ccy_b)))
    # two currencies: B converted into A's, at the dated rates; every number and word in the reader's language
    lo, hi = (fmt_value(r[f"value_b_converted_{k}"], unit="money", currency=ccy_a) for k in ("lo", "hi"))
    rlo, rhi = r["fx_rate_lo"], r.get("fx_rate_hi")
    rate = f"{rlo:.4f}" if is_missing(rhi) or rhi == rlo else f"{rlo:.4f}–{rhi:.4f}"
    b += " " + t("term.fx_converted").format(lo=lo if lo == hi else f"{lo}–{hi}", rate=rate,
                                             ccy_a=t(f"currency.{ccy_a}"), ccy_b=t(f"currency.{ccy_b}"),
                                             dates=r["fx_dates"], source=r["fx_source"])
    return a, b


def _coded(prefix: str, value) -> str:
    """A coded word (a share class's role: primary, secondary) in the reader's language when catalogued."""
    from ..i18n import has, t

    return t(f"{prefix}.{value}") if value and has(f"{prefix}.{value}") else (value or "")


def company_head(c: dict, listing: str | None = None) -> str:
    """'Company CO:x: name / 名称 (basis); this listing: share class H, role' (the profile's), or the company line."""
    from ..i18n import t

    head = t("co.head", company=c.get("company") or t("co.no_company"),
             names=" / ".join(n for n in (c.get("name_en"), c.get("name_zh")) if n), basis=known(c.get("basis")))
    if listing:
        head = t("co.head_listing", head=head, cls=c.get("share_class") or t("co.not_stated")) + \
            (t("co.role", role=_coded("co.role", c["role"])) if c.get("role") else "")
    return head


def company_tables(c: dict, listing: str | None = None) -> list:
    """A company and its listings (``ipolens company``; the profile's company section, where ``listing`` is the
    profile's own and the table shows the others), then what is not in the ledger and the A/H discount."""
    from ..i18n import t

    rows = c.get("listings", c.get("other_listings", []))
    out = [table(company_head(c, listing), ("co.col.listing", "co.col.name", "co.col.listed", "co.col.class",
                                            "co.col.role", "co.col.basis"),
                 [(x["code"] or x["key"], x["name_en"] or x["name_zh"] or "—", x["listing_date"] or t("term.undated"),
                   x["share_class"] or "—", _coded("co.role", x["role"]) or "—", known(x["basis"])) for x in rows],
                 title_justify="left")]
    notes = [t("co.not_in_ledger", what=known(n)) for n in c.get("not_in_ledger", [])]
    for d in c.get("ah_discount", []):
        where = dict(h=d["h_listing"], a=d["a_listing"], date=d["date"])
        if d.get("missing") and "fx" not in d:
            notes.append(t("co.discount_missing", why=d["missing"], **where))
            continue
        fx = d["fx"]
        parts = [f"{t('co.' + k)} {fmt_value(d[k]['value'], currency=d[k]['currency'])} [{d[k]['source']}]"
                 for k in ("h_close", "h_offer", "a_close") if k in d]
        vals = ", ".join(f"{t('co.' + w)} {fmt_value(d[f'{w}_discount_pct'], 'pct', sign=True)}"
                         for w in ("close", "offer") if d.get(f"{w}_discount_pct") is not None)
        notes.append(t("co.discount", vals=vals, formula=formula_text(d["formula"]), parts="; ".join(parts),
                       fx=t("co.fx", pair=fx["pair"], rate=f"{fx['rate']:.5g}", date=fx["date"],
                            source=fx["source"]), **where))
    return out + notes


_EVAL_ROWS = (("value recall", "matched", "labels", "value_recall"),
              ("currency", "currency_right", "money_matched", "currency"),
              ("metric agreement", "metric_right", "matched", "metric_agreement"),
              ("metric assigned", "metric_assigned", "matched", "metric_assigned_share"),
              ("flag precision", "flagged_right", "flagged", "flag_precision"),
              ("error recall, natural", "errors_natural_caught", "errors_natural", "error_recall_natural"),
              ("error recall, injected", "errors_injected_caught", "errors_injected", "error_recall_injected"),
              ("verified share", "consistent_verified", "consistent_labels", "verified_share"))


def _share(s: dict | None, num: str, den: str, rate: str) -> str:
    if not s:
        return ""
    return "—" if s[rate] is None else f"{s[rate]:.3f}  ({s[num]}/{s[den]})"


def print_news_corpus_eval(d: dict) -> None:
    """``ipolens news eval --corpus``: the split's scores (natural and injected), per language, per article, and the
    details when asked for."""
    nat, inj = d["scores"], d.get("injected")
    notes = [f"flagged on a non-INCONSISTENT label {nat['flagged_on_other_label']}, flagged unmatched "
             f"{nat['flagged_unmatched']}; unassigned metrics {nat['metric_unassigned']}; sign-only misses "
             f"{nat['sign_misses']}; claims extracted {nat['extracted']}"]
    show(f"news eval: {d['corpus']} (split {d['split']}, {nat['articles']} articles"
         f"{_copies(inj)})",
         ("measure", "natural", "injected"),
         [(name, _share(nat, *k), _share(inj, *k)) for name, *k in _EVAL_ROWS], notes, width=100)
    cols = ("value_recall", "currency", "metric_agreement", "flag_precision", "verified_share")
    heads = ("recall", "currency", "metric", "flag prec.", "verified")
    fmt = lambda v: "—" if v is None else f"{v:.2f}"  # noqa: E731
    show("by language", ("language", "labels", *heads), [(k, s["labels"], *(fmt(s[c]) for c in cols))
                                                        for k, s in d["languages"].items()], width=110)
    show("by article", ("article", "lang", "date", "market", "labels", *heads, "flagged", "errors"),
         [(a["article"], a["language"], a["date"] or "—", a["market"] or "—", a["labels"],
           *(fmt(a[c]) for c in cols), a["flagged"],
           f"{a['errors_natural_caught']}/{a['errors_natural']}"
           + (f", inj. {a['errors_injected_caught']}/{a['errors_injected']}" if a["errors_injected"] else ""))
          for a in d["articles"]], left=("article", "lang"),
         width=130)
    for kind, rows in (d.get("details") or {}).items():
        if rows:
            show(f"{kind} ({len(rows)})", ("article", "item"),
                 [(r["article"], "  ".join(f"{k}={v}" for k, v in r.items() if k != "article")) for r in rows],
                 left=("article", "item"), width=160)


def _copies(inj: dict | None) -> str:
    return f", {inj['articles']} injected copies" if inj else ""
