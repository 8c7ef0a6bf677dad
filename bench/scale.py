"""Scale benchmarks for issue 15 ("a million elements"): loads, opening the embedded store, API workers.

    python -m bench.scale load   --sizes 20000,100000     # plankg load: elements/s, peak RSS; checks vs pyshacl
    python -m bench.scale open   --sizes 10000,1000000    # open + first answer: SQLite store vs the JSON file
    python -m bench.scale api    --elements 0 --seconds 15  # serve --workers 1 vs 2, /health vs a named query
                                                            # (its first page, the default, and the whole answer)
    python -m bench.scale api-cpu --elements 0              # server CPU per request of the same, in-process

Every figure is measured side by side in one run (the machine is shared: read the ratios).
Data comes from bench.synthetic; each command works in a temp folder and removes it.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.synthetic import generate
from plankg.graph.export import export_stream

ROOT = Path(__file__).resolve().parent.parent
PLANKG = [sys.executable, "-m", "plankg.cli"]


def machine() -> str:
    load = os.getloadavg()
    return (
        f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, "
        f"load average {load[0]:.1f} at the start"
    )


def write_csv(elements: int, path: Path) -> None:
    batch = generate(elements, seed=0)
    with path.open("w", encoding="utf-8", newline="") as handle:
        for chunk in export_stream(batch.nodes, batch.edges, "csv"):
            handle.write(chunk)


def run_command(args: list[str], env: dict[str, str]) -> dict[str, Any]:
    """Wall seconds, CPU seconds (user + system: what the command itself cost, which a busy shared machine
    does not inflate the way it inflates wall time), peak RSS (MB, GNU time's %M: the command's own, not the
    forking parent's) and stdout."""
    with tempfile.TemporaryFile("w+", encoding="utf-8") as out, tempfile.TemporaryFile("w+", encoding="utf-8") as err:
        started = time.perf_counter()
        code = subprocess.call(
            ["/usr/bin/time", "-f", "maxrss_kb=%M cpu=%U+%S", *args], cwd=ROOT, env=env, stdout=out, stderr=err
        )
        seconds = time.perf_counter() - started
        out.seek(0)
        err.seek(0)
        errors = err.read()
        if code != 0:
            raise RuntimeError(f"{' '.join(args)} failed: {errors[-2000:]}")
        tail = errors.rsplit("maxrss_kb=", 1)[1].split()
        user, system = tail[1].removeprefix("cpu=").split("+")
        return {"wall": seconds, "cpu": float(user) + float(system), "rss": int(tail[0]) / 1024, "out": out.read()}


def timed(args: list[str], env: dict[str, str]) -> tuple[float, float, str]:
    """Wall seconds, peak RSS (MB) and stdout (see `run_command`)."""
    found = run_command(args, env)
    return found["wall"], found["rss"], found["out"]


def env_for(db: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "PLANKG_"))}
    env["PLANKG_DB"] = str(db)
    return env


# ------------------------------------------------------------------ goal 1: loads
def bench_load(sizes: list[int], oracle_size: int, keep: Path | None = None, repeats: int = 1) -> list[dict[str, Any]]:
    """`plankg load FILE.csv` into a new store, `repeats` times per size: medians of wall and CPU time, the
    largest peak RSS; elements/s by wall time and by CPU time (the latter is what to read on a busy machine)."""
    rows = []
    with tempfile.TemporaryDirectory(prefix="plankg-scale-") as folder:
        for size in sizes:
            data = Path(folder) / f"plan-{size}.csv"
            write_csv(size, data)
            db = Path(folder) / f"graph-{size}.db"
            runs = []
            load = os.getloadavg()[0]
            for _attempt in range(repeats):
                for leftover in Path(folder).glob(f"graph-{size}.db*"):
                    leftover.unlink()
                runs.append(run_command([*PLANKG, "load", str(data), "--json"], env_for(db)))
            wall = statistics.median(r["wall"] for r in runs)
            cpu = statistics.median(r["cpu"] for r in runs)
            rows.append(
                {
                    "elements": size,
                    "csv_mb": round(data.stat().st_size / 1e6, 1),
                    "runs": repeats,
                    "load_s": round(wall, 1),
                    "cpu_s": round(cpu, 1),
                    "elements_per_s": round(size / wall),
                    "elements_per_cpu_s": round(size / cpu),
                    "peak_rss_mb": round(max(r["rss"] for r in runs)),
                    "load_average": f"{load:.1f} → {os.getloadavg()[0]:.1f}",
                }
            )
            print(json.dumps(rows[-1], ensure_ascii=False), flush=True)
            data.unlink()
            if keep is not None:  # the loaded graph, for `api --db` (closed by the load: no WAL left)
                shutil.move(db, keep)
            for leftover in Path(folder).glob(f"graph-{size}.db*"):
                leftover.unlink()
    if oracle_size:
        rows.append(checks_vs_pyshacl(oracle_size))
        print(json.dumps(rows[-1]), flush=True)
    return rows


def checks_vs_pyshacl(size: int) -> dict[str, Any]:
    """The shape checks alone on one validated batch: compiled checks vs pyshacl, same process, same batch."""
    from plankg.loaders.checks import check_batch, compiled_shapes
    from plankg.loaders.shacl import check_shapes
    from plankg.loaders.validate import validate_batch

    batch = validate_batch(generate(size, seed=0))
    compiled_shapes()
    started = time.perf_counter()
    check_batch(batch)
    fast = time.perf_counter() - started
    started = time.perf_counter()
    check_shapes(batch)
    oracle = time.perf_counter() - started
    return {
        "shape_checks_elements": size,
        "fast_s": round(fast, 2),
        "pyshacl_s": round(oracle, 2),
        "fast_elements_per_s": round(size / fast),
        "pyshacl_elements_per_s": round(size / oracle),
        "speedup": round(oracle / fast, 1),
    }


# ------------------------------------------------------------------ goal 2: open + first answer
def json_open(path: Path) -> float:
    """What the former embedded store did on every open: parse the JSON file into networkx (seconds)."""
    import networkx as nx

    from plankg.model import Edge, Node

    started = time.perf_counter()
    data = json.loads(path.read_text(encoding="utf-8"))
    graph = nx.MultiDiGraph()
    for item in data["nodes"]:
        node = Node.from_dict(item)
        graph.add_node(node.id, node=node)
    for item in data["edges"]:
        edge = Edge.from_dict(item)
        graph.add_edge(edge.source, edge.target, key=edge.relation, edge=edge)
    return time.perf_counter() - started


def bench_open(sizes: list[int], repeats: int) -> list[dict[str, Any]]:
    from plankg.graph.memory import JSON_FORMAT, MemoryStore

    rows = []
    with tempfile.TemporaryDirectory(prefix="plankg-scale-") as folder:
        for size in sizes:
            db = Path(folder) / f"graph-{size}.db"
            store = MemoryStore(db)
            store.upsert(generate(size, seed=0))
            industry = max(
                (n.id for n in store.iter_nodes("Industry")),
                key=lambda i: len(store.edges_of([i], "supports_industry", "in")),
            )
            old = Path(folder) / f"graph-{size}.json"
            with old.open("w", encoding="utf-8") as handle:
                json.dump(
                    {
                        "format": JSON_FORMAT,
                        "nodes": [n.to_dict() for n in store.iter_nodes()],
                        "edges": [e.to_dict() for e in store.iter_edges()],
                    },
                    handle,
                    ensure_ascii=False,
                )
            store.close()
            env = env_for(db)
            stats = [timed([*PLANKG, "stats", "--json"], env) for _ in range(repeats)]
            query = [
                timed([*PLANKG, "query", "standards_for_industry", "--industry", industry, "--json"], env)
                for _ in range(repeats)
            ]
            row = {
                "elements": size,
                "db_mb": round(sum(p.stat().st_size for p in Path(folder).glob(f"graph-{size}.db*")) / 1e6, 1),
                "json_mb": round(old.stat().st_size / 1e6, 1),
                "cli_stats_s": round(statistics.median(s for s, _r, _o in stats), 2),
                "cli_stats_rss_mb": round(max(r for _s, r, _o in stats)),
                "cli_query_s": round(statistics.median(s for s, _r, _o in query), 2),
                "cli_query_rss_mb": round(max(r for _s, r, _o in query)),
                "inprocess_open_stats_ms": round(_inprocess_open(db) * 1000, 1),
                "json_parse_s (former store's open)": round(json_open(old), 2),
            }
            rows.append(row)
            print(json.dumps(row), flush=True)
            old.unlink()
            for leftover in Path(folder).glob(f"graph-{size}.db*"):
                leftover.unlink()
    return rows


def _inprocess_open(db: Path) -> float:
    from plankg.graph.memory import MemoryStore

    started = time.perf_counter()
    store = MemoryStore(db)
    store.stats()
    seconds = time.perf_counter() - started
    store.close()
    return seconds


# ------------------------------------------------------------------ goal 5: API workers
def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _pids(pid: int) -> list[int]:
    """A process and its children (the uvicorn workers)."""
    try:
        return [pid, *(int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split())]
    except OSError:
        return [pid]


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a process and its children so far, from /proc."""
    total = 0
    for one in _pids(pid):
        try:
            fields = Path(f"/proc/{one}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime (clock ticks)
        except (OSError, IndexError, ValueError):
            continue
    return total / os.sysconf("SC_CLK_TCK")


def measured(url: str, clients: int, seconds: float, server: int) -> dict[str, Any]:
    """hammer(), plus the CPU cores the server's processes and this client used meanwhile: with both on
    the same two cores, what the client takes (and other jobs) bounds what more workers can add."""
    server_before, client_before = cpu_seconds(server), time.process_time()
    started = time.perf_counter()
    result = asyncio.run(hammer(url, clients, seconds))
    wall = time.perf_counter() - started
    result["server_cores"] = round((cpu_seconds(server) - server_before) / wall, 2)
    result["client_cores"] = round((time.process_time() - client_before) / wall, 2)
    return result


def rss_mb(pid: int) -> float:
    """RSS of a process and its children (the uvicorn workers), from /proc."""
    total = 0
    pids = [pid]
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        pids += [int(c) for c in children]
    except OSError:
        pass
    for one in pids:
        try:
            for line in Path(f"/proc/{one}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total / 1024


async def _get(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, request: bytes) -> int:
    """One keep-alive HTTP/1.1 GET over an open connection; the status code (the body is read and dropped)."""
    writer.write(request)
    await writer.drain()
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    length = 0
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":", 1)[1])
    await reader.readexactly(length)
    return status


async def hammer(url: str, clients: int, seconds: float) -> dict[str, Any]:
    """`clients` connections sending GETs back to back for `seconds`.

    A raw asyncio client (a few tens of microseconds per request) rather than httpx (milliseconds):
    on two cores the load generator shares the CPUs with the server, and a heavy client would be
    what is measured.
    """
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    request = f"GET {target} HTTP/1.1\r\nHost: {parts.netloc}\r\nAccept: application/json\r\n\r\n".encode()
    latencies: list[float] = []
    errors = 0
    deadline = time.perf_counter() + seconds

    async def client() -> None:
        nonlocal errors
        reader, writer = await asyncio.open_connection(parts.hostname, parts.port)
        try:
            while time.perf_counter() < deadline:
                started = time.perf_counter()
                try:
                    if await _get(reader, writer, request) != 200:
                        errors += 1
                except (OSError, asyncio.IncompleteReadError, ValueError):
                    errors += 1
                    writer.close()
                    reader, writer = await asyncio.open_connection(parts.hostname, parts.port)
                latencies.append(time.perf_counter() - started)
        finally:
            writer.close()

    started = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(clients)))
    elapsed = time.perf_counter() - started
    latencies.sort()
    return {
        "requests": len(latencies),
        "rps": round(len(latencies) / elapsed, 1),
        "p50_ms": round(latencies[len(latencies) // 2] * 1000, 1),
        "p99_ms": round(latencies[int(len(latencies) * 0.99) - 1] * 1000, 1),
        "errors": errors,
    }


def bench_api(
    elements: int,
    workers: list[int],
    clients: int,
    seconds: float,
    existing: Path | None = None,
    client_cpus: set[int] | None = None,
) -> list[dict[str, Any]]:
    from plankg.api.settings import MAX_PAGE_SIZE

    rows = []
    with tempfile.TemporaryDirectory(prefix="plankg-scale-") as folder:
        store, elements, industry = _bench_store(Path(folder), elements, existing)
        db = store.path
        store.close()
        for count in workers:
            port = free_port()
            server = subprocess.Popen(
                [*PLANKG, "serve", "--port", str(port), "--workers", str(count)],
                cwd=ROOT,
                env=env_for(db),
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                preexec_fn=lambda: os.sched_setaffinity(0, range(os.cpu_count() or 1)),  # the server: every core
            )
            if client_cpus:  # the load generator on these cores only, to show what it costs the server
                os.sched_setaffinity(0, client_cpus)
            try:
                base = f"http://127.0.0.1:{port}"
                _wait_ready(base, count)
                query = f"{base}/api/v1/queries/standards_for_industry?industry={industry}"
                asyncio.run(hammer(query, clients, min(seconds, 3)))  # warm every worker
                rss_before = rss_mb(server.pid)
                health = measured(f"{base}/health", clients, seconds, server.pid)
                named = measured(query, clients, seconds, server.pid)  # the first page (the API's default)
                whole = measured(f"{query}&limit={MAX_PAGE_SIZE}", clients, seconds, server.pid)
                rss_after = rss_mb(server.pid)
                row = {
                    "graph": f"synthetic {elements}" if elements else "bundled plans",
                    "workers": count,
                    "clients": clients,
                    "health": health,
                    "named_query": named,
                    "whole_answer": whole,
                    "query/health rps": round(named["rps"] / health["rps"], 2),
                    "whole/health rps": round(whole["rps"] / health["rps"], 2),
                    "query/health per server core": _per_core(named, health),
                    "query p99/p50": round(named["p99_ms"] / named["p50_ms"], 1),
                    "rss_mb before/after": [round(rss_before), round(rss_after)],
                }
                rows.append(row)
                print(json.dumps(row), flush=True)
            finally:
                server.terminate()
                server.wait(timeout=60)
    return rows


def _bench_store(folder: Path, elements: int, existing: Path | None) -> tuple[Any, int, str]:
    """The embedded store the API benches serve — `existing`, or `elements` synthetic elements (0: the
    bundled plans) loaded into `folder` — with its size and the industry the named query asks about."""
    from plankg.graph.memory import MemoryStore
    from plankg.loaders import bundled_paths, prepare

    store = MemoryStore(existing or folder / "graph.db")
    if existing is None:
        store.upsert(generate(elements, seed=0) if elements else prepare(bundled_paths()))
    else:
        elements = store.stats()["nodes"] + store.stats()["edges"]
    return store, elements, _most_supported_industry(store)


def _most_supported_industry(store: Any) -> str:
    """The industry with the most supporting standards: the named query's heaviest first page."""
    return max(
        (n.id for n in store.iter_nodes("Industry")),
        key=lambda i: len(store.edges_of([i], "supports_industry", "in")),
    )


async def _asgi_get(app: Any, path: str, query: str) -> tuple[int, int]:
    """One GET through the app's ASGI interface, in this thread: status and body length."""
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": query.encode(),
        "root_path": "",
        "headers": [(b"host", b"bench"), (b"accept", b"application/json")],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 80),
    }
    status, length = 0, 0

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        nonlocal status, length
        if message["type"] == "http.response.start":
            status = message["status"]
        elif message["type"] == "http.response.body":
            length += len(message.get("body", b""))

    await app(scope, receive, send)
    return status, length


def bench_request_cpu(
    elements: int, existing: Path | None = None, batches: int = 3, requests: int = 300
) -> list[dict[str, Any]]:
    """Server CPU per request, in-process: the app called through ASGI, timed by `time.process_time`
    (this process's CPU in all its threads: /health is a plain `def` route that FastAPI runs on its
    threadpool; other processes' use of the cores does not count, unlike wall time), for /health, the
    named query's first page and its whole answer. Per batch the mean over `requests`; the median and
    range over `batches`. uvicorn's HTTP parsing (the same for every path) is not in it."""
    import logging

    from plankg.api.access_log import configure_access_log
    from plankg.api.app import create_app
    from plankg.api.settings import MAX_PAGE_SIZE

    with tempfile.TemporaryDirectory(prefix="plankg-scale-") as folder, open(os.devnull, "w") as null:
        store, elements, industry = _bench_store(Path(folder), elements, existing)
        for name in ("plankg.access", "plankg.api"):  # the access log written, as a server's (to /dev/null)
            if not logging.getLogger(name).handlers:
                logging.getLogger(name).addHandler(logging.StreamHandler(null))
        configure_access_log()
        app = create_app(store)
        path = "/api/v1/queries/standards_for_industry"
        cases = {
            "health": ("/health", ""),
            "page": (path, f"industry={industry}"),
            "whole": (path, f"industry={industry}&limit={MAX_PAGE_SIZE}"),
        }
        loop = asyncio.new_event_loop()
        found: dict[str, list[float]] = {name: [] for name in cases}
        sizes: dict[str, int] = {}
        try:
            for name, (where, query) in cases.items():  # warm: imports, caches, SQLite pages
                for _ in range(20):
                    status, sizes[name] = loop.run_until_complete(_asgi_get(app, where, query))
                    if status != 200:
                        raise RuntimeError(f"{where}?{query} answered {status}")
            for _batch in range(batches):
                for name, (where, query) in cases.items():
                    started = time.process_time()
                    for _ in range(requests):
                        loop.run_until_complete(_asgi_get(app, where, query))
                    found[name].append((time.process_time() - started) / requests * 1000)
        finally:
            loop.close()
            store.close()
    rows = []
    for name, times in found.items():
        rows.append(
            {
                "graph": f"synthetic {elements}" if elements else "bundled plans",
                "request": name,
                "cpu_ms median": round(statistics.median(times), 3),
                "cpu_ms range": [round(min(times), 3), round(max(times), 3)],
                "body_bytes": sizes[name],
            }
        )
        print(json.dumps(rows[-1]), flush=True)
    return rows


def _per_core(one: dict[str, Any], other: dict[str, Any]) -> float | None:
    """The rps ratio per CPU core the server got: what the ratio would be on cores of its own."""
    if not one["server_cores"] or not other["server_cores"]:
        return None
    return round((one["rps"] / one["server_cores"]) / (other["rps"] / other["server_cores"]), 2)


def _wait_ready(base: str, workers: int) -> None:
    import httpx

    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/health", timeout=5).status_code == 200:
                time.sleep(2.0 * workers)  # the other workers finish starting
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"{base} did not answer within 300 s")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.scale", description=__doc__.split("\n\n")[0])
    parser.add_argument("what", choices=("load", "open", "api", "api-cpu"))
    parser.add_argument("--sizes", default="20000,100000", help="comma-separated element counts")
    parser.add_argument("--oracle-size", type=int, default=5000, help="batch size for checks vs pyshacl")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--elements", type=int, default=0, help="api: synthetic graph size (0: the bundled plans)")
    parser.add_argument("--workers", default="1,2")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--keep", type=Path, default=None, help="load: keep the (last) loaded graph at this path")
    parser.add_argument("--db", type=Path, default=None, help="api: serve this existing graph")
    parser.add_argument("--requests", type=int, default=300, help="api-cpu: requests per batch (--repeats batches)")
    parser.add_argument("--client-cpus", default="", help="api: pin the load generator to these cores (e.g. 1)")
    args = parser.parse_args(argv)
    print(f"machine: {machine()}", flush=True)
    sizes = [int(s) for s in args.sizes.split(",") if s]
    if args.what == "load":
        bench_load(sizes, args.oracle_size, args.keep, args.repeats)
    elif args.what == "open":
        bench_open(sizes, args.repeats)
    elif args.what == "api-cpu":
        bench_request_cpu(args.elements, args.db, args.repeats, args.requests)
    else:
        pinned = {int(c) for c in args.client_cpus.split(",") if c}
        bench_api(args.elements, [int(w) for w in args.workers.split(",")], args.clients, args.seconds, args.db, pinned)
    print(f"self peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
