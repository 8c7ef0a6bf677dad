"""Packaging: the wheel from a clean clone carries everything the explorer and /docs need, and works offline.

The end-to-end test builds the wheel from a `git clone` of HEAD (so only committed files
count: the browser assets come from npm at build time, through setup.py and
tools/build-assets), checks its file list, installs it into a fresh virtualenv (its
dependencies from the package index, through pip's cache), runs `plankg load` and
`plankg serve` from there, and drives headless Chromium against it: the explorer draws a
graph and /docs and /redoc render, while request interception proves no request leaves
127.0.0.1. The fast tests check the docs routes and what an install without the assets says.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import venv
import zipfile
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
import test_explorer
from fastapi.testclient import TestClient
from test_explorer import CHROMIUM_ARGS, _free_port, _unavailable

from plankg.api.app import create_app
from plankg.api.routes import vendor
from plankg.api.settings import ApiSettings
from plankg.graph.memory import MemoryStore

ROOT = Path(__file__).resolve().parent.parent
browser_ready = test_explorer.browser_ready  # the browser tests' fixture: Chromium and Playwright, installed if missing
VENDOR_NAMES = tuple(json.loads((ROOT / "api" / "static" / "package.json").read_text(encoding="utf-8"))["vendor"])
SOURCE_FOLDERS = ("api", "cli", "graph", "loaders", "model", "ontology")
TOP_LEVEL_FOLDERS = (*SOURCE_FOLDERS, "tests", "tools", "bench")


def _run(command: list[str], timeout: int = 900, **kwargs: Any) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False, **kwargs)
    assert result.returncode == 0, f"{' '.join(map(str, command))} exited {result.returncode}:\n{result.stderr[-4000:]}"
    return result


def _clean_env(**extra: str) -> dict[str, str]:
    """This environment without anything that points at the source tree or at a Neo4j server."""
    drop = ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "PLANKG_DB", "PLANKG_API_TOKEN")
    env = {k: v for k, v in os.environ.items() if k not in drop and not k.startswith("NEO4J_")}
    return {**env, "PIP_DISABLE_PIP_VERSION_CHECK": "1", **extra}


# ------------------------------------------------------------------ fast: routes, and an install without assets


@pytest.fixture
def app_client(tmp_path: Path) -> Iterator[TestClient]:
    store = MemoryStore(tmp_path / "graph.json")
    with TestClient(create_app(store, ApiSettings())) as client:
        yield client
    store.close()


def _route_paths(routes: list[Any]) -> list[str]:
    """Every route's path, through included routers (newer FastAPI keeps them as lazily expanded entries)."""
    paths: list[str] = []
    for route in routes:
        if hasattr(route, "original_router"):
            paths += _route_paths(route.original_router.routes)
        elif hasattr(route, "path"):
            paths.append(route.path)
    return paths


def test_explorer_docs_and_vendor_routes_are_mounted_once(app_client: TestClient) -> None:
    paths = _route_paths(app_client.app.routes)
    for path in ("/", "/static/{relative:path}", "/vendor/{name}", "/docs", "/docs/oauth2-redirect", "/redoc"):
        assert paths.count(path) == 1, f"{path} is mounted {paths.count(path)} times"


def test_docs_pages_load_only_local_assets(app_client: TestClient) -> None:
    if vendor.missing():
        pytest.skip("the browser assets are not built here (tools/build-assets)")
    for url, assets in (
        ("/docs", ["/vendor/swagger-ui-bundle.js", "/vendor/swagger-ui.css"]),
        ("/redoc", ["/vendor/redoc.standalone.js"]),
    ):
        page = app_client.get(url)
        assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
        assert "http://" not in page.text and "https://" not in page.text, f"{url} refers to another host"
        assert "/openapi.json" in page.text
        assert "default-src 'self'" in page.headers["content-security-policy"], "the browser loads nothing else"
        for asset in assets:
            assert asset in page.text
            answer = app_client.get(asset)
            assert answer.status_code == 200 and len(answer.content) > 100_000
    assert app_client.get("/docs/oauth2-redirect").status_code == 200


def test_without_assets_page_docs_and_log_say_so_with_the_fix(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(vendor, "VENDOR_DIR", tmp_path / "no-vendor")
    fix = str(ROOT / "tools" / "build-assets")
    logger = logging.getLogger("plankg.api")
    monkeypatch.setattr(logger, "propagate", True)  # configure_access_log may have turned it off in this process
    store = MemoryStore(tmp_path / "graph.json")
    with caplog.at_level(logging.WARNING, logger="plankg.api"), TestClient(create_app(store, ApiSettings())) as client:
        page = client.get("/")
        assert page.status_code == 200
        assert 'id="asset-notice"' in page.text and fix in page.text and "cytoscape.min.js" in page.text
        assert '<script type="module" src="/static/app.js">' in page.text, "the rest of the page still loads"
        for url in ("/docs", "/redoc"):
            docs = client.get(url)
            assert docs.status_code == 503 and fix in docs.text and "/openapi.json" in docs.text
        missing = client.get("/vendor/cytoscape.min.js")
        assert missing.status_code == 404 and fix in missing.json()["error"]["message"]
        assert client.get("/openapi.json").status_code == 200
    store.close()
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING and r.name == "plankg.api"]
    assert any(fix in message and "cytoscape.min.js" in message for message in warnings), warnings


def test_build_assets_check_reports_a_missing_vendor_folder(tmp_path: Path) -> None:
    """--check only looks (the browser tests use it to decide whether to build)."""
    clone = tmp_path / "src"
    _run(["git", "clone", "--quiet", str(ROOT), str(clone)])
    check = subprocess.run(
        [sys.executable, str(clone / "tools" / "build-assets"), "--check"], capture_output=True, text=True, check=False
    )
    assert check.returncode == 1 and "tools/build-assets" in check.stderr


# ------------------------------------------------------------------ slow: the wheel, a fresh venv, a real browser


@pytest.fixture(scope="module")
def clone(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A clean clone of HEAD: only committed files."""
    folder = tmp_path_factory.mktemp("clone") / "src"
    _run(["git", "clone", "--quiet", str(ROOT), str(folder)])
    return folder


@pytest.fixture(scope="module")
def wheel(clone: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel built from a clean clone of HEAD (npm runs during the build, as it would anywhere)."""
    if shutil.which("npm") is None:
        _unavailable("npm is missing: a wheel cannot be built with its browser assets")
    folder = tmp_path_factory.mktemp("wheel")
    assert (
        not (clone / "api" / "static" / "vendor").exists() and not (clone / "api" / "static" / "node_modules").exists()
    )
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-w", str(folder / "dist"), str(clone)], env=_clean_env())
    (built,) = (folder / "dist").glob("plankg-*.whl")
    return built


def test_wheel_holds_one_package_with_its_browser_assets(wheel: Path, clone: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    modules = [p.relative_to(clone).as_posix() for f in SOURCE_FOLDERS for p in (clone / f).rglob("*.py")]
    left_out = [m for m in modules if "node_modules" not in m and f"plankg/{m}" not in names]
    assert not left_out, f"modules missing from the wheel: {left_out}"
    dist_info = next(n.split("/")[0] for n in names if n.split("/")[0].endswith(".dist-info"))
    assert {n.split("/")[0] for n in names} == {"plankg", dist_info}, "everything under plankg/"
    assert not any("node_modules" in n for n in names)
    for folder in TOP_LEVEL_FOLDERS:
        assert not any(n.startswith(f"{folder}/") for n in names), f"a top-level {folder}/ package"
    for name in VENDOR_NAMES:
        assert f"plankg/api/static/vendor/{name}" in names
    assert any(n.startswith("plankg/api/static/vendor/licenses/") for n in names), "third-party licences ship too"
    for module in ("app.js", "state.js", "graph.js", "index.html"):
        assert f"plankg/api/static/{module}" in names
    assert "plankg/ontology/plankg.ttl" in names and "plankg/cli/main.py" in names


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtualenv (no system site-packages) with the wheel and its dependencies; returns its bin/."""
    folder = tmp_path_factory.mktemp("venv")
    venv.EnvBuilder(with_pip=True, system_site_packages=False, clear=True).create(folder / "venv")
    bin_dir = folder / "venv" / "bin"
    _run([str(bin_dir / "python"), "-m", "pip", "install", "--quiet", str(wheel)], cwd=folder, env=_clean_env())
    command = [str(bin_dir / "python"), "-c", "import plankg.api; print(plankg.api.__file__)"]
    where = _run(command, cwd=folder, env=_clean_env()).stdout.strip()
    assert Path(where).resolve().is_relative_to((folder / "venv").resolve()), f"plankg imported from {where}"
    return bin_dir


class InstalledServer:
    def __init__(self, bin_dir: Path, folder: Path) -> None:
        self.folder = folder
        db = folder / "graph.json"
        env = _clean_env(HOME=str(folder))
        _run([str(bin_dir / "plankg"), "load", "--db", str(db)], cwd=folder, env=env, timeout=300)
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = folder / "serve.log"
        self._log_file = open(self.log, "w", encoding="utf-8")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            [str(bin_dir / "plankg"), "serve", "--host", "127.0.0.1", "--port", str(self.port), "--db", str(db)],
            cwd=folder,
            env=env,
            stdout=self._log_file,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"plankg serve exited {self.process.returncode}:\n{self.log.read_text()}")
            try:
                with urllib.request.urlopen(f"{self.url}/ready", timeout=2) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"plankg serve did not become ready:\n{self.log.read_text()}")
            time.sleep(0.2)

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self._log_file.close()


@pytest.fixture(scope="module")
def installed_server(installed: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[InstalledServer]:
    server = InstalledServer(installed, tmp_path_factory.mktemp("served"))
    try:
        yield server
    finally:
        server.stop()


def _visit_explorer_and_docs(chromium: Path, base_url: str, screenshot: Path) -> dict[str, list[str]]:
    """Draw the explorer's graph and render /docs and /redoc; every request off 127.0.0.1 is aborted and listed."""
    from playwright.sync_api import sync_playwright

    seen: dict[str, list[str]] = {"requested": [], "elsewhere": [], "errors": []}

    def only_loopback(route: Any) -> None:
        url = route.request.url
        seen["requested"].append(url)
        if urllib.parse.urlsplit(url).hostname == "127.0.0.1" or url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            seen["elsewhere"].append(url)
            route.abort()

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS, headless=True)
        try:
            context = browser.new_context(viewport={"width": 1400, "height": 900})
            context.route("**/*", only_loopback)
            page = context.new_page()
            page.set_default_timeout(60_000)
            page.on("pageerror", lambda error: seen["errors"].append(f"uncaught: {error}"))
            page.on("console", lambda m: m.type == "error" and seen["errors"].append(m.text))

            # the explorer draws the neighbourhood of an industry (the browser tests' render hook)
            page.goto(f"{base_url}/#entity=industry.healthcare")
            page.wait_for_selector("body[data-ready=true]")
            page.wait_for_function("() => window.plankgMetrics.renders.length > 0")
            assert page.evaluate("() => window.plankg.cy.nodes().length") > 1
            assert page.evaluate("() => window.plankg.cy.getElementById('industry.healthcare').nonempty()")
            assert page.locator("#asset-notice").count() == 0
            assert page.locator("#legend .item").count() > 0
            page.screenshot(path=str(screenshot))

            # Swagger UI renders the API's operations; ReDoc renders its title
            page.goto(f"{base_url}/docs")
            page.wait_for_selector("#swagger-ui .opblock")
            assert page.locator("#swagger-ui .opblock").count() >= 10
            assert "plankg API" in page.locator("#swagger-ui .info .title").inner_text()
            page.goto(f"{base_url}/redoc")
            page.wait_for_selector("redoc h1")
            assert "plankg API" in page.locator("redoc h1").first.inner_text()
        finally:
            browser.close()
    return seen


@pytest.mark.timeout(1200)
def test_installed_wheel_serves_explorer_and_docs_offline(
    installed_server: InstalledServer, browser_ready: Path
) -> None:
    # A thread of its own: the browser tests' session fixture may hold Playwright's sync API open in this one.
    with ThreadPoolExecutor(max_workers=1) as pool:
        seen = pool.submit(
            _visit_explorer_and_docs, browser_ready, installed_server.url, installed_server.folder / "explorer.png"
        ).result()
    requested, elsewhere, errors = seen["requested"], seen["elsewhere"], seen["errors"]
    assert elsewhere == [], f"requests that left 127.0.0.1: {elsewhere}"
    assert any(url.endswith("/vendor/cytoscape.min.js") for url in requested)
    assert any(url.endswith("/vendor/swagger-ui-bundle.js") for url in requested)
    # The docs pages' Content-Security-Policy refuses ReDoc's remote logo in the browser itself (the image then
    # hides itself): such a refusal is the proof of a local-only page, not a fault.
    refused = [e for e in errors if "violates the following Content Security Policy" in e]
    assert all("127.0.0.1" not in e for e in refused), refused
    assert [e for e in errors if e not in refused] == [], f"console errors: {errors}"
    log = installed_server.log.read_text(encoding="utf-8")
    assert "assets are not installed" not in log, log
