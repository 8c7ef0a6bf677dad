"""The visual explorer: index.html at `/` and its own files at `/static/...`.

The page is plain ES modules talking to /api/v1 only; its graph library, Cytoscape.js, and its
layout extensions (fcose with its cose-base/layout-base, dagre) are vendor assets served at
/vendor/<name> (api/routes/vendor.py). When any is not installed, the page carries a notice
naming the command that installs it. No route here needs inline scripts, so a strict CSP works.
"""

from __future__ import annotations

import html
from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse, HTMLResponse, Response

from plankg.api.errors import error_response
from plankg.api.routes.vendor import VENDOR_DIR, missing, missing_message

STATIC_DIR = Path(__file__).resolve().parent.parent / "static"
NODE_MODULES = STATIC_DIR / "node_modules"
GRAPH_LIBRARY = "cytoscape.min.js"
GRAPH_LIBRARIES = (GRAPH_LIBRARY, "layout-base.js", "cose-base.js", "cytoscape-fcose.js", "cytoscape-dagre.min.js")
"""The vendor files index.html loads (the layouts degrade to Cytoscape's own without the extensions)."""
SERVED_SUFFIXES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".ico": "image/x-icon",
}
# The page's own files change with the code, so browsers revalidate them on every load.
NO_CACHE = {"Cache-Control": "no-cache", "X-Content-Type-Options": "nosniff"}

router = APIRouter(include_in_schema=False)


def _not_found(message: str) -> Response:
    return error_response(404, "not_found", message)


def _static_file(relative: str) -> Path | None:
    """A file of the explorer's own inside api/static (not npm's packages or manifests, not vendor/)."""
    candidate = (STATIC_DIR / relative).resolve()
    if not candidate.is_relative_to(STATIC_DIR) or any(candidate.is_relative_to(d) for d in (NODE_MODULES, VENDOR_DIR)):
        return None
    if candidate.suffix not in SERVED_SUFFIXES or not candidate.is_file():
        return None
    return candidate


def _page_with_notice(message: str) -> str:
    """index.html with a visible notice at the top of the body (plain HTML: it shows even when scripts fail)."""
    page = (STATIC_DIR / "index.html").read_text(encoding="utf-8")
    notice = f'<div id="asset-notice" class="asset-notice" role="alert">{html.escape(message)}</div>'
    return page.replace("<body>", f"<body>\n  {notice}", 1)


@router.get("/")
def explorer_page() -> Response:
    """The explorer's landing page."""
    absent = missing(list(GRAPH_LIBRARIES))
    if absent:
        return HTMLResponse(_page_with_notice(missing_message(absent)), headers=NO_CACHE)
    return FileResponse(STATIC_DIR / "index.html", media_type=SERVED_SUFFIXES[".html"], headers=NO_CACHE)


@router.get("/static/{relative:path}")
def explorer_static(relative: str) -> Response:
    path = _static_file(relative)
    if path is None:
        return _not_found(f"no explorer file {relative!r}")
    return FileResponse(path, media_type=SERVED_SUFFIXES[path.suffix], headers=NO_CACHE)
