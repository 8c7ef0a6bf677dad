"""Third-party browser assets at `/vendor/<name>`: Cytoscape.js for the explorer, Swagger UI and ReDoc for the docs.

They are never committed: tools/build-assets takes them from npm (versions pinned in
api/static/package-lock.json) into api/static/vendor/, and the wheel build runs it, so an
installed wheel serves everything itself, with no CDN. The files are those named in
package.json's "vendor" map. When they are missing (a source tree where the script has not
run, or a build with PLANKG_SKIP_ASSETS=1), `missing_message()` says so and names the fix;
the explorer page, /docs and the server log all show it.
"""

from __future__ import annotations

import fnmatch
import importlib.metadata
import json
import logging
from functools import cache
from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse, Response

from plankg.api.errors import error_response

STATIC_DIR = Path(__file__).resolve().parent.parent / "static"
VENDOR_DIR = STATIC_DIR / "vendor"
BUILD_SCRIPT = STATIC_DIR.parent.parent / "tools" / "build-assets"  # present in a source tree only
MEDIA_TYPES = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8", ".woff2": "font/woff2"}
# Pinned versions never change under a name, but a rebuild may swap them: an hour is a fair cache.
CACHE = {"Cache-Control": "public, max-age=3600", "X-Content-Type-Options": "nosniff"}

log = logging.getLogger("plankg.api")
router = APIRouter(include_in_schema=False)


@cache
def vendor_names() -> tuple[str, ...]:
    """The served file names, from api/static/package.json's "vendor" map."""
    try:
        manifest = json.loads((STATIC_DIR / "package.json").read_text(encoding="utf-8"))
        return tuple(manifest["vendor"])
    except (OSError, ValueError, KeyError):
        return ("cytoscape.min.js", "swagger-ui-bundle.js", "swagger-ui.css", "redoc.standalone.js")


def missing(names: tuple[str, ...] | list[str] | None = None) -> list[str]:
    """Which of `names` (default: all vendor files) are not installed."""
    return [name for name in (names or vendor_names()) if not (VENDOR_DIR / name).is_file()]


def fix_command() -> str:
    """The command that installs the assets, for this kind of installation."""
    if BUILD_SCRIPT.is_file():
        return str(BUILD_SCRIPT)
    try:
        version = importlib.metadata.version("plankg")
    except importlib.metadata.PackageNotFoundError:
        version = "*"
    return (
        "rebuild the wheel where Node.js/npm is installed and reinstall it: "
        f"`python -m pip wheel --no-deps -w dist <plankg source checkout>` (it runs tools/build-assets), then "
        f"`pip install --force-reinstall dist/plankg-{version}-py3-none-any.whl`"
    )


def missing_message(names: list[str]) -> str:
    return (
        f"plankg's browser assets are not installed ({', '.join(names)} missing from {VENDOR_DIR}), "
        f"so the explorer cannot draw graphs and /docs and /redoc cannot render. Fix: {fix_command()}"
    )


def warn_if_missing() -> None:
    """One warning in the server log when any asset is missing."""
    absent = missing()
    if absent:
        log.warning(missing_message(absent))


def _not_found(message: str) -> Response:
    return error_response(404, "not_found", message)


@cache
def vendor_folders() -> dict[str, str]:
    """vendor/ folder -> the glob of the package files copied into it (package.json's "vendor_files")."""
    try:
        manifest = json.loads((STATIC_DIR / "package.json").read_text(encoding="utf-8"))
        return dict(manifest.get("vendor_files", {}))
    except (OSError, ValueError):
        return {}


@router.get("/vendor/{folder}/{name}")
def vendor_folder_file(folder: str, name: str) -> Response:
    """A file of a vendor/ folder (the CJK web font's subset slices), when its name matches the folder's glob."""
    pattern = vendor_folders().get(folder)
    if pattern is None or not fnmatch.fnmatchcase(name, pattern.rsplit("/", 1)[-1]) or "/" in name:
        return _not_found(f"no vendor file {folder}/{name}")
    path = VENDOR_DIR / folder / name
    if not path.is_file():
        return _not_found(missing_message([f"{folder}/{name}"]))
    return FileResponse(path, media_type=MEDIA_TYPES.get(path.suffix, "application/octet-stream"), headers=CACHE)


@router.get("/vendor/{name}")
def vendor_file(name: str) -> Response:
    if name not in vendor_names():
        return _not_found(f"no vendor file {name!r}; available: {', '.join(vendor_names())}")
    path = VENDOR_DIR / name
    if not path.is_file():
        return _not_found(missing_message([name]))
    return FileResponse(path, media_type=MEDIA_TYPES.get(path.suffix, "application/octet-stream"), headers=CACHE)
