"""Loaders: read plan inputs (YAML, CSV, RDF) into one validated GraphBatch, never touching a store."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from plankg.loaders.validate import KnownTypes, validate_batch
from plankg.model import GraphBatch
from plankg.model.errors import InputError, InputProblem
from plankg.ontology.schema import ONTOLOGY_DIR

PACKAGE_DIR = Path(__file__).resolve().parent
BUNDLED_PLAN_DIR = PACKAGE_DIR / "data" / "miit-5g-sailing-2021"
TAXONOMY_FILE = ONTOLOGY_DIR / "taxonomies.ttl"


def _yaml(path: Path, display: str) -> GraphBatch:
    from plankg.loaders.yaml_loader import load_yaml

    return load_yaml(path, display)


def _csv(path: Path, display: str) -> GraphBatch:
    from plankg.loaders.csv_loader import load_csv

    return load_csv(path, display)


def _rdf(path: Path, display: str) -> GraphBatch:
    from plankg.loaders.rdf_loader import load_rdf

    return load_rdf(path, display)


READERS: dict[str, Callable[[Path, str], GraphBatch]] = {
    ".yaml": _yaml,
    ".yml": _yaml,
    ".csv": _csv,
    ".ttl": _rdf,
    ".jsonld": _rdf,
    ".json": _rdf,
    ".nt": _rdf,
}


def bundled_paths() -> list[Path]:
    """The bundled 5G Sailing plan: the shared taxonomies plus the plan's curated YAML."""
    return [TAXONOMY_FILE, BUNDLED_PLAN_DIR]


def expand_paths(paths: Iterable[Path]) -> list[Path]:
    """Files to read: each file as given, each directory's loadable files in sorted order."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(
                sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in READERS and p.name[0] != ".")
            )
        else:
            files.append(path)
    return files


def read_files(paths: Iterable[Path]) -> GraphBatch:
    """Parse every file into one batch, collecting the problems of all files before raising."""
    batch = GraphBatch()
    problems: list[InputProblem] = []
    files = expand_paths(paths)
    if not files:
        raise InputError.single(", ".join(str(p) for p in paths) or "<no path>", None, None, "no loadable files found")
    for path in files:
        display = str(path)
        if not path.exists():
            problems.append(InputProblem(display, None, None, "no such file or directory"))
            continue
        reader = READERS.get(path.suffix.lower())
        if reader is None:
            problems.append(
                InputProblem(
                    display,
                    None,
                    None,
                    f"unknown file type {path.suffix!r}; expected one of {', '.join(sorted(READERS))}",
                )
            )
            continue
        try:
            batch.extend(reader(path, display))
        except InputError as error:
            problems.extend(error.problems)
    if problems:
        raise InputError(problems)
    return batch


def prepare(paths: Iterable[Path], known_types: KnownTypes | None = None, *, shapes: bool = True) -> GraphBatch:
    """Read and validate inputs into a batch ready to upsert; InputError if anything is wrong."""
    batch = validate_batch(read_files(paths), known_types or (lambda _ids: {}))
    if shapes:
        from plankg.loaders.shacl import check_shapes

        check_shapes(batch)
    return batch


__all__ = ["BUNDLED_PLAN_DIR", "InputError", "InputProblem", "bundled_paths", "prepare", "read_files"]
