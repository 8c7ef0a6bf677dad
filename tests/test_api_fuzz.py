"""Schemathesis against /openapi.json on every store: no server error, no response outside the schema.

Each API operation is fuzzed with a bounded number of Hypothesis examples (positive and
negative generation) through the real ASGI app, with schemathesis' default checks. Schema-valid
data must be accepted (positive_data_acceptance) everywhere except where the operation states
in the OpenAPI document why it cannot be (`x-schema-valid-refusals`: SPARQL text, plan files,
paging cursors, texts with nothing to extract).
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import positive_data_acceptance

from plankg.api.app import create_app
from plankg.api.openapi import REFUSALS
from plankg.api.settings import ApiSettings
from plankg.graph.memory import MemoryStore
from plankg.graph.store import GraphStore
from plankg.loaders import prepare

FIXTURE = Path(__file__).resolve().parent / "data" / "api_plan.yaml"
MAX_EXAMPLES = 25


# The SPARQL protocol's raw POST body is text; schemathesis sends it as such.
schemathesis.serializer.alias("application/sparql-query", "text/plain")


def excluded_checks(operation: dict[str, Any]) -> list[Any]:
    """positive_data_acceptance is left out only where the operation argues, in the document, why it fails."""
    return [positive_data_acceptance] if operation.get(REFUSALS) else []


def operations() -> list[tuple[str, GenerationMode]]:
    """Every "METHOD /path" with each generation mode (negative only where there is input to break)."""
    app = create_app(MemoryStore(Path(tempfile.gettempdir()) / "plankg-openapi-probe" / "graph.json"), ApiSettings())
    cases = []
    for path, item in app.openapi()["paths"].items():
        for method, operation in item.items():
            cases.append((f"{method.upper()} {path}", GenerationMode.POSITIVE))
            if operation.get("parameters") or operation.get("requestBody"):
                cases.append((f"{method.upper()} {path}", GenerationMode.NEGATIVE))
    return cases


@pytest.mark.timeout(600)
@pytest.mark.parametrize(("label", "mode"), operations(), ids=lambda value: str(value))
def test_api_follows_its_openapi_schema(any_store: GraphStore, label: str, mode: GenerationMode) -> None:
    any_store.upsert(prepare([FIXTURE], any_store.known_types))
    app = create_app(any_store, ApiSettings(token="fuzz-token", query_seconds=2.0))
    operation = schemathesis.openapi.from_asgi("/openapi.json", app).find_operation_by_label(label)
    assert operation is not None, label
    method, path = label.split(" ", 1)
    excluded = excluded_checks(app.openapi()["paths"][path][method.lower()])

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(max_examples=MAX_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    def check(case: schemathesis.Case) -> None:
        case.call_and_validate(excluded_checks=excluded)

    check()
