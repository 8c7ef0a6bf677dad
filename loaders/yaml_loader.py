"""The curated YAML format (see loaders/FORMAT.md): safe parsing with line numbers.

Anchors, aliases and tags are refused (no alias bombs); nesting depth is bounded.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from plankg.loaders.reading import read_text
from plankg.model import GraphBatch
from plankg.model.errors import InputError
from plankg.model.formats import Format
from plankg.model.records import Record, batch_from_records

FORMAT_VERSION = 1
MAX_DEPTH = 12
TOP_LEVEL = {"plankg", "nodes", "edges"}


class _StrictLoader(yaml.SafeLoader):
    """A safe loader that refuses aliases and anchors."""

    def compose_node(self, parent: Node | None, index: Any) -> Node | None:  # type: ignore[override]
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.MarkedYAMLError(None, None, "aliases (*name) are not allowed in plan data", event.start_mark)
        event = self.peek_event()
        anchor = getattr(event, "anchor", None)
        if anchor is not None:
            raise yaml.MarkedYAMLError(None, None, "anchors (&name) are not allowed in plan data", event.start_mark)
        return super().compose_node(parent, index)


def _check_depth(node: Node, name: str, depth: int = 0) -> None:
    if depth > MAX_DEPTH:
        raise InputError.single(
            name, node.start_mark.line + 1, None, f"nesting deeper than {MAX_DEPTH} levels; expected flat records"
        )
    if isinstance(node, MappingNode):
        for key, value in node.value:
            _check_depth(key, name, depth + 1)
            _check_depth(value, name, depth + 1)
    elif isinstance(node, SequenceNode):
        for item in node.value:
            _check_depth(item, name, depth + 1)


def _compose(text: str, name: str) -> Node | None:
    try:
        return yaml.compose(text, Loader=_StrictLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else None
        message = error.problem or error.context or "not valid YAML"
        raise InputError.single(name, line, None, f"YAML syntax error: {message}") from None
    except yaml.YAMLError as error:
        raise InputError.single(name, None, None, f"YAML error: {error}") from None
    except RecursionError:  # PyYAML composes nested collections recursively: [[[[...
        raise InputError.single(
            name, None, None, f"nesting deeper than {MAX_DEPTH} levels; expected flat records"
        ) from None


def _records(root: MappingNode, name: str) -> list[Record]:
    loader = _StrictLoader("")
    records: list[Record] = []
    seen: set[str] = set()
    for key_node, value_node in root.value:
        key = key_node.value if isinstance(key_node, ScalarNode) else None
        line = key_node.start_mark.line + 1
        if key not in TOP_LEVEL:
            raise InputError.single(
                name, line, str(key), f"unknown top-level key; expected {', '.join(sorted(TOP_LEVEL))}"
            )
        seen.add(key)
        if key == "plankg":
            version = loader.construct_object(value_node, deep=True)
            if version != FORMAT_VERSION:
                raise InputError.single(name, line, "plankg", f"format version {version!r}; expected {FORMAT_VERSION}")
            continue
        if isinstance(value_node, ScalarNode) and value_node.value in ("", "~", "null"):
            continue
        if not isinstance(value_node, SequenceNode):
            raise InputError.single(name, line, key, "expected a list of records")
        kind = "node" if key == "nodes" else "edge"
        for item in value_node.value:
            item_line = item.start_mark.line + 1
            if not isinstance(item, MappingNode):
                raise InputError.single(name, item_line, key, "expected a mapping for each record")
            try:
                data = loader.construct_object(item, deep=True)
            except ValueError as error:  # PyYAML's own date parsing: 2023-13-45
                raise InputError.single(
                    name, item_line, key, f"invalid value: {error}; expected YYYY-MM-DD dates"
                ) from None
            records.append(Record(kind, data, name, item_line))
    if "plankg" not in seen:
        raise InputError.single(name, 1, "plankg", f"missing format version; expected 'plankg: {FORMAT_VERSION}'")
    return records


def load_yaml(path: Path, display: str | None = None) -> GraphBatch:
    """Parse one YAML file into a batch; InputError with file, line and field on bad input."""
    name = display or str(path)
    text = read_text(path, name)
    root = _compose(text, name)
    if root is None:
        raise InputError.single(name, None, None, "is empty; expected plan data")
    if not isinstance(root, MappingNode):
        raise InputError.single(name, root.start_mark.line + 1, None, "expected a mapping with plankg, nodes, edges")
    _check_depth(root, name)
    try:
        records = _records(root, name)
    except yaml.constructor.ConstructorError as error:
        mark = error.problem_mark
        raise InputError.single(
            name, mark.line + 1 if mark else None, None, f"YAML value error: {error.problem}"
        ) from None
    return batch_from_records(records, name)


def read(path: Path, display: str, fmt: Format) -> GraphBatch:
    """The YAML reader registered in plankg.model.formats."""
    return load_yaml(path, display)
