"""The embedded store: persistence across restarts, atomic writes, idempotent loads, search."""

from __future__ import annotations

from pathlib import Path

import pytest

from plankg.graph.engine import run_named_query
from plankg.graph.memory import MemoryStore
from plankg.loaders import prepare

MINI = Path(__file__).parent / "data" / "mini.yaml"


def dump(store: MemoryStore) -> tuple[list[dict], list[dict]]:
    return [n.to_dict() for n in store.iter_nodes()], [e.to_dict() for e in store.iter_edges()]


def load_mini(store: MemoryStore) -> None:
    store.upsert(prepare([MINI], store.known_types))


def test_restart_keeps_what_was_loaded(tmp_path: Path) -> None:
    path = tmp_path / "g.json"
    first = MemoryStore(path)
    load_mini(first)
    again = MemoryStore(path)
    assert dump(again) == dump(first)
    assert again.stats()["nodes"] == 5


def test_loading_twice_gives_the_same_graph(tmp_path: Path) -> None:
    store = MemoryStore(tmp_path / "g.json")
    load_mini(store)
    once = dump(store)
    load_mini(store)
    assert dump(store) == once


def test_failed_write_leaves_the_old_graph(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A write that fails half-way (after the nodes, before the counts) rolls back: nothing of it is seen."""
    path = tmp_path / "g.json"
    store = MemoryStore(path)
    load_mini(store)
    before = [n.to_dict() for n in MemoryStore(path).iter_nodes()], store.revision()
    batch = prepare([MINI], store.known_types)
    batch.nodes[0].labels["en"] = "changed"

    def broken_write(_self: MemoryStore) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(MemoryStore, "_finish_write", broken_write)
    with pytest.raises(OSError):
        store.upsert(batch)
    assert store.get(batch.nodes[0].id).labels["en"] != "changed"
    assert ([n.to_dict() for n in MemoryStore(path).iter_nodes()], store.revision()) == before
    assert not [p for p in tmp_path.iterdir() if p.suffix == ".tmp"]


def test_a_second_process_sees_new_loads(tmp_path: Path) -> None:
    path = tmp_path / "g.json"
    reader = MemoryStore(path)
    assert reader.stats()["nodes"] == 0
    load_mini(MemoryStore(path))
    assert reader.stats()["nodes"] == 5


def test_search_is_case_and_width_insensitive_in_both_languages(tmp_path: Path) -> None:
    store = MemoryStore(tmp_path / "g.json")
    load_mini(store)
    assert [n.id for n in store.search("ＳＭＡＲＴ healthcare").items] == ["industry.smart-healthcare"]
    assert [n.id for n in store.search("医疗").items] == ["industry.healthcare", "industry.smart-healthcare"]
    assert store.search("医疗", type_name="Standard").total == 0
    page = store.search("", limit=2, offset=2)
    assert page.total == 5 and len(page.items) == 2


def test_hierarchy_and_unconfirmed_filter(tmp_path: Path) -> None:
    store = MemoryStore(tmp_path / "g.json")
    load_mini(store)
    every = run_named_query(store, "standards_for_industry", {"industry": "industry.healthcare"})
    assert [i.entity.id for i in every] == ["mini.std.med", "mini.std.sm"]
    via_narrower = every[1].evidence
    assert {e.relation for e in via_narrower} == {"broader", "supports_industry"}
    confirmed = run_named_query(
        store, "standards_for_industry", {"industry": "industry.healthcare", "include_unconfirmed": False}
    )
    assert [i.entity.id for i in confirmed] == ["mini.std.med"]
