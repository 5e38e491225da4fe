"""ASGI guards in front of the API: the Host check (DNS rebinding) and the write guard (cross-origin writes, body
size, undecodable bytes, JSON nesting). Both answer with JSON errors before any route runs."""
from __future__ import annotations

import json

from fastapi.responses import JSONResponse

__all__ = ["HostCheck", "WriteGuard", "LOOPBACK_HOSTS", "host_name"]

LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")
WRITE_METHODS = {"POST"}  # the only write method a route takes; others fall through to 405
DEFAULT_CAP = 64 * 1024  # bytes of a POST body unless the path has its own cap
MAX_DEPTH = 64  # nesting of a JSON body; no route takes more than two levels


def host_name(host: str) -> str:
    """'127.0.0.1:8000' -> '127.0.0.1', '[::1]:8000' -> '::1', 'http://a.b:1' -> 'a.b', lower-cased."""
    host = host.strip().lower()
    if "://" in host:
        host = host.split("://", 1)[1].split("/", 1)[0]
    if host.startswith("["):
        return host[1:host.find("]")] if "]" in host else host
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def _header(scope, name: bytes) -> str:
    return next((v.decode("latin-1") for k, v in scope.get("headers", []) if k == name), "")


async def _deny(scope, receive, send, status: int, detail: str) -> None:
    await JSONResponse({"detail": detail}, status_code=status)(scope, receive, send)


class HostCheck:
    """Refuse requests whose Host names anything but loopback, the extra hosts given, or the address the server
    listens on. Why: the API has no authentication, so a DNS-rebinding page (``Host: evil.example`` resolving to
    127.0.0.1) must not be able to read it from the user's browser."""

    def __init__(self, app, allowed: tuple[str, ...]) -> None:
        self.app = app
        self.allowed = {host_name(h) for h in allowed}

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] in ("http", "websocket"):
            host = _header(scope, b"host")
            # scope["server"] is the socket the request came in on (the bind address, or the interface's own
            # address when bound to 0.0.0.0): a Host naming that address is not a rebinding.
            server = (scope.get("server") or ("",))[0] or ""
            name = host_name(host)
            if not name or (name not in self.allowed and name != host_name(str(server))):
                return await _deny(scope, receive, send, 400, f"host not allowed: {host[:100]!r}")
        await self.app(scope, receive, send)


def _depth_ok(raw: bytes, limit: int) -> bool:
    """True when the JSON nesting stays within ``limit`` (brackets inside strings are skipped)."""
    if raw.count(b"[") + raw.count(b"{") <= limit:  # the common case, at C speed: cannot nest deeper
        return True
    depth, in_str, esc = 0, False, False
    for b in raw:
        if in_str:
            if esc:
                esc = False
            elif b == 0x5C:
                esc = True
            elif b == 0x22:
                in_str = False
        elif b == 0x22:
            in_str = True
        elif b in (0x5B, 0x7B):
            depth += 1
            if depth > limit:
                return False
        elif b in (0x5D, 0x7D):
            depth -= 1
    return True


class WriteGuard:
    """For POST: refuse another origin (Origin or Sec-Fetch-Site), require a JSON body (so a page
    elsewhere cannot send a CORS-free "simple" request), cap the body, and refuse undecodable bytes or deep nesting
    with a 4xx before the body reaches a parser."""

    def __init__(self, app, allowed: tuple[str, ...], paths: frozenset[str], caps: dict[str, int] | None = None):
        self.app = app
        self.allowed = {host_name(h) for h in allowed}
        self.paths = paths  # the routes that take a POST; a POST elsewhere is the router's 405
        self.caps = caps or {}

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http" or scope["method"] not in WRITE_METHODS or scope["path"] not in self.paths:
            return await self.app(scope, receive, send)
        origin = _header(scope, b"origin")
        same = {host_name(_header(scope, b"host")), *self.allowed}
        if (origin and host_name(origin) not in same) or _header(scope, b"sec-fetch-site") == "cross-site":
            return await _deny(scope, receive, send, 403, f"cross-origin write refused (origin {origin[:100]!r})")
        ctype = _header(scope, b"content-type").split(";")[0].strip().lower()
        if ctype != "application/json":
            return await _deny(scope, receive, send, 415, "POST bodies must be JSON (Content-Type: application/json)")
        cap = self.caps.get(scope["path"], DEFAULT_CAP)
        length = _header(scope, b"content-length")
        if length.isdigit() and int(length) > cap:
            return await _deny(scope, receive, send, 413, f"body too large: {int(length):,} bytes (limit {cap:,})")
        chunks, size, more = [], 0, True
        while more:
            msg = await receive()
            if msg["type"] == "http.disconnect":
                return
            body = msg.get("body", b"")
            size += len(body)
            if size > cap:
                return await _deny(scope, receive, send, 413, f"body too large (limit {cap:,} bytes)")
            chunks.append(body)
            more = msg.get("more_body", False)
        raw = b"".join(chunks)
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            return await _deny(scope, receive, send, 400, f"body is not UTF-8 (byte {exc.start})")
        if not _depth_ok(raw, MAX_DEPTH):
            return await _deny(scope, receive, send, 400, f"JSON nested deeper than {MAX_DEPTH} levels")
        try:
            json.loads(raw)
        except ValueError:  # the shape FastAPI gives a malformed body, so clients see one kind of 422
            detail = [{"type": "json_invalid", "loc": ["body"], "msg": "JSON decode error"}]
            return await JSONResponse({"detail": detail, "message": "malformed JSON body"},
                                      status_code=422)(scope, receive, send)
        sent = False

        async def replay():
            nonlocal sent
            if sent:
                return await receive()
            sent = True
            return {"type": "http.request", "body": raw, "more_body": False}

        await self.app(scope, replay, send)
