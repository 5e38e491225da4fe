"""How the app layer's errors reach an HTTP client: the same message the CLI prints, with a status code."""
from __future__ import annotations

import json

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from ..app.base import EntityNotFound, LedgerBusy, LedgerWriteError, TimeLimit, UserError

MAX_ECHO = 200  # characters of a rejected input echoed back in a 422


def message(exc: Exception) -> str:
    """The text of an error. str(KeyError) wraps it in quotes; the CLI prints args[0], and so do we."""
    return exc.args[0] if len(exc.args) == 1 and isinstance(exc.args[0], str) else str(exc)


def _status(code: int):
    async def handler(request: Request, exc: Exception) -> JSONResponse:
        return JSONResponse({"detail": message(exc) or "error"}, status_code=code)

    return handler


async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
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


def install(app: FastAPI) -> None:
    """UserError and ValueError -> 400 (the CLI's exit 2), unknown code -> 404, busy or unwritable ledger or time limit -> 503."""
    from ..ledger.codes import CodeError
    from ..ledger.fields import UnknownFieldError

    app.add_exception_handler(EntityNotFound, _status(404))
    app.add_exception_handler(UnknownFieldError, _status(404))
    for exc in (UserError, CodeError, ValueError):
        app.add_exception_handler(exc, _status(400))
    app.add_exception_handler(LedgerBusy, _status(503))
    app.add_exception_handler(LedgerWriteError, _status(503))
    app.add_exception_handler(TimeLimit, _status(503))
    app.add_exception_handler(RequestValidationError, _invalid)
