"""Named-query latency on Neo4j with and without network delay, one statement vs the primitives.

Loads a synthetic graph (bench/synthetic.py) of each size into an empty Neo4j and into the
embedded store, then times each question (median of --repeats after one warm-up):

  managed        the store as shipped: graph/cypher.py compiles the named query / neighbourhood
                 into one statement, sent in one managed read transaction (graph/prefetched.py):
                 the statement, then its COMMIT
  autocommit     the same statement as one auto-commit query (PLANKG_NEO4J_READS=autocommit,
                 graph/neo4j_reads.py): RUN and PULL in one flight
  primitives     the managed store with its prefetch_* methods hidden, so graph/engine.py runs over
                 get / descendants / edges_of / get_many, one managed read transaction each

each straight to Bolt on loopback and through a small asyncio TCP proxy (started here, stopped at
the end, and by itself after --max-seconds) that delays every chunk by --delay-ms in each
direction, so one round trip costs 2 × delay. "added RTT" is (delayed − direct) / (2 × delay):
how many round trips the question makes. The goal: delayed ≤ 1.5 × direct + one round trip.

Cases: per-plan questions (the answer's size does not grow with the graph: gen-plan-0000's
entities exist at every size) and a hub question (standards_for_industry of the most supported
industry, whose answer grows with the graph) — growth from the smallest to the largest size is
printed per case, for Neo4j and the embedded store.

Needs a Neo4j of its own (it deletes plankg's data in it): NEO4J_URI, NEO4J_USER, NEO4J_PASSWORD.

    python -m bench.query_latency [--sizes 10000,200000] [--delay-ms 5] [--repeats 9]
                                  [--modes managed,autocommit,primitives]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import multiprocessing
import os
import statistics
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from bench.synthetic import generate
from plankg.graph.engine import neighborhood, run_named_query
from plankg.graph.memory import MemoryStore
from plankg.graph.neo4j_store import Neo4jStore
from plankg.graph.store import GraphStore
from plankg.loaders.validate import validate_batch
from plankg.model import GraphBatch


# ---------------------------------------------------------------- the delaying proxy
async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, delay: float, count: Any) -> None:
    """Copy one direction, each chunk delivered `delay` after it was read, in order (pipelined)."""
    queue: asyncio.Queue[tuple[float, bytes]] = asyncio.Queue()

    async def deliver() -> None:
        while True:
            due, data = await queue.get()
            if not data:
                break
            await asyncio.sleep(max(0.0, due - time.monotonic()))
            writer.write(data)
            await writer.drain()
        writer.close()

    task = asyncio.create_task(deliver())
    with contextlib.suppress(ConnectionError):
        while data := await reader.read(65536):
            if count is not None:
                count.value += 1
            await queue.put((time.monotonic() + delay, data))
    await queue.put((0.0, b""))
    with contextlib.suppress(ConnectionError):
        await task


async def _proxy(target: tuple[str, int], delay: float, max_seconds: float, flights: Any, port: Any) -> None:
    async def connection(client_reader: asyncio.StreamReader, client_writer: asyncio.StreamWriter) -> None:
        server_reader, server_writer = await asyncio.open_connection(*target)
        await asyncio.gather(
            _pipe(client_reader, server_writer, delay, flights),
            _pipe(server_reader, client_writer, delay, None),
            return_exceptions=True,
        )

    server = await asyncio.start_server(connection, "127.0.0.1", 0)
    port.value = server.sockets[0].getsockname()[1]
    await asyncio.sleep(max_seconds)  # bounded: the proxy stops itself


def _proxy_main(target: tuple[str, int], delay: float, max_seconds: float, flights: Any, port: Any) -> None:
    asyncio.run(_proxy(target, delay, max_seconds, flights, port))


class DelayProxy:
    """TCP proxy on 127.0.0.1 adding `delay` seconds to every chunk in each direction, order kept.

    Runs in a child process of its own (so the client's GIL does not slow it), stopped by `close()`
    or after `max_seconds`. `flights` counts client-to-server chunks (about one per request sent).
    """

    def __init__(self, target_host: str, target_port: int, delay: float, max_seconds: float) -> None:
        context = multiprocessing.get_context("spawn")
        self._flights = context.Value("q", 0)
        port = context.Value("i", 0)
        target = (target_host, target_port)
        args = (target, delay, max_seconds, self._flights, port)
        self._process = context.Process(target=_proxy_main, args=args, daemon=True)
        self._process.start()
        deadline = time.monotonic() + 30
        while not port.value and time.monotonic() < deadline:
            time.sleep(0.05)
        if not port.value:
            self.close()
            raise RuntimeError("the delaying proxy did not start")
        self.port = int(port.value)

    @property
    def flights(self) -> int:
        return int(self._flights.value)

    def close(self) -> None:
        self._process.terminate()
        self._process.join(10)


# ---------------------------------------------------------------- stores and cases
class Primitives:
    """A store without its one-statement methods: graph/engine.py then reads through the primitives."""

    def __init__(self, store: GraphStore) -> None:
        self._store = store

    def __getattr__(self, name: str) -> Any:
        if name.startswith("prefetch_"):
            raise AttributeError(name)
        return getattr(self._store, name)


Case = tuple[str, Callable[[Any], Any]]
PING = "RETURN 1 AS one"


def _ping(store: Any) -> None:
    """One auto-commit statement: a single client flight, the unit a round trip is counted in."""
    with store._driver.session(database=store.database) as session:
        session.run(PING).consume()


def cases(batch: GraphBatch) -> list[Case]:
    """Per-plan questions about gen-plan-0000 (same size at every graph size) and one hub question."""
    first = {
        t: next(n.id for n in batch.nodes if n.type == t and n.id.startswith("gen-plan-0000"))
        for t in ("Goal", "Measure", "Standard", "Document")
    }
    supported = Counter(e.target for e in batch.edges if e.relation == "supports_industry")
    hub = supported.most_common(1)[0][0]
    plan = next(n.id for n in batch.nodes if n.type == "Plan" and "gen-plan-0000" in n.id)

    def query(name: str, **params: str) -> Callable[[Any], Any]:
        return lambda store: run_named_query(store, name, dict(params))

    return [
        ("goals_of_plan", query("goals_of_plan", plan=plan)),
        ("measures_for_goal", query("measures_for_goal", goal=first["Goal"])),
        ("indicators_for_goal", query("indicators_for_goal", goal=first["Goal"])),
        ("goals_for_measure", query("goals_for_measure", measure=first["Measure"])),
        ("industries_for_standard", query("industries_for_standard", standard=first["Standard"])),
        ("document_statements", query("document_statements", document=first["Document"])),
        ("neighbourhood depth 2", lambda store: neighborhood(store, first["Goal"], depth=2, limit=200)),
        ("paths goal→measure", lambda store: store.shortest_paths(first["Goal"], first["Measure"], 4)),
        (f"standards_for_industry (hub {hub})", query("standards_for_industry", industry=hub)),
    ]


def _canonical(answer: Any) -> Any:
    """An answer (a list of items or paths, or a subgraph) as plain data, to compare stores."""
    if isinstance(answer, list):
        return [item.to_dict() for item in answer]
    return answer.to_dict()


def _size(answer: Any) -> str:
    """How big an answer is: items or paths, or a subgraph's nodes and edges."""
    if isinstance(answer, list):
        return str(len(answer))
    return f"{len(answer['nodes'])}n/{len(answer['edges'])}e"


def _load() -> str:
    """The 1-, 5- and 15-minute load averages (the machine is shared)."""
    return " / ".join(f"{figure:.2f}" for figure in os.getloadavg())


def median_ms(call: Callable[[], Any], repeats: int) -> float:
    call()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        call()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def neo4j_store(uri: str, reads: str = "managed") -> Neo4jStore:
    return Neo4jStore(
        uri, os.environ.get("NEO4J_USER", "neo4j"), os.environ["NEO4J_PASSWORD"], reads=reads, load_timeout=3600.0
    )


MODES = ("managed", "autocommit", "primitives")
"""Ways of asking, each on its own three stores (direct, proxy +0, proxy +delay): see the module doc."""


def run(sizes: list[int], delay_ms: float, repeats: int, max_seconds: float, memory: bool, modes: list[str]) -> None:
    uri = os.environ["NEO4J_URI"]
    parts = urlsplit(uri)
    host, port = parts.hostname or "127.0.0.1", parts.port or 7687
    plain = DelayProxy(host, port, 0.0, max_seconds)
    proxy = DelayProxy(host, port, delay_ms / 1000, max_seconds)
    stores = {
        mode: tuple(
            neo4j_store(address, "autocommit" if mode == "autocommit" else "managed")
            for address in (uri, f"{parts.scheme}://127.0.0.1:{plain.port}", f"{parts.scheme}://127.0.0.1:{proxy.port}")
        )
        for mode in modes
    }
    direct, hop, delayed = stores[modes[0]]
    growth: dict[tuple[str, str], list[float]] = {}
    answer_sizes: dict[str, dict[int, str]] = {}
    try:
        for size in sizes:
            batch = validate_batch(generate(size, seed=7))
            direct.clear()
            started = time.perf_counter()
            direct.upsert(batch)
            loaded = time.perf_counter() - started
            # Reads right after a large commit are slow for a while (see bench/README.md); measured here
            # as passes over the cases, repeated (at most 20) while a pass is under half the one before.
            settle, passes = time.perf_counter(), []
            while len(passes) < 2 or (passes[-2] > 2 * passes[-1] and len(passes) < 20):
                started = time.perf_counter()
                for _, ask in cases(batch):
                    ask(direct)
                passes.append(time.perf_counter() - started)
            print(f"\n## {size:,} elements (Neo4j load {loaded:.1f} s; load average {_load()})\n")
            print(
                f"Passes over the cases right after the load: {', '.join(f'{p:.2f}' for p in passes)} s "
                f"(settled after {time.perf_counter() - settle:.1f} s).\n"
            )
            # One round trip on this link as it really is (asyncio timers overshoot the nominal delay a little):
            # one auto-commit statement (RUN and PULL in one flight) through both proxies. A managed read adds
            # its COMMIT's round trip to that.
            for trio in stores.values():  # each store's one-off set-up (schema check, connection) before counting
                for store in trio:
                    store._ensure_schema()
                    store.ping()
            rtt = median_ms(lambda: _ping(delayed), 3 * repeats)
            rtt -= median_ms(lambda: _ping(hop), 3 * repeats)
            print(f"One round trip through the +{delay_ms:g} ms proxy: {rtt:.1f} ms (nominal {2 * delay_ms:g} ms).\n")
            print(
                f"| case | mode | direct ms | proxy +0 ms | proxy +{delay_ms:g} ms | added RTT | client flights "
                "| ≤ 1.5 × direct + RTT | ≤ 1.5 × proxy+0 + RTT |"
            )
            print("|---|---|---|---|---|---|---|---|---|")
            answers: dict[tuple[str, str], Any] = {}
            for name, ask in cases(batch):
                for mode in modes:
                    wrap: Callable[[Any], Any] = Primitives if mode == "primitives" else (lambda s: s)
                    near, plain_hop, far = stores[mode]
                    fast = median_ms(lambda ask=ask, wrap=wrap, s=near: ask(wrap(s)), repeats)
                    base = median_ms(lambda ask=ask, wrap=wrap, s=plain_hop: ask(wrap(s)), repeats)
                    before = proxy.flights
                    slow = median_ms(lambda ask=ask, wrap=wrap, s=far: ask(wrap(s)), repeats)
                    flights = (proxy.flights - before) / (repeats + 1)
                    verdicts = ["met" if slow <= 1.5 * ref + rtt else "not met" for ref in (fast, base)]
                    print(
                        f"| {name} | {mode} | {fast:.1f} | {base:.1f} | {slow:.1f} | {(slow - base) / rtt:.2f} | "
                        f"{flights:.1f} | {verdicts[0]} | {verdicts[1]} |"
                    )
                    answers[(mode, name)] = _canonical(ask(wrap(near)))
                    if mode != "primitives":
                        growth.setdefault((f"neo4j {mode}", name.split(" (")[0]), []).append(fast)
                        answer_sizes.setdefault(name.split(" (")[0], {})[size] = _size(answers[(mode, name)])
            print(f"\nLoad average after the table: {_load()}.")
            if memory:
                with tempfile.TemporaryDirectory() as tmp:
                    embedded = MemoryStore(Path(tmp) / "graph.json")
                    started = time.perf_counter()
                    embedded.upsert(batch)
                    print(f"Embedded store load {time.perf_counter() - started:.1f} s.")
                    differ = []
                    for name, ask in cases(batch):
                        fast = median_ms(lambda ask=ask, store=embedded: ask(store), repeats)
                        growth.setdefault(("embedded", name.split(" (")[0]), []).append(fast)
                        expected = _canonical(ask(embedded))
                        differ += [f"{name} ({mode})" for mode in modes if answers[(mode, name)] != expected]
                    embedded.close()
                print(f"Answers equal to the embedded store's: {'all' if not differ else 'NOT ' + ', '.join(differ)}.")
        if len(sizes) > 1:
            print(f"\n| store | case | {' | '.join(f'{s:,} ms' for s in sizes)} | growth | answer size |")
            print("|---|---|" + "---|" * len(sizes) + "---|---|")
            for (store, name), figures in growth.items():
                cells = " | ".join(f"{f:.2f}" for f in figures)
                answered = " → ".join(answer_sizes.get(name, {}).get(size, "?") for size in sizes)
                print(f"| {store} | {name} | {cells} | {figures[-1] / figures[0]:.2f}× | {answered} |")
    finally:
        for trio in stores.values():
            for store in trio:
                store.close()
        plain.close()
        proxy.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10000,200000", help="comma-separated element counts")
    parser.add_argument("--delay-ms", type=float, default=5.0, help="added delay per direction")
    parser.add_argument("--repeats", type=int, default=9)
    parser.add_argument("--max-seconds", type=float, default=3600, help="the proxy stops itself after this")
    parser.add_argument("--no-memory", action="store_true", help="skip the embedded store")
    parser.add_argument("--modes", default=",".join(MODES), help=f"comma-separated, of {', '.join(MODES)}")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    modes = [m for m in args.modes.split(",") if m]
    if not modes or set(modes) - set(MODES):
        parser.error(f"--modes takes a comma-separated list of {', '.join(MODES)}")
    run(sizes, args.delay_ms, args.repeats, args.max_seconds, not args.no_memory, modes)


if __name__ == "__main__":
    main()
