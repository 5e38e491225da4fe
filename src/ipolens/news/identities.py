"""The identity solver: declared relations among metric roles (lexicon/identities.yaml), solved with interval
arithmetic over the claims of one entity in one article.

Every claim that fills a role of an identity takes its turn as the unknown: the other roles' claims give an interval
for it (each input widened by its rounding, ``news.rounding``), which is compared with the interval the claim itself
admits. A new identity is a new YAML entry; this module holds no rule for any particular metric.
"""
from __future__ import annotations

import ast
import bisect
import copy
import itertools
import math
import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from importlib import resources
from typing import Callable

import yaml

from . import rounding

__all__ = ["Identity", "Outcome", "identities", "canonical", "solve_for", "check_claims", "CONSTANTS",
           "MONEY", "interval_eval"]

MONEY = ("HKD", "CNY", "USD")
Interval = tuple[float, float]
_MAX_CANDIDATES = 4  # per role: the nearest distinct values; more only multiplies the combinations
_BASIS = re.compile(r"以[^,。]{0,12}计算|假设|按[^,。]{0,10}计|中位数|assum|based on", re.I)


def _hk_application_fee_rate() -> tuple[float, float]:
    """Sum of the HK application levies and brokerage, from the HK fee schedule (exact decimals)."""
    from ipolens.hk.fees import fee_schedule

    total = sum(Decimal(str(v)) for v in fee_schedule()["application"].values())
    return float(total), float(total)


def _hk_fee_cent_rounding() -> tuple[float, float]:
    """Each application levy is rounded to the cent on its own (fees-hk.yaml ``rounding``): the entry fee may differ
    from lot x price x (1 + rate) by half a cent per item."""
    from ipolens.hk.fees import fee_schedule

    half = 0.005 * len(fee_schedule()["application"])
    return -half, half


def _hkd_usd_peg() -> tuple[float, float]:
    """HKD per USD: the Linked Exchange Rate System's convertibility band (HKMA), a well-known outside constant."""
    return 7.75, 7.85


CONSTANTS = {"hk_application_fee_rate": _hk_application_fee_rate, "hk_fee_cent_rounding": _hk_fee_cent_rounding,
             "hkd_usd_peg": _hkd_usd_peg}


@dataclass(frozen=True)
class Identity:
    id: str
    kind: str  # relation | parts | ratio | restates
    roles: tuple[str, ...]
    text: str = ""
    lhs: ast.AST | None = None
    rhs: ast.AST | None = None
    constants: tuple[tuple[str, Interval], ...] = ()
    currency: str | None = None
    whole: float | None = None
    within: Interval | None = None
    fillers: tuple[tuple[str, tuple[str, ...]], ...] = ()  # roles another metric may fill (a grey-market close)
    slack: Interval = (0.0, 0.0)  # the relation holds within this much of its left side (per-item cent rounding)
    check: str = ""  # the finding's kind (``check`` in the JSON); the id unless the entry names one

    @property
    def kind_name(self) -> str:
        return self.check or self.id


@dataclass
class Outcome:
    """One identity's verdict on one claim. ``exact``: every input is an exact figure of the same date and basis;
    ``confirms``: an arithmetic identity (a restatement agreeing is support, not a confirmation)."""
    check: str
    verdict: str
    why: str
    claims: list[str] = field(default_factory=list)
    exact: bool = True
    confirms: bool = True
    computed: bool | None = None  # a relation's verdict: whether the claim is its computed side (None: no relation)


# -- the declarations ------------------------------------------------------------------------------------------------
@lru_cache(maxsize=1)
def _config() -> dict:
    text = resources.files("ipolens.news").joinpath("lexicon/identities.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


@lru_cache(maxsize=1)
def _aliases() -> dict[str, str]:
    """Reader name -> label-vocabulary name, from the one shared table (lexicon/metric_aliases.yaml, label -> reader
    names, which the corpus evaluation reads too), plus the entries of identities.yaml ``aliases`` that table does
    not hold yet."""
    text = resources.files("ipolens.news").joinpath("lexicon/metric_aliases.yaml").read_text(encoding="utf-8")
    out: dict[str, str] = {}
    for label, names in ((yaml.safe_load(text) or {}).get("aliases") or {}).items():
        for name in names or ():
            out.setdefault(name, label)
    for name, label in (_config().get("aliases") or {}).items():
        out.setdefault(name, label)
    return out


def canonical(metric: str | None) -> str | None:
    """The label-vocabulary name of a metric the extractor may still call by an older name."""
    return _aliases().get(metric, metric)


def unit_family(role: str) -> str | None:
    return (_config().get("units") or {}).get(role)


def undated(role: str) -> bool:
    return role in (_config().get("undated") or ())


@lru_cache(maxsize=1)
def identities() -> tuple[Identity, ...]:
    cfg = _config()
    consts = {name: CONSTANTS[src]() for name, src in (cfg.get("constants") or {}).items()}
    out = []
    for e in cfg["identities"]:
        if "relation" in e:
            left, right = e["relation"].split("=")
            lhs, rhs = ast.parse(left.strip(), mode="eval").body, ast.parse(right.strip(), mode="eval").body
            names = [n.id for side in (lhs, rhs) for n in ast.walk(side) if isinstance(n, ast.Name)]
            if len(names) != len(set(names)):
                raise ValueError(f"identity {e['id']}: each role must appear once")
            used = tuple((n, consts[n]) for n in names if n in consts)
            roles = tuple(n for n in names if n not in consts)
            fill = tuple((r, tuple(ms)) for r, ms in (e.get("filled_by") or {}).items())
            slack = CONSTANTS[e["slack"]]() if e.get("slack") else (0.0, 0.0)
            out.append(Identity(e["id"], "relation", roles, e["relation"], lhs, rhs, used, e.get("currency"),
                                fillers=fill, slack=slack, check=e.get("check", "")))
        elif "parts" in e:  # a whole that is a number (100%) or a role (a stated total); parts may only sum below it
            w = e["whole"]
            roles = (e["parts"],) if isinstance(w, (int, float)) else (e["parts"], w)
            out.append(Identity(e["id"], "parts", roles, text=e.get("bound", "equal"),
                                whole=float(w) if isinstance(w, (int, float)) else None))
        elif "midpoint" in e:  # the middle of a stated range (the offer price at the midpoint of the range)
            out.append(Identity(e["id"], "midpoint", (e["midpoint"], e["range"]), f"{e['midpoint']} = "
                                f"({e['range']} low + high) / 2"))
        elif "inside" in e:  # a figure that must lie inside a stated range (the final price inside the indicative range)
            out.append(Identity(e["id"], "inside", (e["inside"], e["range"])))
        elif "ratio" in e:
            num, den = (s.strip() for s in e["ratio"].split("/"))
            out.append(Identity(e["id"], "ratio", (num, den), e["ratio"], within=tuple(e["within"])))
        elif "converts" in e:  # one amount stated in two currencies, through a rate constant (quote per base)
            base, quote = e["currencies"]
            out.append(Identity(e["id"], "converts", tuple(e["converts"]), f"{quote} = {base} x {e['rate']}",
                                constants=((e["rate"], CONSTANTS[e["rate"]]()),), currency=f"{base}/{quote}"))
        elif "restates" in e:  # a list of roles, or 'all' but the roles named under 'except'
            roles = ("*",) + tuple(e.get("except") or ()) if e["restates"] == "all" else tuple(e["restates"])
            out.append(Identity(e["id"], "restates", roles))
        else:
            raise ValueError(f"identity {e.get('id')}: no relation, parts, ratio or restates")
    return tuple(out)


# -- interval arithmetic ----------------------------------------------------------------------------------------------
def _mul(a: Interval, b: Interval) -> Interval:
    ps = [0.0 if (x == 0 or y == 0) else x * y for x in a for y in b]
    return min(ps), max(ps)


def _div(a: Interval, b: Interval) -> Interval:
    if b[0] <= 0 <= b[1]:
        return -math.inf, math.inf
    return _mul(a, (1 / b[1], 1 / b[0]))


def _op(op: ast.operator, a: Interval, b: Interval) -> Interval:
    if isinstance(op, ast.Add):
        return a[0] + b[0], a[1] + b[1]
    if isinstance(op, ast.Sub):
        return a[0] - b[1], a[1] - b[0]
    if isinstance(op, ast.Mult):
        return _mul(a, b)
    if isinstance(op, ast.Div):
        return _div(a, b)
    raise ValueError(f"operator {type(op).__name__} not supported")


def interval_eval(node: ast.AST, env: dict[str, Interval]) -> Interval:
    """The interval of an expression over interval-valued names."""
    if isinstance(node, ast.Constant):
        return float(node.value), float(node.value)
    if isinstance(node, ast.Name):
        return env[node.id]
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        lo, hi = interval_eval(node.operand, env)
        return -hi, -lo
    if isinstance(node, ast.BinOp):
        return _op(node.op, interval_eval(node.left, env), interval_eval(node.right, env))
    raise ValueError(f"expression {ast.dump(node)} not supported")


_NAMES: dict[int, tuple[ast.AST, frozenset[str]]] = {}


def _has(node: ast.AST, name: str) -> bool:
    # the identities' trees are parsed once and solved thousands of times: their names are read once per node
    hit = _NAMES.get(id(node))
    if hit is None or hit[0] is not node:
        hit = _NAMES[id(node)] = (node, frozenset(n.id for n in ast.walk(node) if isinstance(n, ast.Name)))
    return name in hit[1]


def _invert(node: ast.AST, target: Interval, env: dict[str, Interval], x: str) -> Interval:
    """The values of ``x`` for which ``node`` can equal a value in ``target`` (``x`` appears once in ``node``)."""
    if isinstance(node, ast.Name):
        return target
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        return _invert(node.operand, (-target[1], -target[0]), env, x)
    if not isinstance(node, ast.BinOp):
        raise ValueError("cannot invert")
    op, left = node.op, _has(node.left, x)
    other = interval_eval(node.right if left else node.left, env)
    if isinstance(op, ast.Add):
        t = _op(ast.Sub(), target, other)
    elif isinstance(op, ast.Mult):
        t = _div(target, other)
    elif isinstance(op, ast.Sub):
        t = _op(ast.Add(), target, other) if left else _op(ast.Sub(), other, target)
    elif isinstance(op, ast.Div):
        t = _mul(target, other) if left else _div(other, target)
    else:
        raise ValueError("cannot invert")
    return _invert(node.left if left else node.right, t, env, x)


def solve_for(ident: Identity, unknown: str, known: dict[str, Interval]) -> Interval:
    """The interval of ``unknown`` that the relation allows given the others' intervals."""
    env = dict(ident.constants)
    env.update(known)
    lo, hi = ident.slack
    if _has(ident.lhs, unknown):
        r = interval_eval(ident.rhs, env)
        return _invert(ident.lhs, (r[0] + lo, r[1] + hi), env, unknown)
    left = interval_eval(ident.lhs, env)
    return _invert(ident.rhs, (left[0] - hi, left[1] - lo), env, unknown)


# -- over claims ------------------------------------------------------------------------------------------------------
@dataclass
class Known:
    """A value known from outside the article (a ledger fact): an input of identities, never judged itself."""
    id: str
    metric: str
    value: float
    unit: str | None
    entity_key: str | None
    iv: Interval
    date: str | None = None
    quote: str = ""
    qualifier: str = "exact"
    value_high: float | None = None
    sentence: str = ""
    _nstart: int = 0
    _gap: str = ""
    known: bool = True
    sources: tuple[str, ...] = ()  # a derived value: the claims it came from (never checked against it)


def roles_of_all() -> set[str]:
    """Every role some identity relates (the ledger facts worth fetching as known values)."""
    out = set()
    for i in identities():
        out.update(r for r in i.roles if r != "*")
        out.update(m for _, ms in i.fillers for m in ms)
    return out


def interval_of(c, role: str) -> Interval:
    """The interval a claim admits in a role: a quoted per-share price or a board lot is exact as written (263港元
    is 263.00; writers quote prices, they do not round them), any other figure admits its rounding."""
    if getattr(c, "known", False):
        return c.iv
    if role in (_config().get("exact_as_written") or ()) and c.qualifier == "exact":
        v = float(c.value)
        return v, v
    return rounding.of_claim(c)


def _fits(c, role: str) -> bool:
    fam = unit_family(role)
    if fam is None:
        return True
    return c.unit in MONEY if fam == "money" else c.unit == fam


@lru_cache(maxsize=2)
def _words(key: str) -> re.Pattern:
    return re.compile("|".join(_config().get(key) or ["(?!)"]), re.I)


def _last(pattern: re.Pattern, text: str) -> int:
    hits = [m.end() for m in pattern.finditer(text)]
    return hits[-1] if hits else -1


def _signed(c, role: str):
    """A signed role (a return, a per-lot gain) stated as a positive size after a fall word of its own clause
    ('較招股價低9.4%', '每手蝕340元') is a negative value; the claim is copied, never changed."""
    if role not in (_config().get("signed") or ()) or c.value is None or c.value <= 0:
        return c
    lead = (getattr(c, "_gap", "") or "")[-12:]
    if _last(_words("fall_words"), lead) <= _last(_words("rise_words"), lead):
        return c  # the nearest direction word is a rise, or there is none
    neg = copy.copy(c)
    neg.value = -float(c.value)
    if c.value_high is not None:
        neg.value_high = -float(c.value_high)
    return neg


def _groups(claims: list) -> dict[str | None, dict[str, list]]:
    """Claims by entity and role (canonical metric), in text order."""
    out: dict[str | None, dict[str, list]] = {}
    for c in claims:
        if c.value is None:
            continue
        role = canonical(c.metric)
        if _fits(c, role):
            out.setdefault(c.entity_key, {}).setdefault(role, []).append(_signed(c, role))
    return out


def _nearest(cands, anchor) -> list:
    """Up to ``_MAX_CANDIDATES`` distinct values, nearest in the text to ``anchor`` first (equally near: list order).
    ``cands``: a list, or a ``_ByPosition`` of one for many lookups."""
    pool = cands if isinstance(cands, _ByPosition) else _ByPosition(cands)
    return pool.nearest(anchor)


class _ByPosition:
    """Candidates sorted by text position: the nearest to a figure are read outwards from it, so a lookup costs the
    few it returns, not a sort of the whole pool (a long article has hundreds of figures per role)."""

    def __init__(self, cands: list):
        order = sorted(range(len(cands)), key=lambda i: (cands[i]._nstart, i))
        self.items = [(cands[i]._nstart, i, cands[i]) for i in order]
        self.starts = [t[0] for t in self.items]

    def nearest(self, anchor) -> list:
        pos, items = anchor._nstart, self.items
        right = bisect.bisect_left(self.starts, pos)
        left = right - 1
        seen, out = set(), []
        while len(out) < _MAX_CANDIDATES and (left >= 0 or right < len(items)):
            d = min(pos - items[left][0] if left >= 0 else math.inf,
                    items[right][0] - pos if right < len(items) else math.inf)
            batch = []  # every candidate at distance d, on either side, in list order (as a stable sort has them)
            while left >= 0 and pos - items[left][0] == d:
                batch.append(items[left])
                left -= 1
            while right < len(items) and items[right][0] - pos == d:
                batch.append(items[right])
                right += 1
            batch.sort(key=lambda t: t[1])
            for _, _, c in batch:
                key = (c.value, c.qualifier, c.unit)
                if key not in seen and c is not anchor:
                    seen.add(key)
                    out.append(c)
                if len(out) == _MAX_CANDIDATES:
                    break
        return out


WINDOW = 300  # characters: inputs farther from the figure may belong to another company or another day
SAME_QUANTITY = 1.5  # a derived and a stated value further apart than this factor are hardly one quantity


_CLAUSE_BREAK = re.compile(r"[,，;；。、]")
_BRACKETS_ONLY = re.compile(r"[\s(（]*")


def _adjacent_prices(claims: list) -> dict[str, list]:
    """For each figure, the quoted price it is about when the two stand together in one clause: the next figure
    with no clause break between ('down 3.7% at HK$126.60', '收涨16.4%至306.6港元'), or the previous one with only
    a bracket between ('$83.23 (168%)')."""
    exact = _config().get("exact_as_written") or ()
    is_price = lambda c: (c.unit in MONEY and c.qualifier == "exact" and canonical(c.metric) in exact  # noqa: E731
                          and canonical(c.metric) != "lot_size")
    out: dict[str, list] = {}
    ordered = sorted(claims, key=lambda c: c._nstart)
    for a, b in zip(ordered, ordered[1:]):
        if a.sentence != b.sentence:
            continue
        gap = getattr(b, "_gap", "") or ""
        if is_price(b) and not _CLAUSE_BREAK.search(gap):
            out.setdefault(a.id, []).append(b)
        if is_price(a) and _BRACKETS_ONLY.fullmatch(gap):
            out.setdefault(b.id, []).append(a)
    return out


def _doubt(u, derived: Interval, members, next_to: dict[str, list], settled: frozenset = frozenset()) -> str:
    """Why a mismatch says more about the reading than about the article: the inputs lie far from the figure in
    the text, or the two values differ in sign or by more than a factor ``SAME_QUANTITY`` (a metric or entity read
    wrongly gives such gaps; a slip in the article rarely does)."""
    text = [c for _, c in members[1:] if not getattr(c, "known", False)]
    # a deal term the article states with one value only (the offer price, the lot) is the same wherever it stands
    far = [c for r, c in members[1:] if not getattr(c, "known", False) and r not in settled
           and abs(c._nstart - u._nstart) > WINDOW]
    if far:
        return f"an input lies far from the figure in the text ({far[0].quote!r})"
    if text and u.sentence and not any(c.sentence == u.sentence for c in text):
        return "no input is stated in the figure's own sentence (its basis is not established)"
    ids = {c.id for _, c in members}
    for _, c in members:
        other = [p for p in next_to.get(c.id, ()) if p.id not in ids]
        if c.unit == "pct" and other:
            return f"{c.quote!r} stands next to another price ({other[0].value:g}): it may be the move to that price"
    v = float(u.value)
    lo, hi = derived
    if not (math.isfinite(lo) and math.isfinite(hi)) or v == 0:
        return ""
    if lo * v <= 0 and hi * v <= 0 or not (min(abs(lo), abs(hi)) / SAME_QUANTITY <= abs(v) <=
                                           max(abs(lo), abs(hi)) * SAME_QUANTITY):
        return f"the stated and derived values are too far apart to be one quantity (a role reading is doubtful)"
    return ""


def _weakness(members: list[tuple[str, object]]) -> list[str]:
    """Why a mismatch among these claims is not a plain contradiction (empty: exact, same date, same basis)."""
    reasons = []
    approx = [c for _, c in members[1:] if c.qualifier != "exact"]
    if approx:
        reasons.append("an input is approximate (" + ", ".join(repr(c.quote) for c in approx) + ")")
    dates = {c.date for r, c in members if c.date and not undated(r)}
    if len(dates) > 1:
        reasons.append("the figures are of different dates (" + ", ".join(sorted(dates)) + ")")
    basis = [c for _, c in members if _BASIS.search(c.sentence or "")]
    if basis:
        reasons.append(f"a stated basis ({_BASIS.search(basis[0].sentence)[0]})")
    ledger = [c for _, c in members[1:] if getattr(c, "known", False)]
    if ledger:  # the article against the ledger is the ledger check's call; here it only weakens the finding
        src = "is derived, not stated" if getattr(ledger[0], "sources", ()) else "comes from the ledger, not the article"
        reasons.append(f"an input {src} ({ledger[0].quote})")
    return reasons


def fmt(x: float) -> str:
    if not math.isfinite(x):
        return "∞" if x > 0 else "-∞"
    if abs(x) >= 1e8:
        return f"{x / 1e8:,.4g}亿"
    if abs(x) >= 1e4:
        return f"{x / 1e4:,.6g}万"
    return f"{x:,.6g}"


def _show(x: float, unit: str | None) -> str:
    """A derived value as the article would print it: 8.18%, 1272.79x, 20,454.22."""
    if unit == "pct" and math.isfinite(x):
        return f"{x:.2f}%"
    if unit == "x" and math.isfinite(x):
        return f"{x:.2f}x"
    if unit in MONEY and math.isfinite(x) and abs(x) < 1e6:
        return f"{x:,.2f}"
    return fmt(x)


def _range(iv: Interval) -> str:
    a, b = fmt(iv[0]), fmt(iv[1])
    return a if a == b else f"{a}–{b}"


def _apart(v: float, lo: float, hi: float) -> bool:
    """A stated ``v`` and a derived lo..hi that differ in sign or by more than ``SAME_QUANTITY``."""
    if not (math.isfinite(lo) and math.isfinite(hi)) or v == 0:
        return False
    return (lo * v <= 0 and hi * v <= 0) or not (
        min(abs(lo), abs(hi)) / SAME_QUANTITY <= abs(v) <= max(abs(lo), abs(hi)) * SAME_QUANTITY)


def _far_from_any(ident: Identity, members) -> str:
    """The reading is doubtful for every member when it is for one: solved for another member, the relation gives a
    value too far from that member's own (a daily move read as the return from the offer price fits the price
    within a factor, but not the other way round)."""
    for i, (r, c) in enumerate(members[1:], 1):
        if getattr(c, "known", False):
            continue
        rest = {role: (float(x.value),) * 2 for j, (role, x) in enumerate(members) if j != i}
        try:
            lo, hi = solve_for(ident, r, rest)
        except (ZeroDivisionError, OverflowError, ValueError):
            continue
        if _apart(float(c.value), lo, hi):
            return f"solved for {r} the relation gives {fmt(lo)}, too far from its stated {c.value:g} to be one " \
                   "quantity (a role reading is doubtful)"
    return ""


def _judge(ident_id: str, u, derived: Interval, working: str, members, next_to: dict[str, list],
           far: str | Callable[[], str] = "", settled: frozenset = frozenset()) -> Outcome:
    ids = [c.id for _, c in members]
    mine = interval_of(u, members[0][0])
    stated = f"stated {u.quote!r} admits {_range(mine)}"
    if not (math.isfinite(derived[0]) and math.isfinite(derived[1])):
        # a divisor whose interval spans 0 bounds nothing: overlap would "confirm" any figure
        return Outcome(ident_id, "unverifiable", f"{working}; {stated}: not judged, the relation does not bound it "
                                                 "(a divisor's interval includes 0)", ids, False, True)
    if rounding.overlap(derived, mine):
        return Outcome(ident_id, "consistent", f"{working}; {stated}", ids, not _weakness(members), True)
    exact_role = members[0][0] in (_config().get("exact_as_written") or ()) and u.qualifier == "exact"
    trunc = None if exact_role else rounding.truncation_of_claim(u)  # a quoted price is not a truncation
    if trunc and rounding.overlap(derived, trunc):
        return Outcome(ident_id, "consistent", f"{working}; {stated}: agrees only as a truncation "
                                               f"({_range(trunc)})", ids, False, True)
    # two neighbouring digits swapped is a copying slip of this very quantity: the reading is not in doubt
    swapped = rounding.is_transposition(u, derived)
    doubt = "" if swapped else _doubt(u, derived, members, next_to, settled) or (far() if callable(far) else far)
    if doubt:
        return Outcome(ident_id, "unverifiable", f"{working}; {stated}: not judged, {doubt}", ids, False, True)
    weak = _weakness(members)
    approx = [c for _, c in members[1:] if c.qualifier == "about"]
    if approx and u.qualifier != "about" and len(weak) == 1:
        # an approximate input that misses a firmer figure is the suspect (often another quantity: a rumoured size)
        return Outcome(ident_id, "unverifiable", f"{working}; {stated}: not judged, the approximate input "
                                                 f"{approx[0].quote!r} is the suspect", ids, False, True)
    if weak:
        return Outcome(ident_id, "tension", f"{working}; {stated}: no overlap, but " + "; ".join(weak), ids, False,
                       True)
    return Outcome(ident_id, "inconsistent", f"{working}; {stated}: no overlap", ids, True, True)


def _relation(ident: Identity, by_role: dict[str, list], next_to: dict[str, list]) -> list[Outcome]:
    out = []
    fill = dict(ident.fillers)
    roles = {r: [c for m in fill.get(r, (r,)) for c in by_role.get(m, ())] for r in ident.roles}
    if not all(roles.values()):
        return out
    near = {r: _ByPosition(cs) for r, cs in roles.items()}
    settled = frozenset(r for r, cs in roles.items() if undated(r) and len({c.value for c in cs}) == 1)
    for unknown in ident.roles:
        for u in roles[unknown]:
            if getattr(u, "known", False):
                continue
            others = [r for r in ident.roles if r != unknown]
            pools = [near[r].nearest(u) for r in others]
            results = []
            for combo in itertools.product(*pools):
                members = [(unknown, u)] + list(zip(others, combo))
                if any(u.id in getattr(c, "sources", ()) for _, c in members[1:]):
                    continue  # a value derived from this very figure cannot check it
                if ident.currency and any(c.unit in MONEY and c.unit != ident.currency for _, c in members):
                    continue
                money = {c.unit for _, c in members if c.unit in MONEY}
                if len(money) > 1:
                    continue  # two currencies: the FX check's business
                known = {r: interval_of(c, r) for r, c in members[1:]}
                if not all(rounding.is_finite(iv) for iv in known.values()):
                    continue
                derived = solve_for(ident, unknown, known)
                pt = solve_for(ident, unknown, {r: (float(c.value),) * 2 for r, c in members[1:]})
                point = ((pt[0] + pt[1]) / 2,) * 2  # the middle of the slack, if any
                inputs = ", ".join(f"{r}{_as(c, r)} {c.value:g}" for r, c in members[1:])
                consts = ", ".join(f"{n} {v[0]:.7g}" for n, v in ident.constants)
                working = (f"{ident.text} with {inputs}{', ' + consts if consts else ''}: {unknown} = "
                           f"{_show(point[0], u.unit)} (inputs' rounding: {_show(derived[0], u.unit)}–"
                           f"{_show(derived[1], u.unit)})")
                # the far-reading test only matters on a mismatch: it is solved then, not for every combination
                results.append(_judge(ident.kind_name, u, derived, working, members, next_to,
                                      lambda members=members: _far_from_any(ident, members), settled))
                if results[-1].verdict == "consistent" and results[-1].exact:
                    break  # nothing can outrank the first exact agreement (see _best)
            if results:
                best = _best(results)
                best.computed = _has(ident.lhs, unknown)
                out.append(best)
    return out


def _as(c, role: str) -> str:
    """' (as grey_market_price)' when another metric fills the role; the source of a known value."""
    if getattr(c, "known", False):
        return f" (known: {c.quote})"
    m = canonical(c.metric)
    return f" (as {m})" if m != role else ""


def _best(results: list[Outcome]) -> Outcome:
    """Any agreeing combination confirms; otherwise the strongest contradiction speaks."""
    for v in ("consistent", "inconsistent", "tension"):
        hit = [r for r in results if r.verdict == v]
        if hit:
            return max(hit, key=lambda r: r.exact)
    return results[0]


def _parts(ident: Identity, roles: dict[str, list], _next_to: dict[str, list]) -> list[Outcome]:
    parts = [c for c in roles.get(ident.roles[0], []) if not getattr(c, "known", False)]
    distinct = list({(c.value, c.quote): c for c in parts}.values())
    wholes = [c for c in roles.get(ident.roles[1], [])] if len(ident.roles) > 1 else []
    if len(distinct) < 2 or (len(ident.roles) > 1 and not wholes):
        return []
    units = {c.unit for c in distinct + wholes[:1]}
    if len(units) > 1:
        return []
    ivs = [rounding.of_claim(c) for c in distinct]
    total = (sum(i[0] for i in ivs), sum(i[1] for i in ivs))
    whole_iv = (ident.whole, ident.whole) if ident.whole is not None else interval_of(wholes[0], ident.roles[1])
    name = f"{ident.whole:g}" if ident.whole is not None else f"{wholes[0].quote!r}"
    working = " + ".join(f"{c.value:g}" for c in distinct) + f" = {_range(total)} of a whole {name}"
    ids = [c.id for c in distinct] + [c.id for c in wholes[:1]]
    at_most = ident.text == "at_most"
    fits = total[0] <= whole_iv[1] and (at_most or total[1] >= whole_iv[0])
    if fits:  # a bound only supports; an exact sum confirms
        return [Outcome(ident.kind_name, "consistent", working, [i] + [j for j in ids if j != i], True, not at_most)
                for i in ids]
    if total[0] > whole_iv[1]:  # more often a part restated or read twice than a slip: reported, not flagged
        return [Outcome(ident.kind_name, "unverifiable", working + ": the parts exceed the whole (a part restated, "
                        "or another basis)", [i] + [j for j in ids if j != i], False) for i in ids]
    return []  # parts short of the whole: the article need not list them all


def _inside(ident: Identity, roles: dict[str, list], _next_to: dict[str, list]) -> list[Outcome]:
    inner_r, range_r = ident.roles
    out = []
    for rng in [c for c in roles.get(range_r, []) if c.value_high is not None and not getattr(c, "known", False)]:
        for x in [c for c in roles.get(inner_r, []) if c.unit == rng.unit]:
            lo, hi = rounding.of_claim(rng)
            v = interval_of(x, inner_r)
            working = f"{inner_r} {x.value:g} within {range_r} {rng.value:g}–{rng.value_high:g}"
            if rounding.overlap(v, (lo, hi)):
                out += [Outcome(ident.kind_name, "consistent", working, [rng.id, x.id], True, False),
                        Outcome(ident.kind_name, "consistent", working, [x.id, rng.id], True, False)]
            # outside: a revised range or another deal more often than a slip; nothing to say
            break
    return out


def _midpoint(ident: Identity, roles: dict[str, list], _next_to: dict[str, list]) -> list[Outcome]:
    """A stated midpoint against the middle of the stated range. A figure outside the range is another quantity
    (a reading doubt, nothing to say); inside it but off the middle, it is a slip."""
    mid_r, range_r = ident.roles
    out = []
    for rng in [c for c in roles.get(range_r, []) if c.value_high is not None and not getattr(c, "known", False)]:
        lo, hi = (interval_of(_end(rng, v), range_r) for v in (rng.value, rng.value_high))
        derived = ((lo[0] + hi[0]) / 2, (lo[1] + hi[1]) / 2)
        for x in [c for c in roles.get(mid_r, []) if c.unit == rng.unit and not getattr(c, "known", False)]:
            mine = interval_of(x, mid_r)
            if not rounding.overlap(mine, (lo[0], hi[1])):
                continue
            working = (f"{ident.text} with {range_r} {rng.value:g}–{rng.value_high:g}: {mid_r} = "
                       f"{_show((derived[0] + derived[1]) / 2, x.unit)}; stated {x.quote!r} admits {_range(mine)}")
            if rounding.overlap(derived, mine):
                out += [Outcome(ident.kind_name, "consistent", working, [x.id, rng.id], True, True, True),
                        Outcome(ident.kind_name, "consistent", working, [rng.id, x.id], True, True, False)]
            else:
                out.append(Outcome(ident.kind_name, "inconsistent", working + ": no overlap", [x.id, rng.id], True,
                                   True, True))
        break
    return out


def _end(rng, v: float):
    """One end of a stated range as a figure of its own (its rounding, no range qualifier)."""
    end = copy.copy(rng)
    end.value, end.value_high = float(v), None
    end.qualifier = "exact" if rng.qualifier in ("range", "exact", None) else rng.qualifier
    return end


def _ratio(ident: Identity, roles: dict[str, list], _next_to: dict[str, list]) -> list[Outcome]:
    num_r, den_r = ident.roles
    out = []
    dens = _ByPosition(roles.get(den_r, []))
    for n in [c for c in roles.get(num_r, []) if not getattr(c, "known", False)]:
        for d in dens.nearest(n)[:1]:
            if n.unit != d.unit:
                continue
            r = _div(rounding.of_claim(n), rounding.of_claim(d))
            lo, hi = ident.within
            working = f"{ident.text} = {_range(r)} (plausible {lo:g}–{hi:g})"
            members = [(num_r, n), (den_r, d)]
            if r[0] < hi and r[1] >= lo:
                out += [Outcome(ident.kind_name, "consistent", working, [n.id, d.id], True, False),
                        Outcome(ident.kind_name, "consistent", working, [d.id, n.id], True, False)]
            elif r[0] >= hi * SAME_QUANTITY:
                out.append(Outcome(ident.kind_name, "unverifiable", working + ": not judged, "
                                   "too far above the gross to be its net (a role reading is doubtful)",
                                   [n.id, d.id], False))
            elif r[0] >= hi:
                weak = _weakness(members)
                out.append(Outcome(ident.kind_name, "tension" if weak else "inconsistent",
                                   working + ": net is not below gross" + (", but " + "; ".join(weak) if weak else ""),
                                   [n.id, d.id], not weak))
            else:  # far below: hardly the same offer's net and gross (a role reading is doubtful)
                out.append(Outcome(ident.kind_name, "unverifiable", working + ": not judged, too far below the "
                                   "gross to be its net", [n.id, d.id], False))
    return out


def _restates(ident: Identity, roles: dict[str, list], _next_to: dict[str, list]) -> list[Outcome]:
    out = []
    names = [r for r in roles if r not in ident.roles[1:]] if ident.roles[:1] == ("*",) else ident.roles
    for role in names:
        cs = [c for c in roles.get(role, []) if not getattr(c, "known", False)]
        for u in cs:
            others = [c for c in cs if c is not u and c.unit == u.unit and c.value is not None]
            for o in others:
                if not undated(role) and u.date and o.date and u.date != o.date:
                    continue  # a figure of another day is not a restatement
                if rounding.overlap(rounding.of_claim(u), rounding.of_claim(o)):
                    # support only: two different figures of one role are often two things (another tranche,
                    # another day), so a mismatch says nothing
                    out.append(Outcome(ident.kind_name, "consistent", f"restated as {o.quote!r} ({role} {o.value:g})",
                                       [u.id, o.id], u.qualifier == o.qualifier == "exact", False))
                    break
    return out


def _converts(ident: Identity, roles: dict[str, list], _next_to: dict[str, list]) -> list[Outcome]:
    """An amount in one currency agreeing with the same role's amount in another through the rate band supports both
    (the rate is an outside constant, so it supports, it does not confirm exactly). A mismatch says nothing here:
    two amounts of one role far apart in the text may be two quantities; the adjacent-pair FX check judges those."""
    base, quote = ident.currency.split("/")
    (name, (r_lo, r_hi)), = ident.constants
    out = []
    for role in ident.roles:
        cs = [c for c in roles.get(role, []) if not getattr(c, "known", False)]
        for b in [c for c in cs if c.unit == base]:
            for q in [c for c in cs if c.unit == quote]:
                bi, qi = rounding.of_claim(b), rounding.of_claim(q)
                conv = (bi[0] * r_lo, bi[1] * r_hi)
                if rounding.overlap(conv, qi):
                    working = (f"{role} {fmt(b.value)} {base} x {name} {r_lo:g}–{r_hi:g} = {_range(conv)} {quote}, "
                               f"stated {q.quote!r}")
                    out += [Outcome(ident.kind_name, "consistent", working, [b.id, q.id], False, True),
                            Outcome(ident.kind_name, "consistent", working, [q.id, b.id], False, True)]
    return out


_KINDS = {"converts": _converts, "relation": _relation, "parts": _parts, "ratio": _ratio, "restates": _restates, "inside": _inside,
          "midpoint": _midpoint}


def check_claims(claims: list, known: list | None = None) -> list[Outcome]:
    """Every declared identity over the claims of one article, per entity; ``known`` values (ledger facts) serve as
    inputs for roles the article does not state."""
    out = []
    claims = list(claims) + list(known or ())
    next_to = _adjacent_prices([c for c in claims if c.value is not None])
    for roles in _groups(claims).values():
        _derive(roles)
        for ident in identities():
            try:
                out += _KINDS[ident.kind](ident, roles, next_to)
            except (ZeroDivisionError, OverflowError, ValueError):
                continue
    return out


def _derive(roles: dict[str, list]) -> None:
    """Roles the article leaves out but one identity fixes from unambiguous stated figures (a board lot from the
    cash due for one lot and the price) join ``roles`` as known values, so that another identity can use them (the
    per-lot gain at that lot). A derived value is never used to check the figures it came from."""
    for ident in identities():
        if ident.kind != "relation" or ident.fillers:
            continue
        missing = [r for r in ident.roles if not roles.get(r)]
        if len(missing) != 1 or missing[0] not in (_config().get("derivable") or ()):
            continue
        given = {}
        for r in ident.roles:
            if r == missing[0]:
                continue
            stated = [c for c in roles[r] if not getattr(c, "known", False) and c.qualifier == "exact"]
            if len({c.value for c in stated}) != 1:
                break
            given[r] = stated[0]
        else:
            try:
                iv = solve_for(ident, missing[0], {r: interval_of(c, r) for r, c in given.items()})
            except (ZeroDivisionError, OverflowError, ValueError):
                continue
            if not rounding.is_finite(iv):
                continue
            mid = (iv[0] + iv[1]) / 2
            src = ", ".join(f"{r} {c.value:g}" for r, c in given.items())
            first = next(iter(given.values()))
            roles[missing[0]] = [Known(id=f"derived:{ident.id}:{missing[0]}", metric=missing[0], value=mid,
                                       unit=None, entity_key=first.entity_key, iv=iv, date=None,
                                       quote=f"derived by {ident.id} from {src}", sources=tuple(
                                           c.id for c in given.values()), _nstart=first._nstart)]
