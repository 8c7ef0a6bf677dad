"""Shape checks split over two processes (loaders/checks.py `_problems_in_two`) against one process.

Differential: the bad-input corpus and random broken batches, checked in one process and split
(the second half in a forked child): the same problems, in the same order. Also: when the child
fails its half is checked in process (same verdict), and when the split is used at all.
"""

from __future__ import annotations

import pickle
import random
import threading
from pathlib import Path
from typing import Any

import pytest

from bench.synthetic import generate
from plankg.loaders import checks
from plankg.loaders.validate import validate_batch
from plankg.model import GraphBatch
from plankg.model.errors import InputProblem
from plankg.ontology.schema import load_schema
from tests.test_fast_checks import _breakages, corpus_batch
from tests.test_reliability_inputs import FILE_INPUTS


def in_one(batch: GraphBatch) -> list[InputProblem]:
    compiled = checks.compiled_shapes()
    assert compiled is not None
    found = compiled.violations(batch)
    return checks.problems(batch, found) if found else []


def in_two(batch: GraphBatch) -> list[InputProblem]:
    compiled = checks.compiled_shapes()
    assert compiled is not None
    before = checks.forked_checks
    found = checks._problems_in_two(compiled, batch)
    assert checks.forked_checks == before + 1, "the child's half did not come back"
    return found


@pytest.mark.parametrize("seed", range(12))
def test_random_batches_same_problems_split(seed: int) -> None:
    rng = random.Random(seed)
    batch = generate(rng.choice([300, 600]), seed=seed)
    breakages = _breakages(set(load_schema().node_types))
    for _ in range(rng.choice([1, 2, 3, 4])):
        _name, breakage = rng.choice(breakages)
        breakage(batch, rng)
    batch.edges = list({e.key: e for e in batch.edges}.values())
    one = in_one(batch)
    assert in_two(batch) == one


def test_every_breakage_at_once_same_problems_split() -> None:
    """Problems on both halves (entities early, statements late): merged as one process orders them."""
    batch = generate(800, seed=11)
    rng = random.Random(4)
    for _name, breakage in _breakages(set(load_schema().node_types)):
        breakage(batch, rng)
    batch.edges = list({e.key: e for e in batch.edges}.values())
    one = in_one(batch)
    assert len(one) > 10
    assert in_two(batch) == one


@pytest.mark.parametrize(("name", "filename", "content"), [c[:3] for c in FILE_INPUTS], ids=[c[0] for c in FILE_INPUTS])
def test_bad_input_corpus_same_problems_split(tmp_path: Path, name: str, filename: str, content: bytes) -> None:
    batch = corpus_batch(tmp_path, filename, content)
    if batch is not None:
        assert in_two(batch) == in_one(batch), name


def test_a_failed_child_is_made_up_in_process(monkeypatch: pytest.MonkeyPatch) -> None:
    batch = generate(400, seed=9)
    batch.nodes[3].labels = {"fr": "étiquette"}
    batch.edges[-1].status = "perhaps"
    one = in_one(batch)
    assert one

    def broken(*_args: Any, **_kwargs: Any) -> bytes:
        raise RuntimeError("the child cannot send")

    monkeypatch.setattr(pickle, "dumps", broken)  # only the child pickles
    compiled = checks.compiled_shapes()
    assert compiled is not None
    before = checks.forked_checks
    assert checks._problems_in_two(compiled, batch) == one
    assert checks.forked_checks == before


def test_when_the_checks_are_split(monkeypatch: pytest.MonkeyPatch) -> None:
    batch = validate_batch(generate(300, seed=1))
    monkeypatch.setattr(checks, "FORK_FROM_ELEMENTS", 100)
    monkeypatch.setenv("PLANKG_CHECK_WORKERS", "2")
    monkeypatch.setattr(checks.os, "getloadavg", lambda: (0.9, 1.0, 1.0))  # this process and a core free
    alone = threading.active_count() == 1
    assert checks._forks(batch) is alone
    monkeypatch.setattr(checks.os, "getloadavg", lambda: (3.5, 3.0, 2.0))  # a busy machine: in process
    assert not checks._forks(batch)
    monkeypatch.setattr(checks.os, "getloadavg", lambda: (0.9, 1.0, 1.0))
    monkeypatch.setenv("PLANKG_CHECK_WORKERS", "1")
    assert not checks._forks(batch)
    monkeypatch.setenv("PLANKG_CHECK_WORKERS", "2")
    monkeypatch.setattr(checks, "FORK_FROM_ELEMENTS", 10_000)
    assert not checks._forks(batch)
    monkeypatch.setattr(checks, "FORK_FROM_ELEMENTS", 100)
    monkeypatch.setattr(checks, "FORK_UP_TO_ELEMENTS", 200)  # too large a batch: the child's copies
    assert not checks._forks(batch)
    monkeypatch.setattr(checks, "FORK_UP_TO_ELEMENTS", 10_000)
    stop = threading.Event()
    other = threading.Thread(target=stop.wait, args=(10,))
    other.start()
    try:
        assert not checks._forks(batch)  # another thread: never fork
    finally:
        stop.set()
        other.join()


def test_the_workers_setting() -> None:
    from plankg.settings import Settings, SettingsError

    assert Settings.from_env({"PLANKG_CHECK_WORKERS": "1"}).check_workers == 1
    assert Settings.from_env({}).check_workers >= 1
    with pytest.raises(SettingsError, match="PLANKG_CHECK_WORKERS"):
        Settings.from_env({"PLANKG_CHECK_WORKERS": "two"})
    with pytest.raises(SettingsError, match="PLANKG_CHECK_WORKERS"):
        Settings.from_env({"PLANKG_CHECK_WORKERS": "0"})
