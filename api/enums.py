"""Parameter enums derived from the ontology and the graph modules at import time (never literal lists)."""

from __future__ import annotations

import enum

from plankg.graph.export import export_formats
from plankg.graph.queries import DIRECTIONS
from plankg.ontology.schema import LANGUAGES, load_schema

_schema = load_schema()

NodeType = enum.StrEnum("NodeType", {name: name for name in _schema.node_types})
Relation = enum.StrEnum("Relation", {key: key for key in _schema.relation_types})
Status = enum.StrEnum("Status", {value: value for value in _schema.status_values})
Direction = enum.StrEnum("Direction", {value: value for value in DIRECTIONS})
Language = enum.StrEnum("Language", {value: value for value in LANGUAGES})
ExportFormat = enum.StrEnum("ExportFormat", {value: value for value in export_formats()})
