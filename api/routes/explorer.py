"""The visual explorer: index.html at `/`, its files at `/static/...`, Cytoscape.js at `/vendor/...`.

The page is plain ES modules talking to /api/v1 only; Cytoscape.js comes from npm
(`npm ci` in api/static, run by tools/setup) and is served from node_modules, never
copied into the repository. No route here needs inline scripts, so a strict CSP works.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse, JSONResponse, Response

STATIC_DIR = Path(__file__).resolve().parent.parent / "static"
NODE_MODULES = STATIC_DIR / "node_modules"
VENDOR_FILES = {"cytoscape.min.js": NODE_MODULES / "cytoscape" / "dist" / "cytoscape.min.js"}
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


def _not_found(message: str) -> JSONResponse:
    return JSONResponse({"error": {"code": "not_found", "message": message}}, status_code=404)


def _static_file(relative: str) -> Path | None:
    """A file inside api/static (not node_modules, not npm's manifests) with a served suffix."""
    candidate = (STATIC_DIR / relative).resolve()
    if not candidate.is_relative_to(STATIC_DIR) or candidate.is_relative_to(NODE_MODULES):
        return None
    if candidate.suffix not in SERVED_SUFFIXES or not candidate.is_file():
        return None
    return candidate


@router.get("/")
def explorer_page() -> Response:
    """The explorer's landing page."""
    return FileResponse(STATIC_DIR / "index.html", media_type=SERVED_SUFFIXES[".html"], headers=NO_CACHE)


@router.get("/static/{relative:path}")
def explorer_static(relative: str) -> Response:
    path = _static_file(relative)
    if path is None:
        return _not_found(f"no explorer file {relative!r}")
    return FileResponse(path, media_type=SERVED_SUFFIXES[path.suffix], headers=NO_CACHE)


@router.get("/vendor/{name}")
def explorer_vendor(name: str) -> Response:
    """Third-party browser libraries installed by npm into api/static/node_modules."""
    path = VENDOR_FILES.get(name)
    if path is None:
        return _not_found(f"no vendor file {name!r}; available: {', '.join(VENDOR_FILES)}")
    if not path.is_file():
        return _not_found(
            f"{name} is not installed: run `npm ci` in {STATIC_DIR} (tools/setup does this) to install Cytoscape.js"
        )
    return FileResponse(path, media_type=SERVED_SUFFIXES[".js"], headers={"Cache-Control": "public, max-age=3600"})
