"""The API docs, Swagger UI at `/docs` and ReDoc at `/redoc`, with every asset served by plankg itself.

FastAPI's own pages load Swagger UI and ReDoc (and Google Fonts) from CDNs, which leaves them
blank without network; these use the vendor assets at /vendor/... (api/routes/vendor.py)
and the explorer's favicon. A Content-Security-Policy keeps every load on this server: ReDoc's
sidebar would otherwise fetch Redocly's logo from its CDN (the image hides itself when refused).
When the assets are missing the pages say so, with the fix.
"""

from __future__ import annotations

import html

from fastapi import APIRouter, Request
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html, get_swagger_ui_oauth2_redirect_html
from fastapi.responses import HTMLResponse

from plankg.api.routes.vendor import missing, missing_message

DOCS_URL = "/docs"
REDOC_URL = "/redoc"
OAUTH2_REDIRECT_URL = "/docs/oauth2-redirect"
FAVICON = "/static/favicon.svg"

# Inline script and styles: FastAPI's page bootstraps Swagger UI inline, and both UIs inject styles.
# blob: workers: ReDoc's search index runs in one.
CSP = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self' 'unsafe-inline'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self' data:",
        "worker-src 'self' blob:",
        "connect-src 'self'",
        "frame-ancestors 'self'",
    )
)

router = APIRouter(include_in_schema=False)


def _local_only(page: HTMLResponse) -> HTMLResponse:
    page.headers["Content-Security-Policy"] = CSP
    return page


def _missing_page(title: str, absent: list[str], openapi_url: str) -> HTMLResponse:
    body = (
        f"<!doctype html><html lang=en><head><meta charset=utf-8><title>{html.escape(title)}</title></head>"
        f"<body><h1>{html.escape(title)}</h1>"
        f'<p id="asset-notice" role="alert">{html.escape(missing_message(absent))}</p>'
        f'<p>The OpenAPI document itself is at <a href="{html.escape(openapi_url)}">{html.escape(openapi_url)}</a>.</p>'
        "</body></html>"
    )
    return HTMLResponse(body, status_code=503)


def _prefix(request: Request) -> str:
    return request.scope.get("root_path", "").rstrip("/")


@router.get(DOCS_URL)
def swagger_ui(request: Request) -> HTMLResponse:
    root = _prefix(request)
    openapi_url = root + (request.app.openapi_url or "/openapi.json")
    title = f"{request.app.title} - Swagger UI"
    absent = missing(["swagger-ui-bundle.js", "swagger-ui.css"])
    if absent:
        return _missing_page(title, absent, openapi_url)
    page = get_swagger_ui_html(
        openapi_url=openapi_url,
        title=title,
        swagger_js_url=f"{root}/vendor/swagger-ui-bundle.js",
        swagger_css_url=f"{root}/vendor/swagger-ui.css",
        swagger_favicon_url=root + FAVICON,
        oauth2_redirect_url=root + OAUTH2_REDIRECT_URL,
        # no online validator badge: it would send the spec's URL to validator.swagger.io
        swagger_ui_parameters={**(request.app.swagger_ui_parameters or {}), "validatorUrl": None},
    )
    return _local_only(page)


@router.get(OAUTH2_REDIRECT_URL)
def swagger_ui_oauth2_redirect() -> HTMLResponse:
    return get_swagger_ui_oauth2_redirect_html()


@router.get(REDOC_URL)
def redoc(request: Request) -> HTMLResponse:
    root = _prefix(request)
    openapi_url = root + (request.app.openapi_url or "/openapi.json")
    title = f"{request.app.title} - ReDoc"
    absent = missing(["redoc.standalone.js"])
    if absent:
        return _missing_page(title, absent, openapi_url)
    page = get_redoc_html(
        openapi_url=openapi_url,
        title=title,
        redoc_js_url=f"{root}/vendor/redoc.standalone.js",
        redoc_favicon_url=root + FAVICON,
        with_google_fonts=False,
    )
    return _local_only(page)
