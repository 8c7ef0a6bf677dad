"""A bounded HTTP load test of the read API: N concurrent clients for D seconds, then it stops by itself.

By default it starts everything it needs on loopback and tears it down again: a private
Neo4j dev server (tools/neo4j-server with its own PLANKG_NEO4J_HOME in a temp dir), the
bundled plan loaded with `plankg load --store neo4j`, and `plankg serve --store neo4j`.
With --base-url it load-tests a running API instead (--server-pid to measure its memory).

Clients (httpx, asyncio) pick requests from a fixed mix over the read endpoints — search,
entity, neighbors, the named queries, paths, schema — with ids taken from the loaded plan.
It reports total requests, errors (any non-200 or transport error), throughput, latency
p50/p95/p99 per endpoint and overall, and the server's RSS at start and end; it exits 1
when there were errors.

    .venv/bin/python -m bench.load_test --clients 50 --duration 60
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def rss_mib(pid: int) -> float | None:
    """Resident memory of a process in MiB, from /proc (None when unknown)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


@contextmanager
def local_stack(port: int) -> Iterator[tuple[str, int | None]]:
    """A private Neo4j dev server with the bundled plan and `plankg serve --store neo4j`; yields (url, pid)."""
    home = Path(tempfile.mkdtemp(prefix="plankg-loadtest-"))
    script = str(ROOT / "tools" / "neo4j-server")
    server_env = {**os.environ, "PLANKG_NEO4J_HOME": str(home)}
    server_env.setdefault("NEO4J_HEAP", "1g")
    api: subprocess.Popen[bytes] | None = None
    try:
        print("starting a private Neo4j dev server ...", file=sys.stderr)
        started = subprocess.run([script, "start"], env=server_env, capture_output=True, text=True, check=False)
        if started.returncode != 0:
            raise SystemExit(f"the Neo4j dev server did not start:\n{started.stderr[-2000:]}")
        values = dict(line.split("=", 1) for line in started.stdout.splitlines() if "=" in line)
        env = {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "PLANKG_"))}
        env.update(values)
        load = subprocess.run(
            [sys.executable, "-m", "plankg.cli", "load", "--store", "neo4j"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if load.returncode != 0:
            raise SystemExit(f"plankg load failed:\n{load.stderr[-2000:]}")
        print(load.stdout.strip(), file=sys.stderr)
        api = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "plankg.cli",
                "serve",
                "--store",
                "neo4j",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            if api.poll() is not None:
                raise SystemExit("plankg serve exited during startup")
            try:
                if httpx.get(url + "/ready", timeout=5).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise SystemExit("plankg serve did not become ready within 60 s")
            time.sleep(0.1)
        yield url, api.pid
    finally:
        if api is not None and api.poll() is None:
            api.terminate()
            try:
                api.wait(timeout=15)
            except subprocess.TimeoutExpired:
                api.kill()
                api.wait()
        subprocess.run([script, "stop"], env=server_env, capture_output=True, check=False)
        subprocess.run(["rm", "-rf", str(home)], check=False)


@contextmanager
def existing(url: str, pid: int | None) -> Iterator[tuple[str, int | None]]:
    """A running API: nothing to start or stop."""
    yield url.rstrip("/"), pid


def request_mix(base: str) -> list[tuple[str, str]]:
    """(endpoint name, path) pairs covering the read endpoints, with ids from the loaded graph."""
    with httpx.Client(base_url=base, timeout=30) as client:

        def ids(type_name: str, limit: int = 50) -> list[str]:
            page = client.get("/api/v1/entities", params={"type": type_name, "limit": limit})
            page.raise_for_status()
            return [item["id"] for item in page.json()["items"]]

        queries = client.get("/api/v1/queries").json()["items"]
        types = {p["type"] for q in queries for p in q["parameters"] if p["name"] != "include_unconfirmed"}
        by_type = {type_name: ids(type_name) for type_name in sorted(types)}
        everything = [item["id"] for item in client.get("/api/v1/entities", params={"limit": 500}).json()["items"]]
    rng = random.Random(0)
    mix: list[tuple[str, str]] = []
    for term in ("5G", "医疗", "standard", "智慧", "industry", "health", "平台", "network"):
        mix.append(("search", f"/api/v1/entities?q={term}"))
    for entity_id in rng.sample(everything, min(20, len(everything))):
        mix.append(("entity", f"/api/v1/entities/{entity_id}"))
        mix.append(("neighbors", f"/api/v1/entities/{entity_id}/neighbors"))
    for query in queries:
        param = next(p for p in query["parameters"] if p["name"] != "include_unconfirmed")
        for start in rng.sample(by_type[param["type"]], min(3, len(by_type[param["type"]]))):
            mix.append(("query", f"/api/v1/queries/{query['name']}?{param['name']}={start}"))
    industries, standards = by_type.get("Industry", []), by_type.get("Standard", [])
    for _ in range(10):
        if industries and standards:
            mix.append(
                ("paths", f"/api/v1/paths?from={rng.choice(standards)}&to={rng.choice(industries)}&max_length=4")
            )
    mix.append(("schema", "/api/v1/schema"))
    return mix


async def run_clients(
    base: str, mix: list[tuple[str, str]], clients: int, duration: float, timeout: float
) -> tuple[dict[str, list[float]], dict[str, int], list[str], float]:
    latencies: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, int] = defaultdict(int)
    samples: list[str] = []
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, timeout=timeout, limits=limits) as client:
        started = time.monotonic()
        deadline = started + duration

        async def worker(seed: int) -> None:
            rng = random.Random(seed)
            while time.monotonic() < deadline:
                name, path = rng.choice(mix)
                begun = time.perf_counter()
                try:
                    response = await client.get(path)
                    await response.aread()
                    ok = response.status_code == 200
                    problem = f"{response.status_code} {path}: {response.text[:200]}"
                except httpx.HTTPError as error:
                    ok, problem = False, f"{type(error).__name__} {path}: {error}"
                latencies[name].append(time.perf_counter() - begun)
                if not ok:
                    errors[name] += 1
                    if len(samples) < 10:
                        samples.append(problem)

        await asyncio.gather(*(worker(seed) for seed in range(clients)))
        elapsed = time.monotonic() - started
    return latencies, errors, samples, elapsed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.load_test", description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=50, help="concurrent clients (default 50)")
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of load (default 60)")
    parser.add_argument("--timeout", type=float, default=30.0, help="per-request timeout in seconds (default 30)")
    parser.add_argument("--base-url", help="test this running API instead of starting Neo4j + plankg serve")
    parser.add_argument("--server-pid", type=int, help="with --base-url: the server's pid, to report its RSS")
    parser.add_argument("--port", type=int, default=0, help="port for the API this script starts (default: free)")
    parser.add_argument("--json", action="store_true", help="print the figures as one JSON document")
    args = parser.parse_args(argv)

    stack = existing(args.base_url, args.server_pid) if args.base_url else local_stack(args.port or free_port())
    with stack as (base, pid):
        mix = request_mix(base)
        rss_start = rss_mib(pid) if pid else None
        print(
            f"{args.clients} clients for {args.duration:.0f}s against {base} ({len(mix)} distinct requests)",
            file=sys.stderr,
        )
        latencies, errors, samples, elapsed = asyncio.run(
            run_clients(base, mix, args.clients, args.duration, args.timeout)
        )
        rss_end = rss_mib(pid) if pid else None

    total = sum(len(v) for v in latencies.values())
    error_count = sum(errors.values())
    every = [x for values in latencies.values() for x in values]

    def row(values: list[float]) -> dict[str, float]:
        return {
            "requests": len(values),
            "p50_ms": percentile(values, 0.50) * 1000,
            "p95_ms": percentile(values, 0.95) * 1000,
            "p99_ms": percentile(values, 0.99) * 1000,
        }

    report = {
        "clients": args.clients,
        "duration_s": round(elapsed, 1),
        "requests": total,
        "errors": error_count,
        "throughput_rps": round(total / elapsed, 1),
        "endpoints": {
            name: {**row(values), "errors": errors.get(name, 0)} for name, values in sorted(latencies.items())
        },
        "overall": row(every),
        "server_rss_mib": {"start": rss_start, "end": rss_end},
        "error_samples": samples,
    }
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        print(
            f"requests {total}, errors {error_count}, throughput {report['throughput_rps']} req/s "
            f"over {elapsed:.1f}s with {args.clients} clients"
        )
        print(f"{'endpoint':<10} {'requests':>9} {'errors':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}")
        for name, figures in [*report["endpoints"].items(), ("overall", {**report["overall"], "errors": error_count})]:
            print(
                f"{name:<10} {figures['requests']:>9} {figures['errors']:>7} {figures['p50_ms']:>8.1f} "
                f"{figures['p95_ms']:>8.1f} {figures['p99_ms']:>8.1f}"
            )
        if rss_start is not None:
            print(f"server RSS: {rss_start:.1f} MiB at start, {rss_end:.1f} MiB at end")
        for sample in samples:
            print(f"error: {sample}")
    return 1 if error_count else 0


if __name__ == "__main__":
    raise SystemExit(main())
