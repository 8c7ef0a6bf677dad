"""Unload and replace: exactly what only a document states goes, all or nothing, and reloading restores the graph."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from plankg.api.app import create_app
from plankg.api.settings import ApiSettings
from plankg.cli.main import app as cli
from plankg.graph.memory import MemoryStore
from plankg.graph.retract import BadUnload, unload
from plankg.graph.store import GraphStore, NotFound, StoreError
from plankg.loaders import BUNDLED_DATA_DIR, bundled_paths, prepare
from plankg.model import Edge, GraphBatch, Node, Source

DRAFT, FINAL = "miit-5g-sailing-2021.doc.draft", "miit-5g-sailing-2021.doc.final"
UPGRADE_DOC, UPGRADE = "miit-5g-upgrade-2024.doc.final", "plan.miit-5g-upgrade-2024"
TOKEN = "unload-test-token"
TAXONOMY = next(path for path in bundled_paths() if path.suffix == ".ttl")


def dump(store: GraphStore) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    return [n.to_dict() for n in store.iter_nodes()], [e.to_dict() for e in store.iter_edges()]


def load_bundled(store: GraphStore) -> None:
    store.upsert(prepare(bundled_paths(), store.known_types))


def cited(store: GraphStore, document: str) -> bool:
    return bool(store.nodes_citing(document) or store.edges_citing(document))


def test_unloading_the_draft_keeps_what_the_final_also_states(any_store: GraphStore) -> None:
    load_bundled(any_store)
    before = dump(any_store)
    summary = unload(any_store, DRAFT)
    assert summary.documents == [DRAFT]
    assert not cited(any_store, DRAFT)
    assert any_store.get(DRAFT) is None  # the Document node cites only itself
    assert any_store.get("miit-5g-sailing-2021.ind.application-solutions") is None  # the draft alone states it
    both = any_store.get("miit-5g-sailing-2021.ind.user-penetration")
    assert both is not None and {s.document for s in both.sources} == {FINAL}
    assert "miit-5g-sailing-2021.ind.application-solutions" in summary.removed_nodes
    supersedes = (FINAL, "supersedes", DRAFT)
    assert supersedes in summary.removed_edges  # stated by both, but its end went: no dangling edge
    nodes = {n.id for n in any_store.iter_nodes()}
    assert all(e.source in nodes and e.target in nodes for e in any_store.iter_edges())
    assert summary.trimmed_nodes > 0 and summary.trimmed_edges > 0
    load_bundled(any_store)
    assert dump(any_store) == before


def test_unloading_a_plan_unloads_its_documents(any_store: GraphStore) -> None:
    load_bundled(any_store)
    before = dump(any_store)
    summary = unload(any_store, UPGRADE)
    assert summary.documents == [UPGRADE_DOC]
    assert any_store.get(UPGRADE) is None and any_store.get("miit-5g-upgrade-2024.ind.user-penetration") is None
    assert any_store.get("plan.miit-5g-sailing-2021") is not None
    continues = next(e for e in before[1] if e["relation"] == "continues")
    assert continues["source"] == UPGRADE  # stated by both plans' documents, gone with its end
    load_bundled(any_store)
    assert dump(any_store) == before


def test_a_corrected_document_replaces_its_statements(any_store: GraphStore) -> None:
    load_bundled(any_store)
    # the upgrade document's statements live in its folder and in the shared taxonomy (its new industries)
    batch = prepare([TAXONOMY, BUNDLED_DATA_DIR / "miit-5g-upgrade-2024"], any_store.known_types)
    target = "miit-5g-upgrade-2024.ind.user-penetration"
    dropped = "miit-5g-upgrade-2024.ind.edge-computing-nodes"
    nodes = []
    for node in batch.nodes:
        if node.id == dropped:
            continue
        if node.id == target:
            node = Node(node.id, node.type, node.labels, {**node.properties, "target_value": 90}, node.sources)
        nodes.append(node)
    edges = [e for e in batch.edges if dropped not in (e.source, e.target)]
    summary = any_store.retract([UPGRADE_DOC], GraphBatch(nodes, edges))
    assert summary.loaded is not None and summary.loaded.nodes == len(nodes)
    assert any_store.get(dropped) is None
    corrected = any_store.get(target)
    assert corrected is not None and corrected.properties["target_value"] == 90


@pytest.mark.parametrize("failure", ["dangling replacement", "unknown relation"])
def test_a_failing_replacement_changes_nothing(any_store: GraphStore, failure: str) -> None:
    load_bundled(any_store)
    before = dump(any_store)
    revision = any_store.revision()
    source = [Source(UPGRADE_DOC, "here", "there")]
    if failure == "dangling replacement":
        batch = GraphBatch([], [Edge(UPGRADE, "has_goal", "no.such-goal", source)])
        errors: tuple[type[Exception], ...] = (StoreError,)
    else:
        batch = GraphBatch([], [Edge(UPGRADE, "no_such_relation", "plan.miit-5g-sailing-2021", source)])
        errors = (StoreError, ValueError)
    with pytest.raises(errors):
        any_store.retract([UPGRADE_DOC], batch)
    assert dump(any_store) == before
    if any_store.kind == "memory":
        assert any_store.revision() == revision


def test_unload_refuses_other_ids(any_store: GraphStore) -> None:
    load_bundled(any_store)
    with pytest.raises(BadUnload):
        unload(any_store, "industry.healthcare")
    with pytest.raises(NotFound):
        unload(any_store, "no.such-document")


def test_cli_unload_and_reload(tmp_path: Path) -> None:
    db = tmp_path / "graph.json"
    store = MemoryStore(db)
    load_bundled(store)
    before = dump(store)
    runner = CliRunner()
    result = runner.invoke(cli, ["unload", DRAFT, "--db", str(db), "--json"])
    assert result.exit_code == 0, result.output
    assert DRAFT in json.loads(result.stdout)["documents"]
    assert MemoryStore(db).get(DRAFT) is None
    # the sailing documents are also cited by the taxonomy and by the other plans' files (links to the plan):
    # a reload replaces everything they stated, so it needs every file that states something of theirs
    folder = str(BUNDLED_DATA_DIR / "miit-5g-sailing-2021")
    unloaded = dump(MemoryStore(db))
    alone = runner.invoke(cli, ["reload", folder, "--db", str(db)])
    assert alone.exit_code == 1 and "nothing was written" in alone.stderr  # the taxonomy's industries are missing
    assert dump(MemoryStore(db)) == unloaded
    result = runner.invoke(cli, ["reload", *map(str, bundled_paths()), "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert "replaced the statements of" in result.stdout
    assert dump(MemoryStore(db)) == before
    assert runner.invoke(cli, ["unload", "plan.miit-5g-sailing-2021", "--db", str(db)]).exit_code == 0
    assert runner.invoke(cli, ["load", "--db", str(db)]).exit_code == 0  # unload, then load again: identical
    assert dump(MemoryStore(db)) == before
    bad = runner.invoke(cli, ["unload", "industry.healthcare", "--db", str(db)])
    assert bad.exit_code == 1 and "Document or a Plan" in bad.stderr
    assert dump(MemoryStore(db)) == before


def test_api_unload_and_reload_need_the_token(tmp_path: Path) -> None:
    store = MemoryStore(tmp_path / "graph.json")
    load_bundled(store)
    before = dump(store)
    client = TestClient(create_app(store, ApiSettings(token=TOKEN)))
    assert client.post("/api/v1/unloads", params={"id": DRAFT}).status_code == 401
    assert dump(store) == before
    auth = {"Authorization": f"Bearer {TOKEN}"}
    response = client.post("/api/v1/unloads", params={"id": DRAFT}, headers=auth)
    assert response.status_code == 200 and response.json()["documents"] == [DRAFT]
    assert store.get(DRAFT) is None
    assert client.post("/api/v1/unloads", params={"id": "industry.healthcare"}, headers=auth).status_code == 400
    documents = (BUNDLED_DATA_DIR / "miit-5g-upgrade-2024" / "documents.yaml").read_bytes()
    files = {"file": ("documents.yaml", documents, "application/yaml")}
    response = client.post("/api/v1/reloads", files=files, headers=auth)
    assert response.status_code == 200, response.text
    assert response.json()["documents"] == [UPGRADE_DOC]
    # the upgrade's goals, measures, … were stated by that document and are not in this one file: gone
    assert store.get("miit-5g-upgrade-2024.ind.user-penetration") is None
    assert store.get(UPGRADE) is not None
