"""The fast clean-record path (model/records.py `_clean_node`/`_clean_edge`) against the checker.

Differential: for every record below — clean ones and ones with each kind of oddity a file can
hold — the fast path either declines (None, and the checker runs) or builds exactly the Node or
Edge the checker builds, with the checker finding no problem. So the fast path can never accept
what the checker would refuse, nor change what is loaded, nor any message.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest

from bench.synthetic import generate
from plankg.model import records
from plankg.model.errors import InputProblem
from plankg.model.records import Record
from plankg.ontology.schema import load_schema

QUOTE = {"document": "plan.doc", "locator": "Section 1", "quote": "原文"}


def _node(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": "plan.goal.one",
        "type": "Goal",
        "labels": {"en": "Goal one", "zh": "目标一"},
        "aliases": {},
        "status": "confirmed",
        "properties": {},
        "sources": [dict(QUOTE)],
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not _DROP}


def _edge(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "from": "plan.goal.one",
        "relation": "has_measure",
        "to": "plan.measure.one",
        "status": None,
        "sources": [dict(QUOTE)],
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not _DROP}


_DROP = object()
ODD_SOURCES: list[Any] = [
    None,
    [],
    "plan.doc",
    [None],
    [{**QUOTE, "document": " plan.doc "}],
    [{**QUOTE, "document": "Plan Doc"}],
    [{**QUOTE, "document": ""}],
    [{**QUOTE, "locator": ""}],
    [{**QUOTE, "locator": "  Section 1  "}],
    [{**QUOTE, "locator": 3}],
    [{**QUOTE, "locator": "x" * 20_001}],
    [{**QUOTE, "quote": "  "}],
    [{**QUOTE, "quote": "a\x00b"}],
    [{**QUOTE, "note": "a remark"}],
    [{"document": "plan.doc", "locator": "s", "note": "a remark"}],
    [{"document": "plan.doc", "locator": "s", "note": "a remark", "kind": "quote"}],
    [{**QUOTE, "kind": "quote"}],
    [{**QUOTE, "kind": "note"}],
    [{**QUOTE, "page": 3}],
    [dict(QUOTE), dict(QUOTE), {**QUOTE, "locator": "Section 0"}],
]


def node_cases() -> Iterator[dict[str, Any]]:
    yield _node()
    for value in (_DROP, "", " plan.goal.one", "Plan.Goal", "a" * 20_001, 7, None):
        yield _node(id=value)
    for value in (_DROP, "goal", "Nothing", 3, None):
        yield _node(type=value)
    for value in (
        _DROP,
        None,
        {},
        {"en": ""},
        {"en": "  "},
        {"zh": "只有中文"},
        {"en": " padded "},
        {"en": 5},
        {"en": "a\x00"},
        {"fr": "but"},
        {"en": "x" * 20_001},
        ["en"],
    ):
        yield _node(labels=value)
    for value in (_DROP, None, {}, [], "", {"en": ["MIIT"]}, {"en": "MIIT"}, {"de": ["x"]}):
        yield _node(aliases=value)
    for value in (_DROP, None, "proposed", "maybe", 1):
        yield _node(status=value)
    for value in ODD_SOURCES:
        yield _node(sources=value)
    yield _node(extra=1)
    # properties, on the types that have them
    indicator = {"type": "Indicator", "id": "plan.indicator.one"}
    full = {"target_value": 5, "comparator": "ge", "deadline": "2025-12-31", "unit": "%"}
    for value in (
        _DROP,
        None,
        {},
        [],
        {"target_value": 5},
        full,
        {**full, "target_value": "many"},
        {**full, "target_value": True},
        {**full, "target_value": float("nan")},
        {**full, "target_value": 5.5, "baseline_value": 2},
        {**full, "deadline": dt.date(2025, 12, 31)},
        {**full, "deadline": "2025-13-45"},
        {**full, "deadline": 20251231},
        {**full, "comparator": "about"},
        {**full, "comparator": "range", "target_max": 9},
        {**full, "unit": " "},
        {**full, "unit": " % "},
        {**full, "unit": None},
        {**full, "description": None, "kind": "x"},
        {**full, "colour": "red"},
        {**full, 3: "x"},
    ):
        yield _node(properties=value, **indicator)
    yield _node(properties={"kind": "special_action", "number": "1"}, type="Measure", id="plan.measure.one")


def edge_cases() -> Iterator[dict[str, Any]]:
    yield _edge()
    for field in ("from", "to"):
        for value in (_DROP, "", " plan.goal.one", "Plan.Goal", "a" * 20_001, 7, None):
            yield _edge(**{field: value})
    for value in (_DROP, "hasMeasure", "has measure", 3, None):
        yield _edge(relation=value)
    for value in (_DROP, None, "confirmed", "proposed", "perhaps", 2):
        yield _edge(status=value)
    for value in ODD_SOURCES:
        yield _edge(sources=value)
    yield _edge(extra="x")


def _same(kind: str, data: dict[str, Any]) -> None:
    schema = load_schema()
    record = Record(kind, copy.deepcopy(data), "plan.yaml", 7)
    problems: list[InputProblem] = []
    if kind == "node":
        fast = records._clean_node(copy.deepcopy(data), schema)
        checked: Any = records.checked_node(record, schema, problems)
    else:
        fast = records._clean_edge(copy.deepcopy(data), schema)
        checked = records.checked_edge(record, schema, problems)
    if fast is not None:
        assert not problems, f"the fast path accepts what the checker refuses: {data!r:.300} → {problems}"
        assert fast == checked, f"{data!r:.300}: fast {fast}, checker {checked}"


@pytest.mark.parametrize("data", list(node_cases()), ids=lambda d: repr(d)[:60])
def test_clean_node_path_agrees_with_the_checker(data: dict[str, Any]) -> None:
    _same("node", data)


@pytest.mark.parametrize("data", list(edge_cases()), ids=lambda d: repr(d)[:60])
def test_clean_edge_path_agrees_with_the_checker(data: dict[str, Any]) -> None:
    _same("edge", data)


def test_the_cases_reach_both_ways() -> None:
    """The cases above are not all declined: clean ones with properties, statuses and notes take the fast path."""
    schema = load_schema()
    taken = [d for d in node_cases() if records._clean_node(copy.deepcopy(d), schema) is not None]
    assert any(d.get("properties") for d in taken if d.get("type") == "Indicator")
    assert len(taken) >= 10
    assert sum(records._clean_edge(copy.deepcopy(d), schema) is not None for d in edge_cases()) >= 5


def test_the_fast_path_takes_the_clean_records_of_a_plan() -> None:
    """A synthetic plan, as records: every one goes the fast way (so the differential above is about the
    path loads take) and builds what the checker builds."""
    batch = generate(400, seed=3)
    schema = load_schema()
    assert batch.nodes and batch.edges
    for node in batch.nodes:
        data = {
            "id": node.id,
            "type": node.type,
            "labels": {k: v for k, v in node.labels.items() if v},
            "status": node.status,
            "properties": dict(node.properties),
            "sources": [s.to_dict() for s in node.sources],
        }
        if node.aliases:
            continue
        assert records._clean_node(data, schema) is not None, data
        _same("node", data)
    for edge in batch.edges:
        data = {
            "from": edge.source,
            "relation": edge.relation,
            "to": edge.target,
            "status": edge.status,
            "sources": [s.to_dict() for s in edge.sources],
        }
        assert records._clean_edge(data, schema) is not None, data
        _same("edge", data)
