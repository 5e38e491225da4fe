"""The dashboard's pages: index, vendored Swagger UI, favicon and the health check."""
from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Request, Response
from fastapi.responses import FileResponse, HTMLResponse

STATIC = Path(__file__).with_name("static")
router = APIRouter(include_in_schema=False)


@router.get("/")
async def index() -> FileResponse:
    return FileResponse(STATIC / "index.html", media_type="text/html")


@router.get("/docs")
async def docs(request: Request) -> HTMLResponse:
    # served from vendored Swagger UI files: FastAPI's default page loads them from a CDN
    from fastapi.openapi.docs import get_swagger_ui_html

    return get_swagger_ui_html(openapi_url=request.app.openapi_url, title="ipolens API",
                               swagger_js_url="/static/swagger-ui-bundle.js",
                               swagger_css_url="/static/swagger-ui.css", swagger_favicon_url="/favicon.ico")


@router.get("/favicon.ico")
async def favicon() -> Response:
    return Response(status_code=204)


@router.get("/healthz")
async def healthz() -> dict:
    return {"ok": True}
