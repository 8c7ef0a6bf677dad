"""A staged Neo4j load at scale: elements/s, the largest transaction's memory, the server's heap.

Loads `bench.synthetic.generate(N)` (validated first, untimed) into an emptied Neo4j through
`Neo4jStore.load_staged` (graph/neo4j_staged.py) and, from a second connection every 0.25 s, samples
`SHOW TRANSACTIONS` (estimatedUsedHeapMemory of each open transaction, with its statement) and the
JVM's heap in use (`dbms.queryJmx`), so it reports the peak transaction memory per phase (staging
chunks vs the publishing transaction) and the server heap. `--one-transaction` loads through the
one-transaction path instead (Neo4jStore.upsert below the threshold), for the same figures.

Needs a Neo4j of its own (it deletes plankg's data in it): NEO4J_URI, NEO4J_USER, NEO4J_PASSWORD.

    python -m bench.staged_neo4j [--elements 1000000] [--chunk 50000] [--one-transaction]
"""

from __future__ import annotations

import argparse
import os
import threading
import time
from typing import Any

from neo4j import GraphDatabase

from plankg.bench.synthetic import generate
from plankg.graph.neo4j_store import Neo4jStore
from plankg.loaders.validate import validate_batch

MIB = 1024 * 1024


class Sampler(threading.Thread):
    """Peak estimatedUsedHeapMemory of each open transaction, attributed to a phase by the statements
    seen in it (a staging chunk, the publish, other), and the peak JVM heap used."""

    def __init__(self, uri: str, auth: tuple[str, str]) -> None:
        super().__init__(daemon=True)
        self.driver = GraphDatabase.driver(uri, auth=auth)
        self.stop = threading.Event()
        self.transactions: dict[str, list[Any]] = {}
        """transaction id -> [peak memory, phase]."""
        self.heap_peak = 0
        self.samples = 0

    @staticmethod
    def phase(query: str) -> str | None:
        if "REMOVE n:" in query or "AS inward" in query:
            return "publish"
        if "CREATE (n:" in query or "CREATE (a)-[r:" in query:
            return "stage"
        if "MERGE (n:" in query:
            return "one transaction"
        return None

    def run(self) -> None:
        while not self.stop.is_set():
            try:
                records, _, _ = self.driver.execute_query(
                    "SHOW TRANSACTIONS YIELD transactionId, currentQuery, estimatedUsedHeapMemory "
                    "WHERE currentQuery IS NULL OR NOT currentQuery STARTS WITH 'SHOW TRANSACTIONS' "
                    "RETURN transactionId AS id, currentQuery AS q, estimatedUsedHeapMemory AS m"
                )
                for record in records:
                    seen = self.transactions.setdefault(record["id"], [0, "other"])
                    seen[0] = max(seen[0], record["m"] or 0)
                    phase = self.phase(record["q"] or "")
                    if phase is not None:
                        seen[1] = phase
                heap, _, _ = self.driver.execute_query(
                    "CALL dbms.queryJmx('java.lang:type=Memory') YIELD attributes "
                    "RETURN attributes.HeapMemoryUsage.value.properties.used AS used"
                )
                self.heap_peak = max(self.heap_peak, int(heap[0]["used"] or 0))
                self.samples += 1
            except Exception as error:
                self.transactions.setdefault("sampling error: " + str(error)[:80], [0, "error"])
            self.stop.wait(0.25)

    def peaks(self) -> dict[str, tuple[int, int]]:
        """Per phase: (peak transaction memory, transactions seen)."""
        out: dict[str, tuple[int, int]] = {}
        for memory, phase in self.transactions.values():
            peak, count = out.get(phase, (0, 0))
            out[phase] = (max(peak, memory), count + 1)
        return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--elements", type=int, default=1_000_000)
    parser.add_argument("--chunk", type=int, default=50_000)
    parser.add_argument("--one-transaction", action="store_true")
    args = parser.parse_args(argv)
    uri = os.environ["NEO4J_URI"]
    auth = (os.environ.get("NEO4J_USER", "neo4j"), os.environ["NEO4J_PASSWORD"])
    start = time.perf_counter()
    batch = validate_batch(generate(args.elements))
    print(
        f"generated and validated {len(batch.nodes)} nodes + {len(batch.edges)} edges in "
        f"{time.perf_counter() - start:.1f} s",
        flush=True,
    )
    threshold = 10**12 if args.one_transaction else 0
    store = Neo4jStore(uri, *auth, stage_elements=threshold, stage_chunk=args.chunk, load_timeout=3600.0)
    store.clear()
    store.ping()
    sampler = Sampler(uri, auth)
    sampler.start()
    phases: list[tuple[str, float]] = []
    begun = time.perf_counter()

    def chunk(step: str, _count: int) -> None:
        if not phases or phases[-1][0] != step:
            phases.append((step, time.perf_counter() - begun))

    error: Any = None
    try:
        if args.one_transaction:
            store.upsert(batch)
        else:
            store.load_staged(batch, between_chunks=chunk)
    except Exception as failure:
        error = failure
    seconds = time.perf_counter() - begun
    sampler.stop.set()
    sampler.join()
    way = "one transaction" if args.one_transaction else f"staged (chunks of {args.chunk})"
    elements = len(batch.nodes) + len(batch.edges)
    if error is not None:
        print(f"{way}: FAILED after {seconds:.1f} s: {str(error)[:300]}")
    else:
        print(f"{way}: {elements} elements in {seconds:.1f} s = {elements / seconds:,.0f} elements/s")
        print(f"  stats: {store.stats()['nodes']} nodes, {store.stats()['edges']} edges")
    for step, at in phases:
        print(f"  {step} staging began at {at:.1f} s")
    for phase, (memory, count) in sorted(sampler.peaks().items()):
        print(f"  peak transaction memory, {phase}: {memory / MIB:,.1f} MiB ({count} transactions sampled)")
    print(f"  peak JVM heap used: {sampler.heap_peak / MIB:,.0f} MiB ({sampler.samples} samples)")
    store.close()


if __name__ == "__main__":
    main()
