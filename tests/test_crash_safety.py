"""Crash safety: `kill -9` a `plankg load` at 20+ points, in both stores, then load again.

One synthetic plan file (bench.synthetic, CSV) is loaded by the real CLI on top of a
"before" graph. Kill points: PLANKG_CRASH_POINTS (default 15) times spread evenly from
2 % to 98 % of a measured clean load, plus 5 points triggered by the final write itself
(embedded store: the load holds SQLite's write lock / has committed; Neo4j: the load's write
transaction is open / has committed). After each kill the stored graph must equal the
before or the after graph exactly (canonical CSV export), never anything in between;
the embedded store's database must open as a plankg graph with no stray temp files. Then the
load is rerun and must give exactly the clean result. PLANKG_CRASH_ELEMENTS sets the
size of the plan file (default 1500 nodes + edges, on a 10,000-element before graph:
schema validation costs ~1-3 ms per element, so this keeps CI at a few minutes).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from bench.synthetic import generate
from plankg.graph.export import export_stream
from plankg.graph.memory import JSON_FORMAT, MemoryStore
from plankg.graph.store import GraphStore
from plankg.model import GraphBatch
from tests.conftest import ROOT, make_neo4j_store

EVEN_POINTS = int(os.environ.get("PLANKG_CRASH_POINTS", "15"))
ELEMENTS = int(os.environ.get("PLANKG_CRASH_ELEMENTS", "1500"))
BEFORE_ELEMENTS = {"memory": 10_000, "neo4j": 1_000}
WRITE_FRACTIONS = (0.0, 0.25, 0.5, 0.75)
"""Kills at these fractions of the final write (after it is seen to begin), plus one right after it ends."""

pytestmark = pytest.mark.timeout(900)


@dataclass
class Point:
    """When to kill: `at` seconds after the start, or `fraction` into the final write, or `after_write`."""

    label: str
    at: float | None = None
    fraction: float | None = None
    write_seconds: float = 0.0
    after_write: bool = False


@dataclass
class Run:
    """What one CLI run did: return code, whether we killed it, when, and what phase the write was in."""

    rc: int | None = None
    killed: bool = False
    killed_at: float = 0.0
    duration: float = 0.0
    write_start: float | None = None
    write_end: float | None = None
    phase: str = "validating"
    stderr: str = ""
    notes: list[str] = field(default_factory=list)


def canonical_csv(store: GraphStore) -> str:
    return "".join(export_stream(store.iter_nodes(), store.iter_edges(), "csv"))


@pytest.fixture(scope="module")
def plan_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The plan the crashed loads load: one CSV file, generated once for both stores."""
    batch = generate(ELEMENTS, seed=0)
    path = tmp_path_factory.mktemp("crash-input") / "plan.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        for chunk in export_stream(batch.nodes, batch.edges, "csv"):
            handle.write(chunk)
    return path


def before_batch(kind: str) -> GraphBatch:
    """A different synthetic graph (other seed) that shares vocabulary and plan ids with the input: loads merge."""
    return generate(BEFORE_ELEMENTS[kind], seed=1)


Probe = Callable[[], tuple[bool, bool]]
"""Called before a run starts; returns a function that answers (the final write has begun, it is done)."""


def run_load(
    args: list[str], env: dict[str, str], point: Point | None, watch: Callable[[], Probe] | None, timeout: float = 600
) -> Run:
    """Run `plankg load ...` to the end, or kill -9 it at `point`; watch=None: no probing (a plain rerun)."""
    probe = watch() if watch is not None else lambda: (False, False)
    started = time.monotonic()
    proc = subprocess.Popen(
        [sys.executable, "-m", "plankg.cli", "load", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    run = Run()
    try:
        while proc.poll() is None:
            now = time.monotonic() - started
            if now > timeout:
                raise AssertionError(f"plankg load still running after {timeout:.0f}s")
            begun, done = probe()
            if begun and run.write_start is None:
                run.write_start = now
            if done and run.write_end is None:
                run.write_end = now
            due = False
            if point is not None:
                if point.at is not None:
                    due = now >= point.at
                elif point.after_write:
                    due = run.write_end is not None
                elif run.write_start is not None and point.fraction is not None:
                    due = now >= run.write_start + point.fraction * point.write_seconds
            if due:
                run.phase = (
                    "written"
                    if run.write_end is not None
                    else ("writing" if run.write_start is not None else "validating")
                )
                proc.send_signal(signal.SIGKILL)
                run.killed = proc.wait() == -signal.SIGKILL
                run.killed_at = now
                break
            time.sleep(0.001 if watch is not None else 0.02)
    finally:
        if proc.poll() is None:
            proc.kill()
        run.rc = proc.wait()
        run.stderr = proc.stderr.read() if proc.stderr else ""
        if proc.stderr:
            proc.stderr.close()
    run.duration = time.monotonic() - started
    return run


def plan_points(clean: Run) -> list[Point]:
    """Evenly spread times over the measured clean load, plus points triggered by its final write."""
    points = []
    for index in range(EVEN_POINTS):
        fraction = 0.02 + (0.96 * index / (EVEN_POINTS - 1) if EVEN_POINTS > 1 else 0.0)
        points.append(Point(f"t={fraction:.0%}", at=fraction * clean.duration))
    assert clean.write_start is not None and clean.write_end is not None, "the clean load's write was not seen"
    write_seconds = max(clean.write_end - clean.write_start, 0.001)
    for fraction in WRITE_FRACTIONS:
        points.append(Point(f"write+{fraction:.0%}", fraction=fraction, write_seconds=write_seconds))
    points.append(Point("just-written", after_write=True))
    return points


def kill_until_killed(
    args: list[str], env: dict[str, str], point: Point, watch: Callable[[], Probe], reset: Callable[[], None]
) -> Run:
    """A jittery machine may finish a load before a late kill time; then retry with that time moved earlier."""
    for _attempt in range(4):
        run = run_load(args, env, point, watch)
        if run.killed:
            return run
        assert run.rc == 0, f"{point.label}: the load failed without being killed:\n{run.stderr[-2000:]}"
        reset()
        if point.at is not None:
            point.at = min(point.at, 0.9 * run.duration)
        if point.fraction is not None:  # this run's write was quicker than the clean load's
            seen = (run.write_end - run.write_start) if run.write_start is not None and run.write_end else 0.0
            point.write_seconds = min(point.write_seconds, 0.9 * seen) if seen else point.write_seconds / 2
    raise AssertionError(f"{point.label}: the load always finished before the kill")


def report(kind: str, survived: list[tuple[str, str, str]]) -> None:
    phases: dict[str, int] = {}
    for _label, phase, _state in survived:
        phases[phase] = phases.get(phase, 0) + 1
    states = {s: sum(1 for *_x, st in survived if st == s) for s in ("before", "after")}
    print(
        f"\n{kind}: survived {len(survived)} kill -9 points (phase at kill, as last probed: {phases}; "
        f"graph after kill: {states})"
    )
    for label, phase, state in survived:
        print(f"  {label:>13}  killed while {phase:<10} -> graph {state}; rerun == clean load")


# ---------------------------------------------------------------------------- embedded store
def _snapshot(db: Path, to: Path) -> None:
    """A consistent copy of the SQLite graph (its WAL included), by SQLite's backup API."""
    to.unlink(missing_ok=True)
    source, target = sqlite3.connect(db), sqlite3.connect(to)
    try:
        source.backup(target)
    finally:
        source.close()
        target.close()


def _revision(db: Path) -> str | None:
    """The committed revision, read beside a running writer (WAL readers never wait)."""
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
        try:
            row = conn.execute("SELECT value FROM meta WHERE key='revision'").fetchone()
        finally:
            conn.close()
    except sqlite3.Error:
        return None
    return row[0] if row else None


def _writing(db: Path) -> bool:
    """True while a writer holds the write lock (a load's transaction is open)."""
    conn = sqlite3.connect(db, timeout=0, isolation_level=None)
    try:
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("ROLLBACK")
        return False
    except sqlite3.OperationalError:
        return True
    finally:
        conn.close()


def test_memory_store_load_survives_kill_9(plan_file: Path, tmp_path: Path) -> None:
    db_dir = tmp_path / "db"
    db = db_dir / "graph.json"
    store = MemoryStore(db)
    store.upsert(before_batch("memory"))
    store.close()
    before_copy = tmp_path / "before.db"  # outside db_dir, so it never looks like a stray file
    _snapshot(db, before_copy)
    before_csv = canonical_csv(MemoryStore(db))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "PLANKG_"))}
    args = [str(plan_file), "--store", "memory", "--db", str(db)]

    def reset() -> None:
        for name in ("graph.json", "graph.json-wal", "graph.json-shm"):
            (db_dir / name).unlink(missing_ok=True)
        shutil.copyfile(before_copy, db)

    def watch() -> Probe:
        """The write has begun once the load holds the write lock, and is done once a new revision is committed."""
        revision = _revision(db)

        def probe() -> tuple[bool, bool]:
            done = _revision(db) != revision
            return done or _writing(db), done

        return probe

    def classify() -> str:
        """before / after / PARTIAL by canonical CSV export of the graph as a new process opens it."""
        opened = MemoryStore(db)
        try:
            graph_csv = canonical_csv(opened)
            assert opened.stats()["nodes"] == sum(1 for _ in opened.iter_nodes())  # counts kept with the data
        finally:
            opened.close()
        return "before" if graph_csv == before_csv else "after" if graph_csv == after_csv else "PARTIAL"

    clean = run_load(args, env, None, watch)
    assert clean.rc == 0, clean.stderr
    after_csv = canonical_csv(MemoryStore(db))
    assert after_csv != before_csv
    print(f"\nmemory: clean load {clean.duration:.2f}s, final write {clean.write_start:.2f}s-{clean.write_end:.2f}s")

    survived = []
    for point in plan_points(clean):
        reset()
        run = kill_until_killed(args, env, point, watch, reset)
        # Never half: the database opens as a plankg graph, and it is exactly the old or the new graph.
        state = classify()
        assert state != "PARTIAL", f"{point.label}: the graph is neither the old nor the new graph"
        strays = sorted(p.name for p in db_dir.iterdir() if p.name.endswith(".tmp"))
        assert not strays, f"{point.label}: stray temp files: {strays}"
        # Rerun: the same load, to the end, gives exactly the clean load's graph and cleans up.
        rerun = run_load(args, env, None, None)
        assert rerun.rc == 0, f"{point.label}: the rerun failed:\n{rerun.stderr[-2000:]}"
        assert classify() == "after", f"{point.label}: rerun differs from a clean load"
        allowed = ("graph.json", "graph.json.lock", "graph.json-wal", "graph.json-shm")
        leftovers = sorted(p.name for p in db_dir.iterdir() if p.name not in allowed)
        assert not leftovers, f"{point.label}: files left next to the graph after the rerun: {leftovers}"
        survived.append((point.label, run.phase, state))
    report("memory", survived)
    assert len(survived) == EVEN_POINTS + len(WRITE_FRACTIONS) + 1
    assert {"writing", "written"} <= {phase for _label, phase, _state in survived}


def test_a_json_graph_file_is_migrated_once_in_place(tmp_path: Path) -> None:
    """A graph file of the former JSON format opens as the same graph; a dead migration's temp file goes."""
    db = tmp_path / "graph.json"
    batch = generate(300, seed=3)
    reference = MemoryStore(tmp_path / "reference.db")
    reference.upsert(batch)
    payload = {
        "format": JSON_FORMAT,
        "nodes": [n.to_dict() for n in reference.iter_nodes()],
        "edges": [e.to_dict() for e in reference.iter_edges()],
    }
    db.write_text(json.dumps(payload), encoding="utf-8")
    dead = tmp_path / ".graph.json.k1ll3d_x.tmp"
    dead.write_bytes(b"SQLite format 3\x00")
    other = tmp_path / ".graph.json.x.abcd1234.tmp"  # a temp file of the graph file "graph.json.x"
    other.write_text("", encoding="utf-8")
    migrated = MemoryStore(db)
    assert canonical_csv(migrated) == canonical_csv(reference)
    assert migrated.stats() == reference.stats()
    assert not dead.exists() and other.exists()
    assert db.read_bytes()[:16] == b"SQLite format 3\x00"
    assert canonical_csv(MemoryStore(db)) == canonical_csv(reference)  # opened again: nothing to migrate


# ---------------------------------------------------------------------------- Neo4j
@pytest.fixture
def neo4j_crash_store(neo4j_settings: dict[str, str]) -> Iterator[GraphStore]:
    store = make_neo4j_store(neo4j_settings)
    try:
        yield store
    finally:
        store.clear()
        store.close()


LOAD_MARKERS = ("AS locked", "UNWIND $rows")
"""Statements that only the load's write transaction runs (locking the stored nodes, the writes)."""


def test_neo4j_load_survives_kill_9(
    plan_file: Path, neo4j_crash_store: GraphStore, neo4j_settings: dict[str, str]
) -> None:
    from neo4j import GraphDatabase

    store = neo4j_crash_store
    before = before_batch("neo4j")
    start_revision = [""]

    def revision() -> str:
        return store.revision()

    def reset() -> None:
        store.clear()
        store.upsert(before)
        start_revision[0] = revision()

    reset()
    before_csv = canonical_csv(store)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "PLANKG_"))}
    env.update(
        NEO4J_URI=neo4j_settings["uri"],
        NEO4J_USER=neo4j_settings["user"],
        NEO4J_PASSWORD=neo4j_settings["password"],
        NEO4J_DATABASE=neo4j_settings["database"],
    )
    args = [str(plan_file), "--store", "neo4j"]
    driver = GraphDatabase.driver(neo4j_settings["uri"], auth=(neo4j_settings["user"], neo4j_settings["password"]))

    def watch_every(interval: float) -> Callable[[], Probe]:
        """Polling harder slows the server down: fast only where a kill waits for the write transaction."""

        def watch() -> Probe:
            return transaction_probe(interval)

        return watch

    def transaction_probe(interval: float) -> Probe:
        """The write has begun once SHOW TRANSACTIONS lists the load's transaction, and is done once it is gone."""
        seen: set[str] = set()
        last = [0.0, (False, False)]

        def probe() -> tuple[bool, bool]:
            if time.monotonic() - last[0] < interval:
                return last[1]
            records, _summary, _keys = driver.execute_query(
                "SHOW TRANSACTIONS YIELD transactionId AS id, currentQuery AS q RETURN id, q",
                database_=neo4j_settings["database"],
            )
            for record in records:
                if any(marker in (record["q"] or "") for marker in LOAD_MARKERS):
                    seen.add(record["id"])
            last[:] = [time.monotonic(), (bool(seen), bool(seen) and not (seen & {r["id"] for r in records}))]
            return last[1]

        return probe

    fast, slow = watch_every(0.01), watch_every(0.1)

    def open_transactions() -> set[str]:
        records, _summary, _keys = driver.execute_query(
            "SHOW TRANSACTIONS YIELD transactionId AS id, currentQuery AS q RETURN id, q",
            database_=neo4j_settings["database"],
        )
        return {r["id"] for r in records if not (r["q"] or "").startswith("SHOW TRANSACTIONS")}

    def settle() -> None:
        """Wait until the transactions open at the kill have ended: a COMMIT already sent by the killed
        process may still be applied after it died, and an export (paged reads) must not straddle it."""
        pending = open_transactions()
        deadline = time.monotonic() + 60
        while pending & open_transactions():
            assert time.monotonic() < deadline, "a transaction of the killed load stays open"
            time.sleep(0.02)

    def classify() -> str:
        graph_csv = canonical_csv(store)
        return "before" if graph_csv == before_csv else "after" if graph_csv == after_csv else "PARTIAL"

    try:
        clean = run_load(args, env, None, fast)
        assert clean.rc == 0, clean.stderr
        after_csv = canonical_csv(store)
        assert after_csv != before_csv
        print(
            f"\nneo4j: clean load {clean.duration:.2f}s, write transaction open "
            f"{clean.write_start:.2f}s-{clean.write_end:.2f}s"
        )

        survived = []
        for point in plan_points(clean):
            reset()
            run = kill_until_killed(args, env, point, slow if point.at is not None else fast, reset)
            settle()
            state = classify()
            assert state != "PARTIAL", f"{point.label}: Neo4j holds part of the load (read again: {classify()})"
            # One transaction: the revision (the last commit) moves exactly when the data does.
            assert (revision() != start_revision[0]) == (state == "after"), point.label
            rerun = run_load(args, env, None, None)
            assert rerun.rc == 0, f"{point.label}: the rerun failed:\n{rerun.stderr[-2000:]}"
            assert classify() == "after", f"{point.label}: rerun differs from a clean load"
            # A short transaction can commit between two polls of the (slow) probe: the outcome says it did.
            phase = "written" if state == "after" and run.phase == "validating" else run.phase
            survived.append((point.label, phase, state))
        report("neo4j", survived)
        assert len(survived) == EVEN_POINTS + len(WRITE_FRACTIONS) + 1
        assert {"writing", "written"} <= {phase for _label, phase, _state in survived}
    finally:
        driver.close()
