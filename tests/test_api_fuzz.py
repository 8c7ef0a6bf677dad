"""Schemathesis against /openapi.json on every store: no server error, no response outside the schema.

Each API operation is fuzzed with a bounded number of Hypothesis examples (positive and
negative generation) through the real ASGI app, with schemathesis' default checks.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import positive_data_acceptance

from plankg.api.app import create_app
from plankg.api.settings import ApiSettings
from plankg.graph.memory import MemoryStore
from plankg.graph.store import GraphStore
from plankg.loaders import prepare

FIXTURE = Path(__file__).resolve().parent / "data" / "api_plan.yaml"
MAX_EXAMPLES = 25


# Schema-valid is not always meaningful: a cursor the API never issued, a string that is not
# SPARQL, a file that is not a plan are rightly refused with 400/422 although the schema
# (which cannot describe them) accepts them.
EXCLUDED_CHECKS = [positive_data_acceptance]


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

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(max_examples=MAX_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    def check(case: schemathesis.Case) -> None:
        case.call_and_validate(excluded_checks=EXCLUDED_CHECKS)

    check()
