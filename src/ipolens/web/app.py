"""The FastAPI app behind ``ipolens serve``: a JSON API over the ledger and a dashboard served from vendored
static files (nothing loads from a CDN).

Every handler is ``async`` so requests run one at a time on the event loop: the ledger is a single DuckDB
connection, which must not be used from several threads at once.
"""
from __future__ import annotations

import contextlib
import datetime as dt

import json
import math
from enum import Enum
from pathlib import Path
from typing import Any, Literal

from fastapi import FastAPI, HTTPException, Path as PathParam, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, Field

STATIC = Path(__file__).with_name("static")
MAX_NEWS_BYTES = 2_000_000 - 1  # a body of 2 MB or more is refused, whether "MB" means 10^6 or 2^20 bytes
MAX_ECHO = 200  # characters of a rejected input echoed back in a 422
MARKETS = ("HK", "STAR", "SH", "SZ", "NASDAQ")
IPO_COLUMNS = ("code", "entity", "market", "name_en", "name_zh", "listing_date", "route", "offer_price", "currency",
               "lot_size", "oversubscription_public", "public_undersubscribed", "one_lot_success_rate",
               "first_day_return", "grey_market_return", "market_cap", "market_cap_as_of", "proceeds_gross",
               "sponsors", "counts_as_ipo")

ERRORS = {404: {"description": "Unknown code, name or field", "content": {"application/json": {"example": {
    "detail": "no company or listing matches 'NOPE.HK'"}}}},
    400: {"description": "A value the rules reject (e.g. a tranche outside the regime's range)"}}


SortKey = Enum("SortKey", {f"{d}{c}": f"{d}{c}" for c in IPO_COLUMNS for d in ("", "-")}, type=str)


class CompareRequest(BaseModel):
    codes: list[str] = Field(..., min_length=1, max_length=30, examples=[["6082.HK", "2513.HK"]])
    currency: Literal["HKD", "CNY", "USD"] = "HKD"


def _clean(v: Any) -> Any:
    """JSON-safe value: NaN/NaT become null, dates become ISO strings."""
    if v is None:
        return None
    if isinstance(v, float):
        return None if math.isnan(v) or math.isinf(v) else v
    if isinstance(v, dict):
        return {str(k): _clean(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [_clean(x) for x in v]
    if hasattr(v, "isoformat"):
        import pandas as pd

        if v is pd.NaT:
            return None
        return v.isoformat()[:10] if type(v).__name__ in ("date", "Timestamp", "datetime") else v.isoformat()
    if type(v).__module__ == "numpy":
        return _clean(v.item())
    import pandas as pd

    with contextlib.suppress(TypeError, ValueError):  # containers have no single NA value
        if pd.isna(v):
            return None
    return v


def _message(exc: Exception) -> str:
    """The text of an error. str(KeyError) wraps it in quotes; stripping them also ate a closing quote inside."""
    return exc.args[0] if len(exc.args) == 1 and isinstance(exc.args[0], str) else str(exc)


def _records(df) -> list[dict]:
    return [_clean(r) for r in df.to_dict("records")]


CODE_PATH = PathParam(..., max_length=100, description="Code in any spelling (6082.HK, 06082, 688795) or a name",
                      examples=["6082.HK"])


def _regime_ids() -> list[str]:
    try:
        from ipolens.hk.regimes import regimes

        return sorted(regimes())
    except Exception:  # noqa: BLE001 - without the HK package the endpoint answers 404
        return ["18c"]


RegimeId = Enum("RegimeId", {r: r for r in _regime_ids()}, type=str)

LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")


def _host_name(host: str) -> str:
    """'127.0.0.1:8000' -> '127.0.0.1', '[::1]:8000' -> '::1', lower-cased."""
    host = host.strip().lower()
    if host.startswith("["):
        return host[1:host.find("]")] if "]" in host else host
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


class HostCheck:
    """Refuse requests whose Host header names anything but loopback, the extra hosts given, or the address the
    server itself listens on. Why: the API has no authentication, so a DNS-rebinding page (``Host: evil.example``
    resolving to 127.0.0.1) must not be able to read it from the user's browser."""

    def __init__(self, app, allowed: tuple[str, ...]) -> None:
        self.app = app
        self.allowed = {_host_name(h) for h in allowed}

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] in ("http", "websocket"):
            host = next((v.decode("latin-1") for k, v in scope.get("headers", []) if k == b"host"), "")
            # scope["server"] is the socket the request came in on (the bind address, or the interface's own
            # address when bound to 0.0.0.0): a Host naming that address is not a rebinding.
            server = (scope.get("server") or ("",))[0] or ""
            name = _host_name(host)
            if not name or (name not in self.allowed and name != _host_name(str(server))):
                resp = JSONResponse({"detail": f"host not allowed: {host[:100]!r}"}, status_code=400)
                await resp(scope, receive, send)
                return
        await self.app(scope, receive, send)


def create_app(db=None, db_path: str | None = None, allowed_hosts: tuple[str, ...] | list[str] = ()) -> FastAPI:
    """The app. ``db``: an open ``ipolens.Database`` (tests); otherwise one is opened at ``db_path`` on first use.
    ``allowed_hosts``: Host header names accepted besides loopback and the address the server listens on."""
    from ipolens import __version__
    from ipolens.api import EntityNotFound

    # /docs is served below from vendored Swagger UI files: FastAPI's default page loads them from a CDN.
    app = FastAPI(title="ipolens", version=__version__, docs_url=None, redoc_url=None,
                  description="IPO research workbench API: HKEX (incl. Chapter 18C), SSE STAR and Nasdaq listings, "
                              "every value with its source.")
    state: dict[str, Any] = {"db": db}

    def get_db():
        if state["db"] is None:
            import ipolens

            state["db"] = ipolens.open(db_path)
        return state["db"]

    def resolve(code: str) -> str:
        try:
            return get_db().resolve(code)
        except EntityNotFound as exc:
            raise HTTPException(404, str(exc) or f"unknown code {code!r}") from None

    @app.exception_handler(EntityNotFound)
    async def _not_found(request: Request, exc: EntityNotFound):
        return JSONResponse({"detail": str(exc) or "not found"}, status_code=404)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError):
        errors = json.loads(json.dumps(exc.errors(), default=str))
        for e in errors:  # why: echoing a huge body back in full turns a 422 into a megabyte answer
            if "input" in e:
                raw = e["input"] if isinstance(e["input"], str) else json.dumps(e["input"], ensure_ascii=False)
                if len(raw) > MAX_ECHO:
                    e["input"] = raw[:MAX_ECHO] + f"… ({len(raw):,} characters, truncated)"
        malformed = any(e.get("type") == "json_invalid" for e in errors)
        msg = "malformed JSON body" if malformed else "; ".join(
            f"{'.'.join(str(p) for p in e.get('loc', []))}: {e.get('msg')}" for e in errors) or "invalid request"
        return JSONResponse({"detail": errors, "message": msg}, status_code=422)

    # -- API ------------------------------------------------------------------------------------------------------
    @app.get("/api/ipos", summary="IPO table", tags=["ipos"])
    async def list_ipos(market: Literal["HK", "STAR", "SH", "SZ", "NASDAQ"] | None = None,
                        year: int | None = Query(None, ge=1990, le=2100),
                        q: str | None = Query(None, max_length=100, description="Substring of code or name"),
                        sort: SortKey | None = Query(None, description="Column, '-' prefix for descending"),
                        ipos_only: bool = False,
                        limit: int = Query(1000, ge=1, le=5000), offset: int = Query(0, ge=0)) -> dict:
        import pandas as pd

        df = get_db().ipos(market=market, year=year, ipos_only=ipos_only)
        if q:
            from ipolens.ledger.store import _to_simplified

            # Why t2s on both sides: the resolver accepts traditional spellings (智譜 -> 智谱), so the search must too.
            needle = _to_simplified(q).lower()
            hay = (df["code"].fillna("") + " " + df["name_en"].fillna("") + " " + df["name_zh"].fillna("")).str.lower()
            simple = _to_simplified("\n".join(h.replace("\n", " ") for h in hay)).split("\n")
            if len(simple) == len(hay):  # one conversion for the whole column, one line per row
                hay = pd.Series(simple, index=hay.index)
            df = df[hay.str.contains(needle, regex=False) | hay.str.contains(q.lower(), regex=False)]
        if sort:
            sort = str(getattr(sort, "value", sort))
            col = sort.lstrip("-")
            df = df.sort_values(col, ascending=not sort.startswith("-"), na_position="last", kind="stable")
        cols = [c for c in IPO_COLUMNS if c in df.columns]
        page = df.iloc[offset:offset + limit][cols]
        return {"total": int(len(df)), "offset": offset, "limit": limit, "columns": cols, "rows": _records(page)}

    @app.get("/api/ipos/{code}", summary="One IPO's profile with sources", tags=["ipos"], responses=ERRORS)
    async def get_ipo(code: str = CODE_PATH) -> dict:
        d = get_db()
        key = resolve(code)
        try:
            prof = d.ipo(key).to_dict()
        except EntityNotFound as exc:
            raise HTTPException(404, str(exc)) from None
        return _clean(prof)

    @app.get("/api/ipos/{code}/financials", summary="Financial periods", tags=["ipos"], responses=ERRORS)
    async def get_financials(code: str = CODE_PATH) -> dict:
        key = resolve(code)
        return {"entity": key, "rows": _records(get_db().financials(key))}

    @app.get("/api/facts", summary="Ledger facts with source, qualifier, date and quote", tags=["ledger"],
             responses=ERRORS)
    async def facts(code: str | None = Query(None, max_length=100, examples=["6082.HK"]),
                    field: str | None = Query(None, max_length=80, examples=["offer_price"]),
                    limit: int = Query(2000, ge=1, le=50000)) -> dict:
        d = get_db()
        key = resolve(code) if code else None
        try:
            df = d.facts(key, field)
        except (KeyError, ValueError) as exc:  # an unknown field name: nothing of that name exists
            raise HTTPException(404, _message(exc)) from None
        return {"total": int(len(df)), "rows": _records(df.head(limit))}

    @app.get("/api/conflicts", summary="Values that disagree beyond their qualifiers", tags=["ledger"],
             responses=ERRORS)
    async def conflicts(code: str | None = Query(None, max_length=100, examples=["6082.HK"])) -> dict:
        d = get_db()
        df = d.conflicts(resolve(code) if code else None)
        return {"total": int(len(df)), "rows": _records(df)}

    @app.get("/api/sources", summary="Source records", tags=["ledger"])
    async def sources() -> dict:
        return {"rows": _records(get_db().ledger.query("SELECT * FROM sources ORDER BY id"))}

    @app.get("/api/stats", summary="First-day return statistics by group, or N-day returns vs the HSI",
             tags=["stats"])
    async def stats_(by: Literal["band", "year", "sponsor", "route", "market", "year_market", "nday"] = "band",
                     market: Literal["HK", "STAR", "SH", "SZ", "NASDAQ"] | None = None,
                     year: int | None = Query(None, ge=1990, le=2100),
                     ipos_only: bool = True) -> dict:
        from ipolens.analytics import stats

        d = get_db()
        ipos = d.ipos(market=market, year=year)
        if by == "nday":
            after = d.aftermarket(market)
            keep = stats.ipo_rows(ipos, ipos_only)[["entity", "vendor_discrepancy"]]
            out = stats.nday_vs_index(after.merge(keep, on="entity", how="inner"))
        else:
            out = stats.first_day_by(ipos, by, ipos_only=ipos_only)
        out["filters"] = {"market": market, "year": year, "ipos_only": ipos_only}
        return _clean(out)

    def _compare(codes: list[str], currency: str) -> dict:
        from ipolens.analytics import compare

        d = get_db()
        for c in codes:
            resolve(c)
        table = compare.gather(d, codes, currency=currency)
        med = compare.market_medians(table)
        prem = []
        for a in med["market"]:
            for b in med["market"]:
                if a != b:
                    p = compare.premium(med, "market_cap_conv", a, b)
                    if p is not None:
                        prem.append({"metric": "market_cap_conv", "market": a, "over": b, "premium_pct": p})
        return {"currency": currency, "rows": _records(table), "medians": _records(med), "premiums": prem,
                "note": "money converted at the rate of the date each market cap was observed (fx_rates table)"}

    @app.get("/api/compare", summary="Cross-market comparison in one currency", tags=["stats"], responses=ERRORS)
    async def compare_get(codes: str = Query(..., min_length=1, max_length=400, pattern=r"^[\s,]*[^\s,]",
                                             description="Comma-separated codes, e.g. 6082.HK,688795,HWEP"),
                          currency: Literal["HKD", "CNY", "USD"] = "HKD") -> dict:
        items = [c.strip() for c in codes.split(",") if c.strip()]
        if not items:
            raise HTTPException(400, "no codes given")
        return _compare(items[:30], currency)

    @app.post("/api/compare/batch", summary="Cross-market comparison (JSON body)", tags=["stats"], responses=ERRORS)
    async def compare_post(body: CompareRequest) -> dict:
        return _compare(body.codes, body.currency)

    @app.post("/api/news/check", summary="Check the numbers of a news article (plain-text body, < 2 MB)",
              tags=["news"], responses={413: {"description": "Body of 2 MB or more"},
                                        422: {"description": "Malformed JSON body"}},
              openapi_extra={"requestBody": {"required": True, "content": {
                  "text/plain": {"schema": {"type": "string"}},
                  "application/json": {"schema": {"type": "object", "properties": {"text": {"type": "string"}},
                                                  "required": ["text"]}}}}})
    async def news_check(request: Request,
                         published: dt.date | None = Query(None, description="The article's publication date; it "
                                                           "dates claims such as 1月5日 and picks FX rates"),
                         market: Literal["HK", "CN", "US"] | None = Query(
                             None, description="The outlet's market, for a bare 元 or $")) -> dict:
        length = request.headers.get("content-length")
        if length and length.isdigit() and int(length) > MAX_NEWS_BYTES:
            raise HTTPException(413, f"article too large: {int(length):,} bytes (limit {MAX_NEWS_BYTES:,})")
        chunks, size = [], 0
        async for chunk in request.stream():
            size += len(chunk)
            if size > MAX_NEWS_BYTES:
                raise HTTPException(413, f"article too large (limit {MAX_NEWS_BYTES:,} bytes)")
            chunks.append(chunk)
        raw = b"".join(chunks)
        ctype = request.headers.get("content-type", "text/plain").split(";")[0].strip().lower()
        if ctype == "application/json":
            try:
                obj = json.loads(raw)
            except (ValueError, UnicodeDecodeError):
                return JSONResponse({"detail": [{"type": "json_invalid", "loc": ["body"], "msg": "JSON decode error"}],
                                     "message": "malformed JSON body"}, status_code=422)
            if not isinstance(obj, dict) or not isinstance(obj.get("text"), str):
                return JSONResponse({"detail": [{"type": "missing", "loc": ["body", "text"], "msg": "Field required"}],
                                     "message": "JSON body must be an object with a string 'text'"}, status_code=422)
            text = obj["text"]
        else:
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError:
                from ipolens.news.text import decode_bytes

                text, _ = decode_bytes(raw, "<request>")
        if not text.strip():
            raise HTTPException(400, "empty article")
        from ipolens.news import check_text

        return _clean(check_text(get_db(), text, published=published, market=market))

    @app.get("/api/hk/tranche", summary="Public tranche after reallocation for a listing or a what-if",
             tags=["hk"], responses=ERRORS)
    async def hk_tranche(code: str | None = Query(None, max_length=100, examples=["6082.HK"]),
                         regime: RegimeId | None = Query(None, description="Regime id (ipolens.hk.regimes)"),
                         initial_pct: float | None = Query(None, gt=0, le=100),
                         subscription: float | None = Query(None, ge=0, le=1e6)) -> dict:
        try:
            from ipolens.hk.tranche import allocate, infer_regime
        except ImportError:
            raise HTTPException(404, "HK mechanics are not installed") from None
        listing: dict = {}
        reason = "given"
        if code:
            listing = get_db().listing(resolve(code))
            if subscription is None:
                subscription = listing.get("oversubscription_public")
            if initial_pct is None:
                initial_pct = listing.get("initial_public_pct")
        if subscription is None:
            raise HTTPException(400, "subscription multiple unknown: pass subscription")
        try:
            if regime is None:
                if not listing:
                    raise ValueError("pass regime or code")
                regime, reason = infer_regime(listing)
            regime = str(getattr(regime, "value", regime))
            res = allocate(regime, initial_pct, float(subscription)).to_dict()
        except (ValueError, KeyError) as exc:
            raise HTTPException(400, _message(exc)) from None
        return _clean({"code": code, "regime_reason": reason, **res,
                       "stated_final_public_pct": listing.get("final_public_pct")})

    @app.get("/report/{code}", summary="Self-contained HTML brief", tags=["reports"], response_class=HTMLResponse,
             responses=ERRORS)
    async def report(code: str = CODE_PATH, lang: Literal["en", "zh"] = "en") -> HTMLResponse:
        from ipolens.report import render_ipo

        key = resolve(code)
        return HTMLResponse(render_ipo(get_db(), key, lang=lang))

    # -- dashboard ------------------------------------------------------------------------------------------------
    @app.get("/", include_in_schema=False)
    async def index() -> FileResponse:
        return FileResponse(STATIC / "index.html", media_type="text/html")

    @app.get("/docs", include_in_schema=False)
    async def docs() -> HTMLResponse:
        from fastapi.openapi.docs import get_swagger_ui_html

        return get_swagger_ui_html(openapi_url=app.openapi_url, title="ipolens API",
                                   swagger_js_url="/static/swagger-ui-bundle.js",
                                   swagger_css_url="/static/swagger-ui.css", swagger_favicon_url="/favicon.ico")

    @app.get("/favicon.ico", include_in_schema=False)
    async def favicon():
        from fastapi import Response

        return Response(status_code=204)

    @app.get("/healthz", include_in_schema=False)
    async def healthz() -> dict:
        return {"ok": True}

    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.add_middleware(HostCheck, allowed=tuple(LOOPBACK_HOSTS) + tuple(allowed_hosts))
    return app
