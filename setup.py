"""Packages and a build hook: every wheel holds all of plankg, with the explorer's and the docs' browser assets.

All metadata is in pyproject.toml. This file adds two things. The package list: the source
folders sit at the top of the repository and pyproject maps "." to `plankg`, which
setuptools' own discovery cannot follow, so the packages are found here, under the folders
in SOURCE_FOLDERS (a hand-kept list went stale as soon as a subpackage was added). And one
step in `build_py`: before the package files are copied, tools/build-assets fills
api/static/vendor/ from npm (Cytoscape.js, Swagger UI, ReDoc; versions pinned in
api/static/package-lock.json; nothing of npm's is committed). It is a no-op when vendor/ is
already current, as in a wheel built from an sdist that carries vendor/. A wheel build
without npm fails with a message saying what to install; PLANKG_SKIP_ASSETS=1 builds one
anyway, whose server then says in the page and the log that the assets are missing. An
editable install (pip install -e) only warns: the source tree can run tools/build-assets
itself, as tools/setup does.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from setuptools import find_packages, setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
SCRIPT = ROOT / "tools" / "build-assets"
STATIC = ROOT / "api" / "static"
SOURCE_FOLDERS = ("ontology", "model", "loaders", "graph", "api", "cli")  # tests/, bench/, tools/ stay out


def plankg_packages() -> list[str]:
    """plankg, plankg.<folder> and every package inside those folders."""
    packages = ["plankg"]
    for folder in SOURCE_FOLDERS:
        packages.append(f"plankg.{folder}")
        packages += [f"plankg.{folder}.{name}" for name in sorted(find_packages(where=str(ROOT / folder)))]
    return packages


def _missing_assets() -> list[str]:
    names = json.loads((STATIC / "package.json").read_text(encoding="utf-8"))["vendor"]
    return [name for name in names if not (STATIC / "vendor" / name).is_file()]


class BuildPyWithAssets(build_py):
    def run(self) -> None:
        self._build_assets()
        self.__dict__.pop("data_files", None)  # package-data globs are resolved again, now with vendor/ present
        super().run()

    def _build_assets(self) -> None:
        editable = bool(getattr(self, "editable_mode", False))
        if os.environ.get("PLANKG_SKIP_ASSETS") == "1":
            self.warn("PLANKG_SKIP_ASSETS=1: building without the explorer's and the docs' browser assets")
            return
        if SCRIPT.is_file():
            result = subprocess.run([sys.executable, str(SCRIPT)], cwd=ROOT, check=False)
            if result.returncode != 0 and editable:
                self.warn("tools/build-assets failed: the explorer and /docs will say so until it is run again")
                return
        absent = _missing_assets()
        if absent and not editable:
            raise SystemExit(
                f"plankg: the browser assets {', '.join(absent)} could not be built into api/static/vendor/ "
                "(see tools/build-assets' message above). Install Node.js with npm and build again, "
                "or set PLANKG_SKIP_ASSETS=1 to build a wheel whose explorer and /docs say the assets are missing."
            )


setup(packages=plankg_packages(), cmdclass={"build_py": BuildPyWithAssets})
