"""Loads pause Python's cyclic garbage collector (loaders/reading.py `gc_paused`): it must come back on, nest,
survive overlapping threads, leave an already-disabled collector alone, and the paused steps must leave no
cyclic garbage behind (else memory would grow until the next collection)."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator

import pytest

from bench.synthetic import generate
from plankg.loaders.checks import check_batch
from plankg.loaders.reading import gc_paused
from plankg.loaders.validate import validate_batch


@pytest.fixture(autouse=True)
def collector_on() -> Iterator[None]:
    was = gc.isenabled()
    gc.enable()
    yield
    if not was:
        gc.disable()


def test_the_pause_nests_and_ends() -> None:
    with gc_paused():
        assert not gc.isenabled()
        with gc_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()


def test_the_collector_comes_back_after_an_error() -> None:
    with pytest.raises(ValueError), gc_paused():
        raise ValueError("bad input")
    assert gc.isenabled()


def test_a_disabled_collector_stays_disabled() -> None:
    gc.disable()
    with gc_paused():
        pass
    assert not gc.isenabled()


def test_overlapping_pauses_in_threads_end_with_the_last() -> None:
    inside, release = threading.Event(), threading.Event()

    def other() -> None:
        with gc_paused():
            inside.set()
            release.wait(10)

    thread = threading.Thread(target=other)
    with gc_paused():
        thread.start()
        assert inside.wait(10)
    assert not gc.isenabled()  # the other thread's pause still runs
    release.set()
    thread.join(10)
    assert gc.isenabled()


def test_the_paused_steps_leave_no_cyclic_garbage() -> None:
    batch = generate(600, seed=2)
    gc.collect()
    gc.disable()
    checked = validate_batch(batch)
    check_batch(checked)
    assert gc.collect() == 0
