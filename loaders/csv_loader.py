"""The CSV formats (see loaders/FORMAT.md): nodes, edges, or both with a leading `kind` column.

Spreadsheets hold one source per row, so rows repeating an id (or from/relation/to)
are folded into one record with all their sources. Line numbers are the physical
line on which each CSV record starts (the header is line 1).
"""

from __future__ import annotations

import csv
import io
import itertools
import json
from collections.abc import Callable, Iterable, Iterator
from functools import cache
from operator import itemgetter
from pathlib import Path
from sys import intern
from typing import Any

from plankg.loaders.reading import gc_paused, open_lines
from plankg.model import GraphBatch
from plankg.model.csv_columns import (
    COMBINED_COLUMNS,
    EDGE_COLUMNS,
    ESCAPE,
    NODE_COLUMNS,
    OPTIONAL_COLUMNS,
    SOURCE_COLUMNS,
    restore_formula,
    split_aliases,
)
from plankg.model.errors import InputError, InputProblem
from plankg.model.formats import Format
from plankg.model.records import Record, batch_from_records, drained

KINDS = ("node", "edge")
_JSON = json.JSONDecoder(parse_constant=lambda constant: float("nan"))
"""One decoder for every properties cell (json.loads with options builds a new one per call)."""


def _columns(kind: str) -> tuple[str, ...]:
    return (*(NODE_COLUMNS if kind == "node" else EDGE_COLUMNS), *SOURCE_COLUMNS)


def _form(path: Path, header: list[str]) -> str:
    """Which CSV form a file is: combined (kind column), node or edge."""
    name = path.name.lower()
    if header and header[0] == "kind":
        return "combined"
    if name.endswith(".nodes.csv"):
        return "node"
    if name.endswith(".edges.csv"):
        return "edge"
    if "id" in header:
        return "node"
    if "from" in header:
        return "edge"
    return "unknown"


def _check_header(header: list[str], form: str, name: str) -> None:
    if form == "unknown":
        raise InputError.single(
            name,
            1,
            None,
            "cannot tell nodes from edges; expected a file named *.nodes.csv or *.edges.csv, or a first "
            "column 'kind' (node|edge)",
        )
    allowed = set(COMBINED_COLUMNS) if form == "combined" else set(_columns(form))
    required = allowed - OPTIONAL_COLUMNS
    problems = [
        InputProblem(name, 1, column, f"required column is missing; expected columns {', '.join(sorted(required))}")
        for column in sorted(required - set(header))
    ]
    problems += [
        InputProblem(name, 1, column, f"unknown column; expected one of {', '.join(sorted(allowed))}")
        for column in header
        if column not in allowed
    ]
    duplicates = sorted({column for column in header if header.count(column) > 1})
    problems += [InputProblem(name, 1, column, "column appears twice; expected it once") for column in duplicates]
    if problems:
        raise InputError(problems)


def _properties(cell: str, name: str, line: int, problems: list[InputProblem]) -> Any:
    if not cell.strip():
        return {}
    try:
        if cell.startswith("\ufeff"):  # json.loads names this case; keep its message
            return json.loads(cell, parse_constant=lambda constant: float("nan"))
        return _JSON.decode(cell)
    except (ValueError, RecursionError) as error:
        problems.append(
            InputProblem(
                name,
                line,
                "properties",
                f'is not valid JSON ({error}); expected a JSON object such as {{"unit": "%"}}',
            )
        )
        return None


def _record_data(
    kind: str, row: dict[str, str], name: str, line: int, problems: list[InputProblem]
) -> dict[str, Any] | None:
    """The record fields of one row (without sources); None when a cell cannot be parsed.

    Ids, types, relations and statuses are interned: they repeat on many rows (every edge names two
    ids), and a million-element load would otherwise hold each repetition as its own string.
    """
    get = row.get
    if kind == "edge":
        return {
            "from": intern(get("from", "").strip()) or None,
            "relation": intern(get("relation", "").strip()) or None,
            "to": intern(get("to", "").strip()) or None,
            "status": intern(get("status", "").strip()) or None,
        }
    properties = _properties(get("properties", ""), name, line, problems)
    if properties is None:
        return None
    labels = {lang: text for lang in ("en", "zh") if (text := get(f"label_{lang}", "").strip())}
    aliases = {lang: names for lang in ("en", "zh") if (names := split_aliases(get(f"aliases_{lang}", "")))}
    return {
        "id": intern(get("id", "").strip()) or None,
        "type": intern(get("type", "").strip()) or None,
        "labels": labels,
        "aliases": aliases,
        "status": intern(get("status", "").strip()) or None,
        "properties": properties,
    }


def _source(row: dict[str, str]) -> dict[str, str | None] | None:
    """The source cells of a row: document, locator and the quote or the note; None when all are empty."""
    get = row.get
    document = (get("document") or "").strip() or None
    locator = (get("locator") or "").strip() or None
    quote = (get("quote") or "").strip() or None
    note = (get("note") or "").strip() or None
    if document is None and locator is None and quote is None and note is None:
        return None
    # documents and locators are few, cited on every row: one string each
    cells: dict[str, str | None] = {
        "document": None if document is None else intern(document),
        "locator": None if locator is None else intern(locator),
    }
    if note is None:  # a quote row (or a row missing both: the checker names the missing quote)
        cells["quote"] = quote
    elif quote is None:
        cells["note"] = note
    else:
        cells["quote"] = quote
        cells["note"] = note
    return cells


def _misplaced(
    kind: str, row: dict[str, str], name: str, line: int, problems: list[InputProblem], header: tuple[str, ...]
) -> None:
    """In the combined form, cells of the other kind's columns must be empty."""
    for column in _other_columns(kind, header):
        if (row.get(column) or "").strip():
            problems.append(
                InputProblem(
                    name,
                    line,
                    column,
                    f"is an {'edge' if kind == 'node' else 'node'} column; expected it empty on a {kind} row",
                )
            )


@cache
def _other_columns(kind: str, header: tuple[str, ...]) -> tuple[str, ...]:
    """The columns of the header that belong to the other kind only (in COMBINED_COLUMNS order)."""
    own = set(_columns(kind))
    return tuple(column for column in COMBINED_COLUMNS if column != "kind" and column not in own and column in header)


@cache
def _other_cells(kind: str, header: tuple[str, ...]) -> Callable[[dict[str, str]], str]:
    """The other kind's cells of a row joined (blank when all are: the usual case, tested in one step)."""
    columns = _other_columns(kind, header)
    if not columns:
        return lambda _row: ""
    if len(columns) == 1:
        return itemgetter(columns[0])
    cells = itemgetter(*columns)
    return lambda row: "".join(cells(row))


def _rows(lines: Iterable[str], name: str) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    """The header and an iterator over the non-blank rows with their first line: rows are never held all at once."""
    reader = csv.reader(lines, strict=True)
    start = 1

    def rows() -> Iterator[tuple[int, list[str]]]:
        nonlocal start
        try:
            for row in reader:
                line, start = start, reader.line_num + 1
                if "".join(row).strip():  # not a blank row
                    yield line, row
        except csv.Error as error:
            raise InputError.single(name, start, None, f"CSV syntax error: {error}") from None

    numbered = rows()
    first = next(numbered, None)
    header = first[1] if first is not None and first[0] == 1 else []
    if first is not None and first[0] != 1:
        numbered = itertools.chain([first], numbered)
    return [column.strip() for column in header], numbered


def records_from_csv(text: str | Iterable[str], path: Path, name: str) -> list[Record]:
    """One record per node id / edge key, with the sources of all its rows (text, or its lines as read)."""
    header, rows = _rows(io.StringIO(text, newline="") if isinstance(text, str) else text, name)
    form = _form(path, header)
    _check_header(header, form, name)
    columns = tuple(header)
    problems: list[InputProblem] = []
    records: dict[tuple[str, Any], Record] = {}
    first_line: dict[tuple[str, Any], int] = {}
    for line, cells in rows:
        if len(cells) != len(header):
            problems.append(
                InputProblem(
                    name,
                    line,
                    None,
                    f"has {len(cells)} cells; expected {len(header)} (one per header column)",
                )
            )
            continue
        if ESCAPE in "".join(cells):  # some cell may be an escaped formula (checked cell by cell)
            cells = [restore_formula(c) if c[:1] == ESCAPE else c for c in cells]
        row = dict(zip(header, cells, strict=True))
        kind = (row.get("kind") or "").strip() if form == "combined" else form
        if kind not in KINDS:
            problems.append(InputProblem(name, line, "kind", f"{kind!r} is not a kind; expected node or edge"))
            continue
        if form == "combined" and _other_cells(kind, columns)(row).strip():
            _misplaced(kind, row, name, line, problems, columns)
        data = _record_data(kind, row, name, line, problems)
        if data is None:
            continue
        key_fields = ("id",) if kind == "node" else ("from", "relation", "to")
        key = (kind, tuple(data[f] for f in key_fields))
        source = _source(row)
        record = records.get(key)
        if record is None:
            data["sources"] = [source] if source else []
            records[key] = Record(kind, data, name, line)
            first_line[key] = line
            continue
        for field, value in data.items():
            if record.data[field] != value:
                problems.append(
                    InputProblem(
                        name,
                        line,
                        field,
                        f"conflicting duplicate: differs from line {first_line[key]}; expected the same "
                        f"{field} on every row of {'/'.join(str(k) for k in key[1])}",
                    )
                )
                break
        else:
            if source:
                record.data["sources"].append(source)
    if problems:
        raise InputError(problems)
    return list(records.values())


def load_csv(path: Path, display: str | None = None) -> GraphBatch:
    """Parse one CSV file into a batch; InputError with file, line and column on bad input."""
    name = display or str(path)
    with gc_paused():
        return batch_from_records(drained(records_from_csv(open_lines(path, name), path, name)), name)


def read(path: Path, display: str, fmt: Format) -> GraphBatch:
    """The CSV reader registered in plankg.model.formats."""
    return load_csv(path, display)
