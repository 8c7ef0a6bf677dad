"""One resolver for entity parameters: ids, labels, aliases, traditional/width variants, ambiguity."""

from __future__ import annotations

from pathlib import Path

import pytest

from plankg.graph.memory import MemoryStore
from plankg.graph.resolve import Ambiguous, resolve_entity
from plankg.graph.store import NotFound
from plankg.model import GraphBatch, Node, Source

DOC = "t.doc.d"


def _store(tmp_path: Path) -> MemoryStore:
    src = [Source(DOC, "x", "y")]
    nodes = [
        Node(DOC, "Document", {"en": "Doc", "zh": ""}, {}, src),
        Node(
            "org.miit",
            "Organization",
            {"en": "Ministry of Industry and Information Technology", "zh": "工业和信息化部"},
            {},
            src,
            aliases={"en": ["MIIT"], "zh": ["工信部"]},
        ),
        Node("industry.healthcare", "Industry", {"en": "Healthcare", "zh": "医疗"}, {}, src),
        Node("industry.smart-healthcare", "Industry", {"en": "Smart healthcare", "zh": "智慧医疗"}, {}, src),
    ]
    store = MemoryStore(tmp_path / "g.json")
    store.upsert(GraphBatch(nodes=nodes))
    return store


def test_ids_labels_and_aliases_resolve(tmp_path: Path) -> None:
    store = _store(tmp_path)
    assert resolve_entity(store, "org.miit") == "org.miit"
    assert resolve_entity(store, "MIIT", "Organization") == "org.miit"
    assert resolve_entity(store, "工信部") == "org.miit"
    assert resolve_entity(store, "ＭＩＩＴ") == "org.miit"  # full-width
    assert resolve_entity(store, "醫療", "Industry") == "industry.healthcare"  # traditional
    assert resolve_entity(store, "医疗", "Industry") == "industry.healthcare"  # exact name beats 智慧医疗


def test_unknown_and_ambiguous_names_fail_with_candidates(tmp_path: Path) -> None:
    store = _store(tmp_path)
    with pytest.raises(NotFound):
        resolve_entity(store, "agriculture", "Industry")
    with pytest.raises(Ambiguous) as caught:
        resolve_entity(store, "health", "Industry")
    assert {node.id for node in caught.value.candidates} == {"industry.healthcare", "industry.smart-healthcare"}
    with pytest.raises(NotFound):
        resolve_entity(store, "org.miit", "Industry")  # an id of the wrong type is not a match
