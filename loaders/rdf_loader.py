"""RDF input (Turtle, JSON-LD, N-Triples) in the ontology's vocabulary, read via graph.rdf.

rdflib does the parsing; syntax errors name the file and, where rdflib knows it, the
line. JSON-LD remote contexts are refused (no network access while loading). Since
RDF has no line numbers, field problems name the entity IRI or triple instead.
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path
from typing import Any

from rdflib import Graph
from rdflib.exceptions import ParserError
from rdflib.plugins.parsers.notation3 import BadSyntax

from plankg.loaders.reading import read_text
from plankg.model import GraphBatch, formats
from plankg.model.errors import InputError, InputProblem
from plankg.model.formats import Format
from plankg.model.rdf import RdfRecord, records_from_rdf
from plankg.model.records import Record, batch_from_records


def _remote_context(value: Any, depth: int = 0) -> bool:
    """Whether a JSON-LD document refers to a context by URL (which rdflib would fetch)."""
    if depth > 200:
        return False
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "@import":
                return True
            if key == "@context" and (
                isinstance(item, str) or (isinstance(item, list) and any(isinstance(entry, str) for entry in item))
            ):
                return True
            if _remote_context(item, depth + 1):
                return True
    elif isinstance(value, list):
        return any(_remote_context(item, depth + 1) for item in value)
    return False


def _check_json(text: str, name: str) -> None:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise InputError.single(name, error.lineno, None, f"JSON syntax error: {error.msg}; expected JSON-LD") from None
    except RecursionError:
        raise InputError.single(name, None, None, "JSON nested too deeply; expected JSON-LD records") from None
    if not isinstance(data, dict | list):
        raise InputError.single(name, 1, None, "expected a JSON-LD object or array")
    if _remote_context(data):
        raise InputError.single(
            name,
            None,
            "@context",
            "refers to a remote context or @import, which is not fetched; expected an inline @context object",
        )


def _nt_error_line(text: str) -> int | None:
    """The first line rdflib's N-Triples parser rejects (it does not report one itself)."""
    for number, line in enumerate(text.splitlines(), start=1):
        try:
            Graph().parse(data=line + "\n", format="nt")
        except Exception:
            return number
    return None


def parse_rdf(text: str, fmt: str, name: str) -> Graph:
    """The parsed graph; InputError with file and line on a syntax error."""
    if fmt == "json-ld":
        _check_json(text, name)
    graph = Graph()
    try:
        with warnings.catch_warnings():  # rdflib's JSON-LD parser warns about its own internals
            warnings.simplefilter("ignore", DeprecationWarning)
            graph.parse(data=text, format=fmt)
    except BadSyntax as error:
        raise InputError.single(name, error.lines + 1, None, f"Turtle syntax error: {error._why}") from None
    except ParserError as error:
        line = _nt_error_line(text) if fmt == "nt" else None
        raise InputError.single(name, line, None, f"{fmt} syntax error: {error.msg}") from None
    except RecursionError:
        raise InputError.single(name, None, None, "nested too deeply; expected flat RDF") from None
    except Exception as error:  # rdflib raises assorted errors for malformed input
        raise InputError.single(name, None, None, f"cannot parse as {fmt}: {error}") from None
    return graph


def _place(record: Record, problem: InputProblem) -> InputProblem:
    subject = record.subject if isinstance(record, RdfRecord) else ""
    message = f"{problem.message} (at {subject})" if subject else problem.message
    return InputProblem(problem.file, problem.line, problem.field, message)


def read(path: Path, display: str, fmt: Format) -> GraphBatch:
    """The RDF reader registered in plankg.model.formats (Turtle, JSON-LD, N-Triples, …)."""
    return load_rdf(path, display, fmt)


def load_rdf(path: Path, display: str | None = None, fmt: Format | None = None) -> GraphBatch:
    """Parse one RDF file into a batch; problems name the file, the entity IRI and the field."""
    name = display or str(path)
    fmt = fmt or formats.by_extension(path)
    if fmt is None or fmt.rdf_syntax is None:
        choices = ", ".join(ext for f in formats.readable() if f.is_rdf for ext in f.extensions)
        raise InputError.single(name, None, None, f"unknown RDF file type; expected one of {choices}")
    graph = parse_rdf(read_text(path, name), fmt.rdf_syntax, name)
    records = records_from_rdf(graph, name)
    if not records:
        raise InputError.single(
            name,
            None,
            None,
            "contains no plan entities; expected resources under https://plankg.org/id/ typed with an ontology class",
        )
    batch = GraphBatch(origins=[name])
    problems: list[InputProblem] = []
    rejected: dict[str, str] = {}
    for record in records:
        try:
            part = batch_from_records([record], name)
        except InputError as error:
            problems.extend(_place(record, problem) for problem in error.problems)
            rejected.update(error.rejected)
            continue
        batch.nodes.extend(part.nodes)
        batch.edges.extend(part.edges)
        for key, location in part.locations.items():
            batch.locations.setdefault(key, location)
    if problems:
        raise InputError(problems, partial=batch, rejected=rejected)
    return batch
