"""The combined CSV export (a `kind` column), ready for spreadsheets and read back by the CSV loader.

It starts with a UTF-8 byte-order mark so Excel in any locale reads it as UTF-8, and
cells that a spreadsheet would run as a formula (starting with = + - @, a tab or a
carriage return) are neutralised as OWASP recommends, by a leading apostrophe; the
CSV loader removes exactly that apostrophe again (see plankg.model.csv_columns).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator

from plankg.model import Edge, Node, Source
from plankg.model.csv_columns import COMBINED_COLUMNS, join_aliases, neutralize_formula
from plankg.model.formats import Format

BOM = "\ufeff"


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _node_base(node: Node) -> dict[str, str]:
    return {
        "kind": "node",
        "id": node.id,
        "type": node.type,
        "label_en": node.labels.get("en", ""),
        "label_zh": node.labels.get("zh", ""),
        "aliases_en": join_aliases(node.aliases.get("en", [])),
        "aliases_zh": join_aliases(node.aliases.get("zh", [])),
        "status": node.status,
        "properties": _json(dict(sorted(node.properties.items()))) if node.properties else "",
    }


def _edge_base(edge: Edge) -> dict[str, str]:
    return {"kind": "edge", "from": edge.source, "relation": edge.relation, "to": edge.target, "status": edge.status}


def _source_cells(sources: list[Source]) -> list[dict[str, str]]:
    """One dict of source cells per source; one empty dict when there is none (the row still counts)."""
    cells = [
        {"document": s.document, "locator": s.locator, ("note" if s.is_note else "quote"): s.quote}
        for s in sorted(sources)
    ]
    return cells or [{}]


def write(nodes: list[Node], edges: list[Edge], fmt: Format) -> Iterator[str]:
    """One row per (element, source): repeated rows carry an element's further sources."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")

    def row(values: dict[str, str]) -> str:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow([neutralize_formula(values.get(column, "")) for column in COMBINED_COLUMNS])
        return buffer.getvalue()

    yield BOM + row({column: column for column in COMBINED_COLUMNS})
    for node in nodes:
        base = _node_base(node)
        for source in _source_cells(node.sources):
            yield row({**base, **source})
    for edge in edges:
        base = _edge_base(edge)
        for source in _source_cells(edge.sources):
            yield row({**base, **source})
