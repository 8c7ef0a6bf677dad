"""The whole OpenAPI under schemathesis, longer than the per-commit run: every operation, then stateful links.

Runs on the memory store with the bundled plan loaded and a write token set, so the upload
endpoint is exercised too. Not part of the default run (marker `fuzz`, deselected in
pyproject); CI runs it as its own step: `make fuzz`. Expected: no server error and no
response outside the schema; schema-valid data accepted except where an operation argues
otherwise in the document (`x-schema-valid-refusals`). The last test runs the schemathesis
command itself with every check (but the timing one) and every phase (coverage included: undeclared methods must
answer 405 with a correct Allow) against a real uvicorn. FUZZ_EXAMPLES (default 100) sets
examples per operation and mode.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import threading
from collections import Counter
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import positive_data_acceptance

from plankg.api.app import create_app
from plankg.api.openapi import REFUSALS
from plankg.api.settings import MAX_REQUEST_HEAD_BYTES, ApiSettings
from plankg.graph.memory import MemoryStore
from plankg.loaders import bundled_paths, prepare
from plankg.model import GraphBatch

pytestmark = pytest.mark.fuzz

TOKEN = "fuzz-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
MAX_EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "100"))
STATEFUL_EXAMPLES = int(os.environ.get("FUZZ_STATEFUL_EXAMPLES", "150"))
HYPOTHESIS_EXCLUDED: list[Any] = [positive_data_acceptance]
schemathesis.serializer.alias("application/sparql-query", "text/plain")
HYPOTHESIS = {"deadline": None, "suppress_health_check": list(HealthCheck), "database": None}

ENTITY = "get_entity_api_v1_entities__entity_id__get"
NEIGHBOURS = "get_neighbors_api_v1_entities__entity_id__neighbors_get"
LINKS: dict[str, dict[str, dict[str, Any]]] = {
    # operationId of the source -> link name -> link (OpenAPI 3.1 links over the JSON bodies)
    "list_entities_api_v1_entities_get": {
        "GetFirstEntity": {"operationId": ENTITY, "parameters": {"entity_id": "$response.body#/items/0/id"}},
        "NeighboursOfFirst": {"operationId": NEIGHBOURS, "parameters": {"entity_id": "$response.body#/items/0/id"}},
        "PathBetweenFirstTwo": {
            "operationId": "shortest_paths_api_v1_paths_get",
            "parameters": {"from": "$response.body#/items/0/id", "to": "$response.body#/items/1/id"},
        },
        "NextPage": {
            "operationId": "list_entities_api_v1_entities_get",
            "parameters": {"cursor": "$response.body#/next_cursor", "q": "$request.query.q"},
        },
    },
    ENTITY: {
        "Neighbours": {"operationId": NEIGHBOURS, "parameters": {"entity_id": "$response.body#/id"}},
        "Resolve": {"operationId": "resolve_api_v1_resolve_get", "parameters": {"iri": "$response.body#/iri"}},
        "IndustryStandards": {
            "operationId": "query_standards_for_industry_api_v1_queries_standards_for_industry_get",
            "parameters": {"industry": "$response.body#/id"},
        },
        "MeasuresForGoal": {
            "operationId": "query_measures_for_goal_api_v1_queries_measures_for_goal_get",
            "parameters": {"goal": "$response.body#/id"},
        },
    },
    NEIGHBOURS: {
        "GetNeighbour": {"operationId": ENTITY, "parameters": {"entity_id": "$response.body#/nodes/1/id"}},
        "PathToNeighbour": {
            "operationId": "shortest_paths_api_v1_paths_get",
            "parameters": {"from": "$response.body#/center", "to": "$response.body#/nodes/1/id"},
        },
    },
    "load_file_api_v1_loads_post": {
        "ListAfterLoad": {"operationId": "list_entities_api_v1_entities_get", "parameters": {}},
    },
}


def _with_links(app: FastAPI) -> FastAPI:
    """Add LINKS to the app's (cached) OpenAPI document so the state machine can chain calls."""
    document = app.openapi()
    for item in document["paths"].values():
        for operation in item.values():
            links = LINKS.get(operation.get("operationId", ""))
            if links:
                operation["responses"]["200"]["links"] = links
    return app


@cache
def _bundled() -> GraphBatch:
    return prepare(bundled_paths())


def _app() -> FastAPI:
    """A fresh app over a fresh store with the bundled plan (schemathesis ends the app's lifespan per test)."""
    store = MemoryStore(Path(tempfile.mkdtemp(prefix="plankg-fuzz-")) / "graph.json")
    store.upsert(_bundled())
    return _with_links(create_app(store, ApiSettings(token=TOKEN, query_seconds=2.0)))


def _schema() -> Any:
    return schemathesis.openapi.from_asgi("/openapi.json", _app())


@cache
def _refusing() -> frozenset[str]:
    """The "METHOD /path" labels whose operations argue, in the document, why schema-valid data may be refused."""
    document = create_app(
        MemoryStore(Path(tempfile.gettempdir()) / "plankg-openapi-probe" / "graph.json"), ApiSettings()
    ).openapi()
    return frozenset(
        f"{method.upper()} {path}"
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if operation.get(REFUSALS)
    )


def _excluded(label: str) -> list[Any]:
    return HYPOTHESIS_EXCLUDED if label in _refusing() else []


def _operations() -> Iterator[tuple[str, GenerationMode]]:
    probe = create_app(MemoryStore(Path(tempfile.gettempdir()) / "plankg-openapi-probe" / "graph.json"), ApiSettings())
    for path, item in probe.openapi()["paths"].items():
        for method, operation in item.items():
            yield f"{method.upper()} {path}", GenerationMode.POSITIVE
            if operation.get("parameters") or operation.get("requestBody"):
                yield f"{method.upper()} {path}", GenerationMode.NEGATIVE


@pytest.mark.timeout(900)
@pytest.mark.parametrize(("label", "mode"), list(_operations()), ids=str)
def test_operation(label: str, mode: GenerationMode, fuzz_cases: Counter[str]) -> None:
    operation = _schema().find_operation_by_label(label)
    assert operation is not None, label

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(max_examples=MAX_EXAMPLES, **HYPOTHESIS)
    def check(case: schemathesis.Case) -> None:
        fuzz_cases[f"{label} {mode.value}"] += 1
        if label.startswith("POST /api/v1/loads"):
            case.headers = {**(case.headers or {}), **AUTH}
        case.call_and_validate(excluded_checks=_excluded(label))

    check()


@pytest.mark.timeout(900)
def test_stateful_links(fuzz_cases: Counter[str]) -> None:
    """Chains of calls along LINKS (search -> entity -> neighbours -> paths -> queries, load -> search)."""
    schema = _schema()
    linked = [
        op
        for item in schema.raw_schema["paths"].values()
        for op in item.values()
        if op["responses"].get("200", {}).get("links")
    ]
    assert len(linked) == len(LINKS)

    class Machine(schema.as_state_machine()):  # type: ignore[misc]
        def get_call_kwargs(self, case: schemathesis.Case) -> dict[str, Any]:
            return {"headers": AUTH}

        def after_call(self, response: Any, case: schemathesis.Case) -> None:
            fuzz_cases["stateful steps"] += 1
            super().after_call(response, case)

        def validate_response(
            self, response: Any, case: schemathesis.Case, additional_checks: Any = None, **kwargs: Any
        ) -> None:
            case.validate_response(
                response, excluded_checks=_excluded(case.operation.label), transport_kwargs=kwargs or None
            )

    Machine.run(settings=settings(max_examples=STATEFUL_EXAMPLES, stateful_step_count=6, **HYPOTHESIS))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _config(folder: Path) -> Path:
    """schemathesis.toml: positive_data_acceptance off exactly for the operations that argue for it."""
    lines = []
    for label in sorted(_refusing()):
        method, path = label.split(" ", 1)
        lines += [
            "[[operations]]",
            f'include-method = "{method}"',
            f'include-path = "{path}"',
            "checks.positive_data_acceptance.enabled = false",
            "",
        ]
    config = folder / "schemathesis.toml"
    config.write_text("\n".join(lines), encoding="utf-8")
    return config


@pytest.mark.timeout(1800)
def test_schemathesis_command_with_every_check(tmp_path: Path) -> None:
    """`schemathesis run` (every phase; every check but the timing one, max_response_time) finds nothing.

    `--checks all` is not passed: on the command line it would override the per-operation
    configuration that turns positive_data_acceptance off where the document argues why.
    """
    import uvicorn

    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(
            _app(),
            host="127.0.0.1",
            port=port,
            log_level="warning",
            h11_max_incomplete_event_size=MAX_REQUEST_HEAD_BYTES,
        )
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        while not server.started:
            thread.join(0.05)
            assert thread.is_alive(), "uvicorn did not start"
        hooks = tmp_path / "plankg_st_hooks.py"
        hooks.write_text(
            'import schemathesis\nschemathesis.serializer.alias("application/sparql-query", "text/plain")\n',
            encoding="utf-8",
        )
        env = {**os.environ, "SCHEMATHESIS_HOOKS": "plankg_st_hooks", "PYTHONPATH": str(tmp_path)}
        command = [
            sys.executable, "-m", "schemathesis.cli", "--config-file", str(_config(tmp_path)),
            "run", f"http://127.0.0.1:{port}/openapi.json",
            "--max-examples", str(max(10, MAX_EXAMPLES // 4)), "--header", f"Authorization: Bearer {TOKEN}",
            "--no-color", "--seed", "1",
        ]  # fmt: skip
        result = subprocess.run(
            command, capture_output=True, text=True, env=env, cwd=tmp_path, timeout=1700, check=False
        )
        assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
    finally:
        server.should_exit = True
        thread.join(30)
