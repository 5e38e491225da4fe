"""The provider contract: a fetcher runs three stages, and only the middle one touches the network.

    transform_query(params) -> query        validate and normalise what the user asked for
    extract_data(query)     -> raw payload  the ONE network call, through an injectable transport
    transform_data(query, raw) -> [models]  vendor columns -> standard models, through an alias table

``fetch`` chains them; ``check_fetcher`` is the conformance test every provider passes on its recorded fixture.
A transport is any callable ``transport(function_name, **kwargs) -> payload``: the live one calls the vendor
library, a test's returns a fixture. Connection failures become ``NoNetworkError`` with the message users see;
anything else a vendor raises (no data, a TypeError on an unknown code, HTTP 429 after retries, a call past its time
limit) becomes a ``ProviderError`` naming the call and the listing.
"""
from __future__ import annotations

from abc import ABC, abstractmethod

import datetime as dt
import difflib
import importlib.util
import math
import os
import re
import socket
import threading
import time
from typing import Any, Callable, ClassVar, Generic, Iterable, Mapping, Sequence, TypeVar

from .calls import CallTimedOut, call_timeout, run_with_time_limit

__all__ = ["Fetcher", "Transport", "ProviderError", "NoNetworkError", "LiveExtraMissing", "NO_NETWORK_HINT",
           "apply_aliases", "check_fetcher", "RateLimiter", "probe_network", "require_live", "to_date",
           "to_float", "parse_code_key", "yahoo_symbol", "set_transport", "transport_for", "is_connection_error",
           "require_param", "check_window", "vendor_reason"]

Transport = Callable[..., Any]
Q = TypeVar("Q")
M = TypeVar("M")

NO_NETWORK_HINT = "use the embedded dataset or --offline"
# Overall budget for one fetch when the network is down: users get their prompt back well inside 15 s.
OFFLINE_BUDGET_S = 10.0


class ProviderError(RuntimeError):
    """A provider answered, but not with what its documented shape promises."""


class NoNetworkError(ProviderError):
    def __init__(self, detail: str):
        self.detail = detail
        super().__init__(f"no network: {detail}; {NO_NETWORK_HINT}")


class LiveExtraMissing(ProviderError):
    def __init__(self, module: str):
        super().__init__(f"this command needs {module}, part of the live extra: pip install 'ipolens[live]'")


def parse_code_key(text: str) -> str:
    """Entity key (HK:06082) of a listing code in any spelling; ProviderError if it is not one."""
    from ...ledger.codes import CodeError, parse_code

    try:
        return parse_code(text).key
    except CodeError as exc:
        raise ProviderError(str(exc)) from None


def yahoo_symbol(text: str) -> str:
    """Yahoo Finance symbol of a listing code: HK:06082 -> 6082.HK, SH:688795 -> 688795.SS."""
    from ...ledger.codes import CodeError, parse_code

    try:
        return parse_code(text).yahoo
    except CodeError as exc:
        raise ProviderError(str(exc)) from None


# -- values ------------------------------------------------------------------------------------------------------------
def to_float(value: Any, scale: float = 1.0) -> float | None:
    """Vendor cell -> float; blanks, '-', '--' and NaN become None. '12.3%' and '1,234' are read as numbers.

    Fetchers read cells through ``cells.Cells``, which adds the column and row to a "not a number" message."""
    if value is None:
        return None
    if isinstance(value, bool):
        return float(value)
    if isinstance(value, (int, float)):
        f = float(value)
        return None if math.isnan(f) else f * scale
    text = str(value).strip().replace(",", "").rstrip("%")
    if text in ("", "-", "--", "—", "nan", "NaN", "None"):
        return None
    try:
        return float(text) * scale
    except ValueError:
        raise ProviderError(f"not a number: {value!r}") from None


def to_date(value: Any) -> dt.date | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if hasattr(value, "to_pydatetime"):  # pandas Timestamp (NaT has no year)
        try:
            return value.to_pydatetime().date()
        except (ValueError, AttributeError):
            return None
    text = str(value).strip()
    if text in ("", "-", "--", "NaT", "nan", "None"):
        return None
    # the whole cell must be a date (a time of day may follow): "2026-01-05xyz" is refused, not cut to 10 chars
    m = _DATE.fullmatch(text)
    try:
        if m is None:
            raise ValueError(text)
        return dt.date(int(m["y"]), int(m["m"]), int(m["d"]))
    except ValueError:
        raise ProviderError(f"not a date: {value!r}") from None


# 2026-01-05, 2026/01/05, 20260105, optionally followed by a time ("2025-12-17 00:00:00", "…T00:00:00+08:00")
_DATE = re.compile(r"(?P<y>\d{4})(?P<sep>[-/]?)(?P<m>\d{2})(?P=sep)(?P<d>\d{2})"
                   r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?")


def require_param(params: Mapping[str, Any], name: str, who: str) -> Any:
    """``params[name]``, or a ProviderError naming what is missing (not a bare KeyError)."""
    value = params.get(name)
    if value is None or (isinstance(value, str) and not value.strip()):
        raise ProviderError(f"{who}: the {name!r} parameter is required")
    return value


def check_window(start: dt.date | None, end: dt.date | None) -> None:
    """Refuse a date window that ends before it starts (the vendors answer it with silence, not an error)."""
    if start is not None and end is not None and end < start:
        raise ProviderError(f"end {end} is before start {start}")


# -- alias tables ------------------------------------------------------------------------------------------------------
def apply_aliases(columns: Sequence[str], table: Mapping[str, Sequence[str]], required: Iterable[str] = (),
                  where: str = "payload") -> dict[str, str]:
    """Map our field names to the vendor's column names present in ``columns``.

    ``table`` lists, per field of ours, the vendor spellings in order of preference (English and Chinese headers
    alike). Matching ignores case and surrounding spaces. A missing required field raises ProviderError with the
    closest vendor columns, so a renamed upstream column reads as a clear message, not a KeyError.
    """
    norm = {str(c).strip().lower(): str(c) for c in columns}
    found: dict[str, str] = {}
    for ours, spellings in table.items():
        for s in spellings:
            hit = norm.get(s.strip().lower())
            if hit is not None:
                found[ours] = hit
                break
    missing = [f for f in required if f not in found]
    if missing:
        parts = []
        for f in missing:
            hint = difflib.get_close_matches(table[f][0], list(norm.values()), n=2, cutoff=0.4)
            parts.append(f"{f} (expected one of {', '.join(table[f])}"
                         + (f"; did you mean {', '.join(hint)}?" if hint else "") + ")")
        raise ProviderError(f"{where}: missing column(s) {'; '.join(parts)}; columns present: "
                            f"{', '.join(map(str, columns))}")
    return found


# -- transports --------------------------------------------------------------------------------------------------------
_OVERRIDES: dict[str, Transport] = {}
_PROBED: set[str] = set()


def set_transport(provider: str, transport: Transport | None) -> None:
    """Route every fetcher of ``provider`` through ``transport`` (tests); None restores the live one."""
    if transport is None:
        _OVERRIDES.pop(provider, None)
    else:
        _OVERRIDES[provider] = transport


def transport_for(provider: str, live: Callable[[], Transport]) -> Transport:
    return _OVERRIDES.get(provider) or live()


def live_available(module: str) -> bool:
    """Can ``module`` (akshare, yfinance) be imported? ``IPOLENS_NO_LIVE=1`` says no."""
    return os.environ.get("IPOLENS_NO_LIVE") != "1" and importlib.util.find_spec(module) is not None


def require_live(module: str) -> None:
    """Raise LiveExtraMissing unless ``module`` can be imported."""
    if not live_available(module):
        raise LiveExtraMissing(module)


def probe_network(host: str, port: int = 443, timeout: float = 3.0) -> None:
    """Fail fast (NoNetworkError) when ``host`` cannot even be resolved or reached.

    ``IPOLENS_NETWORK_PROBE=host:port`` points every probe elsewhere (tests use a closed loopback port).
    """
    override = os.environ.get("IPOLENS_NETWORK_PROBE")
    if override:
        host, _, p = override.rpartition(":")
        port = int(p)
    try:
        socket.create_connection((host, port), timeout=timeout).close()  # reachable is all we need to know
    except OSError as exc:
        raise NoNetworkError(f"cannot reach {host} ({exc.__class__.__name__}: {exc})") from None


_CONNECTION_NAMES = ("ConnectionError", "ConnectTimeout", "ReadTimeout", "Timeout", "NewConnectionError",
                     "MaxRetryError", "NameResolutionError", "gaierror", "CurlError", "RequestException",
                     "ProxyError", "SSLError")


def is_connection_error(exc: BaseException) -> bool:
    """True for socket, requests, urllib3 and curl_cffi connection failures, without importing any of them."""
    seen = 0
    while exc is not None and seen < 8:
        if _http_status(exc) is not None:
            return False  # the server answered (429, 5xx): the network is fine, whatever the exception's class
        if isinstance(exc, (ConnectionError, TimeoutError, socket.gaierror, socket.timeout)):
            return True
        if any(cls.__name__ in _CONNECTION_NAMES for cls in type(exc).__mro__):
            return True
        exc = exc.__cause__ or exc.__context__
        seen += 1
    return False


def _http_status(exc: BaseException) -> int | None:
    """The HTTP status a requests/curl_cffi error carries, if any."""
    status = getattr(getattr(exc, "response", None), "status_code", None)
    return status if isinstance(status, int) else None


def _is_rate_limit(exc: BaseException) -> bool:
    # yfinance turns Yahoo's 429 into YFRateLimitError, which carries no response
    return _http_status(exc) == 429 or type(exc).__name__ == "YFRateLimitError"


def vendor_reason(exc: BaseException) -> str:
    """A vendor exception as one line: its class and message, with what an HTTP status means for the user."""
    text = f"{type(exc).__name__}: {exc}".rstrip(": ")
    if _is_rate_limit(exc):
        return f"rate limited by the vendor (HTTP 429, still after retries); wait a minute and try again ({text})"
    status = _http_status(exc)
    return f"HTTP {status} ({text})" if status is not None else text


class RateLimiter:
    """At most one call per ``interval`` seconds per provider: polite to free public endpoints."""

    def __init__(self, interval: float):
        self.interval = interval
        self._last = 0.0
        self._lock = threading.Lock()

    def wait(self) -> None:
        with self._lock:
            now = time.monotonic()
            delay = self._last + self.interval - now
            if delay > 0:
                time.sleep(delay)
            self._last = time.monotonic()


# -- the contract ------------------------------------------------------------------------------------------------------
class Fetcher(ABC, Generic[Q, M]):
    """One data set of one provider. Subclasses set the class attributes and the three stages.

    Class attributes: ``provider`` (folder name), ``library`` (the vendor package), ``model`` (the standard model
    produced), ``function`` (the vendor call), ``host`` (probed before the first live call), ``doc_url`` (the
    documented output this fetcher reads).
    """

    provider: ClassVar[str] = ""
    library: ClassVar[str] = ""  # the vendor package behind the live transport (the live extra)
    model: ClassVar[type] = object
    function: ClassVar[str] = ""
    host: ClassVar[str] = ""
    doc_url: ClassVar[str] = ""
    attempts: ClassVar[int] = 3
    backoff: ClassVar[float] = 0.5  # seconds, doubled per attempt
    limiter: ClassVar[RateLimiter] = RateLimiter(0.0)

    def __init__(self, transport: Transport | None = None):
        self._transport = transport

    @abstractmethod
    def live_transport(self) -> Transport:
        """The provider's real transport (its package, behind the live extra)."""

    @property
    def transport(self) -> Transport:
        if self._transport is not None:
            return self._transport
        override = _OVERRIDES.get(self.provider)
        if override is not None:
            return override
        if self.host and self.host not in _PROBED:
            try:
                probe_network(self.host)
            except NoNetworkError as exc:
                # Offline, "use the embedded dataset or --offline" is what the user can act on now (pip needs
                # the network too); a missing live extra is added as a second note.
                if self.library and not live_available(self.library):
                    raise NoNetworkError(f"{exc.detail}; the live extra is not installed either (once online: "
                                         "pip install 'ipolens[live]')") from None
                raise
            _PROBED.add(self.host)  # one probe per host and process, not one per call
        if self.library:
            require_live(self.library)
        return self.live_transport()

    # -- stages --------------------------------------------------------------------------------------------------------
    @abstractmethod
    def transform_query(self, params: Mapping[str, Any]) -> Q:
        """Validate the user's parameters into the typed query."""

    @abstractmethod
    def request(self, query: Q) -> dict[str, Any]:
        """Keyword arguments of the vendor call for ``query``."""

    def subject(self, query: Q) -> str:
        """What ``query`` asks about, for messages: the listing, the pair, the board or the window."""
        for attr in ("code", "codes", "pairs", "market"):
            value = getattr(query, attr, None)
            if value:
                if attr == "pairs":
                    return ", ".join("/".join(p) for p in value)
                return value if isinstance(value, str) else ", ".join(value)
        return f"{getattr(query, 'start', None)}..{getattr(query, 'end', None)}"

    def extract_data(self, query: Q) -> Any:
        """The only network call: the vendor function through the transport, with retry, backoff, rate limit and
        a time limit. Whatever the vendor raises becomes a ProviderError naming the call and the listing."""
        live = self._transport is None and self.provider not in _OVERRIDES
        transport = self.transport
        kwargs = self.request(query)
        call = f"{self.provider} {self.function}({', '.join(f'{k}={v!r}' for k, v in kwargs.items())})"
        limit = call_timeout()
        try:
            return run_with_time_limit(lambda: self._attempts(transport, kwargs, live), limit, self.function)
        except CallTimedOut:
            raise ProviderError(f"{call} for {self.subject(query)}: timed out after {limit:g} s "
                                "(IPOLENS_CALL_TIMEOUT=seconds sets the limit)") from None
        except ProviderError:
            raise  # ours already (no network, a transport's own refusal)
        except Exception as exc:  # noqa: BLE001 - a vendor library raises anything: no data, TypeError, HTTP 429
            raise ProviderError(f"{call} for {self.subject(query)}: {vendor_reason(exc)}") from exc

    def _attempts(self, transport: Transport, kwargs: dict[str, Any], live: bool) -> Any:
        """Call, retrying connection failures with exponential backoff inside OFFLINE_BUDGET_S."""
        deadline = time.monotonic() + OFFLINE_BUDGET_S
        delay = self.backoff
        for attempt in range(1, self.attempts + 1):
            if live:  # politeness is owed to the vendor, not to a recording
                self.limiter.wait()
            try:
                return _retrying_call(transport, self.function, kwargs)
            except Exception as exc:  # noqa: BLE001 - sorted below
                if not is_connection_error(exc):
                    raise
                if isinstance(exc, socket.gaierror) or attempt == self.attempts \
                        or time.monotonic() + delay > deadline:
                    raise NoNetworkError(f"{self.provider} {self.function}: {exc.__class__.__name__}: {exc}") \
                        from None
                time.sleep(delay)
                delay *= 2
        raise AssertionError("unreachable")  # pragma: no cover

    @abstractmethod
    def transform_data(self, query: Q, raw: Any) -> list[M]:
        """The vendor payload, through the alias table, as standard models."""

    def fetch(self, params: Mapping[str, Any]) -> list[M]:
        query = self.transform_query(params)
        return self.transform_data(query, self.extract_data(query))


_TRANSIENT_TRIES = 3


def _retrying_call(transport: Transport, function: str, kwargs: dict[str, Any]) -> Any:
    """Call once; tenacity (when installed) retries a vendor's transient HTTP 5xx/429 quickly inside the call."""
    try:
        import tenacity
    except ImportError:
        return transport(function, **kwargs)

    def transient(exc: BaseException) -> bool:
        return _is_rate_limit(exc) or _http_status(exc) in (500, 502, 503, 504)

    retrying = tenacity.Retrying(stop=tenacity.stop_after_attempt(_TRANSIENT_TRIES),
                                 wait=tenacity.wait_exponential(multiplier=0.5, max=4),
                                 retry=tenacity.retry_if_exception(transient), reraise=True)
    return retrying(transport, function, **kwargs)


def check_fetcher(fetcher: Fetcher, params: Mapping[str, Any]) -> list:
    """Conformance test (after OpenBB's ``Fetcher.test``): each stage runs, raw data is not yet a model, and every
    output item is an instance of the declared model. Returns the models for further assertions."""
    query = fetcher.transform_query(params)
    assert query is not None, "transform_query returned None"
    raw = fetcher.extract_data(query)
    assert raw is not None, "extract_data returned None"
    assert not isinstance(raw, fetcher.model), "extract_data must return the vendor payload, not a model"
    if isinstance(raw, list):
        assert not any(isinstance(r, fetcher.model) for r in raw), "raw payload already holds models"
    out = fetcher.transform_data(query, raw)
    assert isinstance(out, list) and out, f"{type(fetcher).__name__} produced no {fetcher.model.__name__}"
    bad = [o for o in out if not isinstance(o, fetcher.model)]
    assert not bad, f"{len(bad)} output item(s) are not {fetcher.model.__name__}: {bad[:1]!r}"
    assert fetcher.doc_url.startswith("https://"), "every fetcher cites the doc page of the output it reads"
    return out
