"""Start a real `plankg serve` (uvicorn) on loopback, wait for /ready, ask it questions, stop it."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from plankg.graph.memory import MemoryStore
from plankg.loaders import prepare

FIXTURE = Path(__file__).resolve().parent / "data" / "api_plan.yaml"
TOKEN = "smoke-token"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def plankg_command() -> list[str]:
    script = Path(sys.executable).parent / "plankg"
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "from plankg.cli.main import main; main()"]


def wait_ready(base: str, process: subprocess.Popen[str], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"plankg serve exited with {process.returncode}: {process.stderr.read()[-2000:]}")
        try:
            if httpx.get(f"{base}/ready", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise AssertionError("plankg serve did not become ready in time")


@contextmanager
def serving(tmp_path: Path, *options: str, env: dict[str, str] | None = None) -> Iterator[tuple[str, Served]]:
    """`plankg serve` on a free loopback port over the test plan, ready; stopped (by its pid) on the way out,
    its stdout and stderr then in the yielded Served."""
    db = tmp_path / "graph.json"
    store = MemoryStore(db)
    store.upsert(prepare([FIXTURE], store.known_types))
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    environment = {key: value for key, value in os.environ.items() if key not in ("NEO4J_URI", "PLANKG_STORE")}
    process = subprocess.Popen(
        [*plankg_command(), "serve", "--port", str(port), "--db", str(db), *options],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**environment, **(env or {})},
    )
    served = Served(process)
    try:
        wait_ready(base, process)
        yield base, served
    finally:
        process.terminate()
        try:
            served.stdout, served.stderr = process.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            served.stdout, served.stderr = process.communicate()


@dataclass
class Served:
    """The serving process, and what it printed once stopped."""

    process: subprocess.Popen[str]
    stdout: str = ""
    stderr: str = ""


@pytest.mark.timeout(180)
def test_serve_answers_over_http(tmp_path: Path) -> None:
    with serving(tmp_path, env={"PLANKG_API_TOKEN": TOKEN}) as (base, served):
        port = base.rsplit(":", 1)[1]
        with httpx.Client(base_url=base, timeout=10) as client:
            ready = client.get("/ready").json()
            assert (ready["store"], ready["nodes"]) == ("memory", 15)
            answer = client.get("/api/v1/queries/standards_for_industry", params={"industry": "industry.healthcare"})
            assert answer.status_code == 200
            assert {item["entity"]["id"] for item in answer.json()["items"]} == {
                "test-plan.std.medical",
                "test-plan.std.hospital-network",
            }
            assert client.get("/api/v1/entities/industry.none").json()["error"]["code"] == "not_found"
            assert client.get("/openapi.json").json()["info"]["title"] == "plankg API"
            refused = client.post("/api/v1/loads", files={"file": ("x.yaml", b"plankg: 1\n")})
            assert refused.status_code == 401
    assert f"plankg API on http://127.0.0.1:{port} — explorer at /, docs at /docs" in served.stdout
    access = [line for line in served.stderr.splitlines() if line.startswith("{") and '"path":"/ready"' in line]
    assert access, served.stderr[-2000:]
    assert "Traceback" not in served.stderr


def _children(pid: int) -> list[int]:
    """Processes whose parent is `pid` (Linux /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


@pytest.mark.timeout(180)
@pytest.mark.skipif(not Path("/proc/self/maps").exists(), reason="reads worker processes from Linux /proc")
def test_serve_with_workers_answers_from_uvloop_workers(tmp_path: Path) -> None:
    """`plankg serve --workers 2` starts two worker processes that answer, each on uvloop: asyncio's own loop
    leaves Nagle on for the socket the workers share, and every response then waited for a delayed ACK."""
    with serving(tmp_path, "--workers", "2") as (base, served):
        with httpx.Client(base_url=base, timeout=10) as client:
            for _ in range(20):
                answer = client.get(
                    "/api/v1/queries/standards_for_industry", params={"industry": "industry.healthcare"}
                )
                assert answer.status_code == 200 and len(answer.json()["items"]) == 2
        children = _children(served.process.pid)
        workers = [pid for pid in children if "spawn_main" in Path(f"/proc/{pid}/cmdline").read_text()]
        assert len(workers) == 2, workers
        for pid in workers:
            assert "uvloop" in Path(f"/proc/{pid}/maps").read_text(), f"worker {pid} runs without uvloop"
