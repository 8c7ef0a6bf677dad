"""Loaders: read plan inputs (YAML, CSV, RDF) into one validated GraphBatch, never touching a store."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from plankg.loaders.validate import KnownTypes, validate_batch
from plankg.model import GraphBatch, formats
from plankg.model.errors import InputError, InputProblem
from plankg.ontology.schema import ONTOLOGY_DIR

PACKAGE_DIR = Path(__file__).resolve().parent
BUNDLED_DATA_DIR = PACKAGE_DIR / "data"
BUNDLED_PLAN_DIR = BUNDLED_DATA_DIR / "miit-5g-sailing-2021"
"""The first bundled plan (kept for callers that want just it); bundled_paths() has them all."""
TAXONOMY_FILE = ONTOLOGY_DIR / "taxonomies.ttl"


def bundled_plan_dirs() -> list[Path]:
    """Every bundled plan folder (loaders/data/<plan-slug>/), sorted by slug."""
    return sorted(p for p in BUNDLED_DATA_DIR.iterdir() if p.is_dir() and not p.name.startswith((".", "_")))


def bundled_paths() -> list[Path]:
    """The bundled plans: the shared taxonomies plus every plan folder's curated YAML."""
    return [TAXONOMY_FILE, *bundled_plan_dirs()]


def _readable(path: Path) -> bool:
    fmt = formats.by_extension(path)
    return fmt is not None and fmt.readable


def expand_paths(paths: Iterable[Path]) -> list[Path]:
    """Files to read: each file as given, each directory's loadable files in sorted order."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(p for p in path.rglob("*") if p.is_file() and p.name[0] != "." and _readable(p)))
        else:
            files.append(path)
    return files


def read_files(paths: Iterable[Path]) -> GraphBatch:
    """Parse every file into one batch, collecting the problems of all files before raising."""
    batch = GraphBatch()
    problems: list[InputProblem] = []
    rejected: dict[str, str] = {}
    files = expand_paths(paths)
    if not files:
        raise InputError.single(", ".join(str(p) for p in paths) or "<no path>", None, None, "no loadable files found")
    for path in files:
        display = str(path)
        if not path.exists():
            problems.append(InputProblem(display, None, None, "no such file or directory"))
            continue
        fmt = formats.by_extension(path)
        if fmt is None or not fmt.readable:
            problems.append(
                InputProblem(
                    display,
                    None,
                    None,
                    f"unknown file type {path.suffix!r}; expected one of {', '.join(formats.read_extensions())}",
                )
            )
            continue
        try:
            batch.extend(fmt.read(path, display))
        except InputError as error:
            problems.extend(error.problems)
            rejected.update(error.rejected)
            if error.partial is not None:
                batch.extend(error.partial)
    if problems:
        raise InputError(problems, partial=batch, rejected=rejected)
    return batch


def prepare(
    paths: Iterable[Path], known_types: KnownTypes | None = None, *, shapes: bool = True, oracle: bool = False
) -> GraphBatch:
    """Read and validate inputs into a batch ready to upsert; InputError listing every problem otherwise.

    The shapes run as the fast compiled checks (loaders/checks.py); `oracle=True` runs pyshacl instead.

    Every stage runs even when an earlier one found problems (on what could be read), so a
    file with seven mistakes shows all seven in one run, up to MAX_PROBLEMS.
    """
    stored = known_types or (lambda _ids: {})
    problems: list[InputProblem] = []
    try:
        batch = read_files(paths)
    except InputError as error:
        if error.partial is None:
            raise
        problems.extend(error.problems)
        batch = _without_refused(error.partial, error.rejected)
        stored = _with_refused(stored, error.rejected)
    try:
        batch = validate_batch(batch, stored)
        if shapes:
            from plankg.loaders.checks import check_batch

            check_batch(batch, oracle=oracle)
    except InputError as error:
        problems.extend(error.problems)
    if problems:
        raise InputError(_ordered(problems))
    return batch


MAX_PROBLEMS = 200


def _ordered(problems: list[InputProblem]) -> list[InputProblem]:
    """Each problem once, by file and line, at most MAX_PROBLEMS (the last one says how many more)."""
    unique = sorted(set(problems), key=lambda p: (p.file, p.line or 0, p.field or "", p.message))
    if len(unique) <= MAX_PROBLEMS:
        return unique
    rest = len(unique) - MAX_PROBLEMS + 1
    return [*unique[: MAX_PROBLEMS - 1], InputProblem(unique[0].file, None, None, f"… and {rest} more problems")]


def _without_refused(batch: GraphBatch, rejected: dict[str, str]) -> GraphBatch:
    """The readable part, minus edges touching a refused node whose type is unknown (nothing to check them by)."""
    unknown = {node_id for node_id, type_name in rejected.items() if not type_name}
    batch.edges = [e for e in batch.edges if e.source not in unknown and e.target not in unknown]
    return batch


def _with_refused(known: KnownTypes, rejected: dict[str, str]) -> KnownTypes:
    """Refused nodes still count as present (with their declared type), so their edges are not 'dangling'."""

    def lookup(ids: Iterable[str]) -> dict[str, str]:
        found = known(list(ids))
        return {**{i: type_name for i, type_name in rejected.items() if type_name}, **found}

    return lookup


__all__ = [
    "BUNDLED_PLAN_DIR",
    "InputError",
    "InputProblem",
    "bundled_paths",
    "bundled_plan_dirs",
    "prepare",
    "read_files",
]
