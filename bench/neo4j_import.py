"""The Neo4j load ceiling: `neo4j-admin database import full` of the data plankg loads.

Writes a synthetic batch (bench/synthetic.py, validated as plankg's load does) in the bulk
importer's CSV header format with exactly the labels and property values plankg's Neo4j store
writes (graph/neo4j_store.py node_properties / edge_properties: the owner label plus the type
label, `id`, `label_en`/`label_zh`, `status`, `_search`, the provenance lists as string arrays,
ontology properties with their Neo4j types, dates as `date`; relationship types from the
ontology, each with `graph`, `status` and the provenance arrays), then times the importer
writing a fresh database directory, and prints elements/s (medians over the runs).

The importer is the one of the dev server's Neo4j (org.neo4j:neo4j-import-tool and
org.neo4j:neo4j-command-line, run as `org.neo4j.cli.AdminTool database import full`): the
org.neo4j:neo4j artifact tools/neo4j-server builds its launcher from already brings both, so
its target/lib is used (`tools/neo4j-server build`, Maven, runs only when that has no importer)
and the version is the server's.
Everything it writes goes under build/neo4j-import/ (git-ignored).

With --check (the default) the last import of each size is opened by a dev server (the launcher
of tools/neo4j-server on that directory, a private port, stopped afterwards): its counts must be
the batch's, plankg's constraint and indexes are built on it (timed: the importer builds no
index, while plankg's load keeps them up to date), and every node and edge read back through
plankg's Neo4jStore must equal the batch's.

    python -m bench.neo4j_import [--elements 100000,1000000] [--runs 3] [--no-check]
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
WORK = ROOT / "build" / "neo4j-import"
DEVSERVER = ROOT / "tools" / "neo4j-devserver" / "target"
ADMIN_TOOL = "org.neo4j.cli.AdminTool"
DEV_SERVER = "plankg.devserver.DevServer"
ARRAY_DELIMITER = "\x1f"
"""Between array elements and between labels (U+001F never occurs in plan text)."""
DONE = re.compile(r"IMPORT DONE in (?:(\d+)m )?(?:(\d+)s )?(\d+)ms")
IMPORTED = re.compile(r"^\s+(\d+) (nodes|relationships|properties)\s*$", re.MULTILINE)
PEAK = re.compile(r"Peak memory usage: ([\d.]+\s*\w+)")


# ---------------------------------------------------------------- the importer
@dataclass(frozen=True)
class Importer:
    """The importer's classpath and Neo4j version."""

    classpath: str
    version: str


def locate_importer() -> Importer:
    """The dev server's Neo4j jars, built once by `tools/neo4j-server build` (Maven) when missing.

    Only when missing: a rebuild replaces target/lib, which dev servers of other checkouts may be using.
    """
    lib = DEVSERVER / "lib"
    if not list(lib.glob("neo4j-import-tool-*.jar")):
        subprocess.run([str(ROOT / "tools" / "neo4j-server"), "build"], check=True, stdout=subprocess.DEVNULL)
    found = sorted(lib.glob("neo4j-import-tool-*.jar"))
    if not found or not list(lib.glob("neo4j-command-line-*.jar")):
        raise SystemExit(f"no neo4j-import-tool / neo4j-command-line jar in {lib}")
    version = found[-1].name.removeprefix("neo4j-import-tool-").removesuffix(".jar")
    return Importer(f"{DEVSERVER / 'classes'}{os.pathsep}{lib / '*'}", version)


# ---------------------------------------------------------------- the CSV files
def _csv_type(value: Any) -> str:
    """The importer's column type of a property value plankg sends (as the driver would type it)."""
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "long"
    if isinstance(value, float):
        return "double"
    if isinstance(value, str):
        return "string"
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return "date"
    if isinstance(value, list) and value:
        kinds = {_csv_type(item) for item in value}
        if len(kinds) == 1:
            return kinds.pop() + "[]"
    raise ValueError(f"no importer column type for {value!r:.80}")


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, list):
        items = [_text(item) for item in value]
        if any(ARRAY_DELIMITER in item for item in items):
            raise ValueError("a value holds the array delimiter U+001F")
        return ARRAY_DELIMITER.join(items)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


@dataclass
class CsvFiles:
    """The files written for one batch, by kind, and what they hold."""

    nodes: list[Path] = field(default_factory=list)
    relationships: list[Path] = field(default_factory=list)
    node_count: int = 0
    edge_count: int = 0
    size: int = 0


def _write_groups(directory: Path, prefix: str, rows: dict[tuple[Any, ...], list[list[str]]]) -> list[Path]:
    """One file per header (a header is the group key's column names)."""
    paths = []
    for number, (header, body) in enumerate(sorted(rows.items(), key=lambda item: item[0])):
        path = directory / f"{prefix}-{number:03d}.csv"
        with path.open("w", encoding="utf-8", newline="") as out:
            writer = csv.writer(out, lineterminator="\n")
            writer.writerow(header)
            writer.writerows(body)
        paths.append(path)
    return paths


def write_csv(batch: Any, directory: Path, owner: str) -> CsvFiles:
    """The batch as importer CSVs: a node file per (labels, property columns), one per relationship shape.

    Values come from plankg's own node_properties / edge_properties, so they are what its loader
    sends; a property whose values differ in type between nodes (e.g. int and float targets)
    puts those nodes in different files, each column typed as the driver types the value.
    """
    from plankg.graph.neo4j_store import edge_properties, node_properties
    from plankg.ontology.schema import load_schema

    schema = load_schema()
    shutil.rmtree(directory, ignore_errors=True)
    directory.mkdir(parents=True)
    node_rows: dict[tuple[Any, ...], list[list[str]]] = {}
    for node in batch.nodes:
        props = node_properties(node)
        keys = sorted(key for key in props if key != "id")
        header = (
            "id:ID",
            ":LABEL",
            *(f"{key}:{_csv_type(props[key])}" for key in keys),
        )
        labels = _text([owner, schema.node_types[node.type].neo4j_label])
        node_rows.setdefault(header, []).append([node.id, labels, *(_text(props[key]) for key in keys)])
    edge_rows: dict[tuple[Any, ...], list[list[str]]] = {}
    for edge in batch.edges:
        props = edge_properties(edge, owner)
        keys = sorted(props)
        header = (":START_ID", ":END_ID", ":TYPE", *(f"{key}:{_csv_type(props[key])}" for key in keys))
        rel_type = schema.relation_types[edge.relation].neo4j_type
        edge_rows.setdefault(header, []).append(
            [edge.source, edge.target, rel_type, *(_text(props[key]) for key in keys)]
        )
    files = CsvFiles(
        nodes=_write_groups(directory, "nodes", node_rows),
        relationships=_write_groups(directory, "relationships", edge_rows),
        node_count=len(batch.nodes),
        edge_count=len(batch.edges),
    )
    files.size = sum(path.stat().st_size for path in [*files.nodes, *files.relationships])
    return files


# ---------------------------------------------------------------- one import
@dataclass(frozen=True)
class ImportResult:
    """One import: process wall time, the importer's own time, its counts and peak memory."""

    wall: float
    importer: float
    nodes: int
    relationships: int
    properties: int
    peak_memory: str
    home: Path


def run_import(importer: Importer, files: CsvFiles, home: Path, heap: str = "2g") -> ImportResult:
    """`neo4j-admin database import full neo4j` into a fresh NEO4J_HOME (its data/databases/neo4j)."""
    shutil.rmtree(home, ignore_errors=True)
    (home / "conf").mkdir(parents=True)
    (home / "conf" / "neo4j.conf").write_text("", encoding="utf-8")
    command = [
        os.environ.get("NEO4J_JAVA") or shutil.which("java") or "java",
        f"-Xmx{heap}",
        "-cp",
        importer.classpath,
        ADMIN_TOOL,
        "database",
        "import",
        "full",
        "neo4j",
        *(f"--nodes={path}" for path in files.nodes),
        *(f"--relationships={path}" for path in files.relationships),
        "--multiline-fields=true",  # _search holds one name per line
        "--array-delimiter=U+001F",
        "--overwrite-destination=true",
        f"--report-file={home / 'import.report'}",
    ]
    env = {**os.environ, "NEO4J_HOME": str(home), "NEO4J_CONF": str(home / "conf")}
    log = home / "import.log"
    start = time.perf_counter()
    with log.open("w", encoding="utf-8") as out:
        done = subprocess.run(command, env=env, stdout=out, stderr=subprocess.STDOUT, check=False)
    wall = time.perf_counter() - start
    text = log.read_text(encoding="utf-8", errors="replace")
    took = DONE.search(text)
    if done.returncode or not took:
        raise RuntimeError(f"import failed (exit {done.returncode}); see {log}:\n{text[-3000:]}")
    minutes, seconds, millis = (int(part or 0) for part in took.groups())
    counts = {kind: int(number) for number, kind in IMPORTED.findall(text)}
    peak = PEAK.search(text)
    return ImportResult(
        wall=wall,
        importer=minutes * 60 + seconds + millis / 1000,
        nodes=counts.get("nodes", -1),
        relationships=counts.get("relationships", -1),
        properties=counts.get("properties", -1),
        peak_memory=peak.group(1) if peak else "?",
        home=home,
    )


# ---------------------------------------------------------------- the imported store, opened
def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class DevServerOn:
    """tools/neo4j-server's launcher on an imported NEO4J_HOME (a private port; stopped on exit)."""

    def __init__(self, home: Path, classpath: str, heap: str = "2g", timeout: float = 180.0) -> None:
        self.home = home
        self.classpath = classpath
        self.heap = heap
        self.timeout = timeout
        self.password = secrets.token_urlsafe(12)
        self.port = _free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def uri(self) -> str:
        return f"bolt://127.0.0.1:{self.port}"

    def __enter__(self) -> DevServerOn:
        java = os.environ.get("NEO4J_JAVA") or shutil.which("java") or "java"
        env = {
            **os.environ,
            "NEO4J_PASSWORD": self.password,
            "NEO4J_BOLT_PORT": str(self.port),
            "NEO4J_DATA_DIR": str(self.home),
            "NEO4J_TX_TIMEOUT": "0",
        }
        log = self.home / "server.log"
        command = [java, f"-Xms{self.heap}", f"-Xmx{self.heap}", "-XX:+UseG1GC", "-cp", self.classpath]
        with log.open("w", encoding="utf-8") as out:
            self.process = subprocess.Popen(
                [*command, DEV_SERVER], env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
            )
        deadline = time.monotonic() + self.timeout
        while "READY " not in log.read_text(encoding="utf-8", errors="replace"):
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.__exit__()
                raise RuntimeError(f"the dev server did not start on {self.home}; see {log}")
            time.sleep(0.2)
        return self

    def __exit__(self, *_: object) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None


@dataclass(frozen=True)
class Check:
    """What the opened store showed."""

    nodes: int
    relationships: int
    schema_seconds: float
    compared_nodes: int
    compared_edges: int
    mismatches: list[str]


def check_import(batch: Any, home: Path, owner: str, classpath: str) -> Check:
    """Open the imported store with a dev server; counts, plankg's schema (timed), every element read back."""
    from plankg.graph.neo4j_store import Neo4jStore

    with DevServerOn(home, classpath) as server:
        store = Neo4jStore(server.uri, "neo4j", server.password, owner_label=owner, query_timeout=600)
        try:
            records = store._read_unensured(  # the bench counts before plankg touches the store
                f"MATCH (n:{owner}) WITH count(n) AS n MATCH ()-[r]->() RETURN n, count(r) AS r"
            )
            nodes, relationships = int(records[0]["n"]), int(records[0]["r"])
            start = time.perf_counter()
            store._ensure_schema()  # what plankg's first use of the store does, timed
            schema_seconds = time.perf_counter() - start
            mismatches: list[str] = []
            expected = {node.id: node for node in batch.nodes}
            seen = 0
            for node in store.iter_nodes():
                seen += 1
                if expected.get(node.id) != node and len(mismatches) < 5:
                    mismatches.append(f"node {node.id}: stored {node!r:.300} / batch {expected.get(node.id)!r:.300}")
            edges = {edge.key: edge for edge in batch.edges}
            seen_edges = 0
            for edge in store.iter_edges():
                seen_edges += 1
                if edges.get(edge.key) != edge and len(mismatches) < 10:
                    mismatches.append(f"edge {edge.key}: stored {edge!r:.300} / batch {edges.get(edge.key)!r:.300}")
            if seen != len(expected) or seen_edges != len(edges):
                mismatches.append(f"read back {seen} nodes, {seen_edges} edges; batch {len(expected)}, {len(edges)}")
        finally:
            store.close()
    return Check(nodes, relationships, schema_seconds, seen, seen_edges, mismatches)


# ---------------------------------------------------------------- main
def _sizes(text: str) -> list[int]:
    return [int(part.replace("_", "")) for part in text.split(",") if part.strip()]


def measure(elements: int, runs: int, importer: Importer, owner: str, check: bool, keep: bool) -> dict[str, Any]:
    """Generate, validate and write one size; import it `runs` times; optionally check the last import."""
    from bench.synthetic import generate
    from plankg.loaders.validate import validate_batch

    batch = validate_batch(generate(elements))
    start = time.perf_counter()
    files = write_csv(batch, WORK / str(elements) / "csv", owner)
    written = time.perf_counter() - start
    print(
        f"# {elements}: {files.node_count} nodes + {files.edge_count} edges; {len(files.nodes)} node files, "
        f"{len(files.relationships)} relationship files, {files.size / 2**20:.0f} MiB of CSV in {written:.1f}s",
        flush=True,
    )
    results: list[ImportResult] = []
    load: list[float] = []
    for run in range(runs):
        result = run_import(importer, files, WORK / str(elements) / "home")
        if (result.nodes, result.relationships) != (files.node_count, files.edge_count):
            raise SystemExit(f"the importer wrote {result.nodes} nodes, {result.relationships} relationships")
        results.append(result)
        load.append(os.getloadavg()[0])
        print(
            f"# run {run + 1} import {elements}: {result.importer:.2f}s importer, {result.wall:.2f}s process "
            f"({elements / result.importer:.0f} / {elements / result.wall:.0f} elements/s), "
            f"peak {result.peak_memory}, load average {load[-1]:.1f}",
            flush=True,
        )
    figures: dict[str, Any] = {
        "elements": elements,
        "nodes": files.node_count,
        "edges": files.edge_count,
        "csv_mib": round(files.size / 2**20, 1),
        "csv_seconds": written,
        "importer_seconds": [r.importer for r in results],
        "process_seconds": [r.wall for r in results],
        "properties": results[-1].properties,
        "peak_memory": [r.peak_memory for r in results],
        "load_average": load,
    }
    if check:
        found = check_import(batch, results[-1].home, owner, importer.classpath)
        figures["check"] = found.__dict__
        print(
            f"# opened by a dev server: {found.nodes} nodes, {found.relationships} relationships; plankg's "
            f"constraint + indexes built in {found.schema_seconds:.1f}s; read back through Neo4jStore: "
            f"{found.compared_nodes} nodes, {found.compared_edges} edges, "
            f"{'all equal to the batch' if not found.mismatches else 'MISMATCHES: ' + '; '.join(found.mismatches)}",
            flush=True,
        )
    if not keep:
        shutil.rmtree(WORK / str(elements), ignore_errors=True)
    return figures


def report(all_figures: Sequence[dict[str, Any]], importer: Importer) -> None:
    """The table: medians per size."""
    load = [value for fig in all_figures for value in fig["load_average"]]
    print()
    print(
        f"neo4j-admin database import full (Neo4j {importer.version}, importer JVM -Xmx2g, {os.cpu_count()} CPUs); "
        f"load average after each import {min(load):.1f}-{max(load):.1f}"
    )
    print(
        f"  {'elements':>9} {'importer s':>10} {'el/s':>9} {'process s':>10} {'el/s':>9}  schema s  runs (importer s)"
    )
    for fig in all_figures:
        importer_s = statistics.median(fig["importer_seconds"])
        process_s = statistics.median(fig["process_seconds"])
        schema = fig.get("check", {}).get("schema_seconds")
        print(
            f"  {fig['elements']:>9} {importer_s:10.2f} {fig['elements'] / importer_s:9.0f} {process_s:10.2f} "
            f"{fig['elements'] / process_s:9.0f}  {'-' if schema is None else f'{schema:8.1f}'}  "
            + ", ".join(f"{s:.1f}" for s in fig["importer_seconds"])
        )
    print("  (importer s: its own 'IMPORT DONE in'; process s: the whole java process, JVM start included;")
    print("   schema s: plankg's constraint + indexes built on the imported store, which the import does not do)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.neo4j_import", description=__doc__.split("\n\n")[0])
    parser.add_argument("--elements", default="100000", help="comma-separated batch sizes (nodes + edges)")
    parser.add_argument("--runs", type=int, default=3, help="imports per size; medians are reported")
    parser.add_argument("--no-check", dest="check", action="store_false", help="do not open the imported store")
    parser.add_argument("--keep", action="store_true", help=f"keep the CSVs and the last store under {WORK}")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures here")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    from plankg.graph.neo4j_store import DEFAULT_OWNER_LABEL, OWNER_LABEL_ENV

    owner = os.environ.get(OWNER_LABEL_ENV) or DEFAULT_OWNER_LABEL
    importer = locate_importer()
    figures = []
    for elements in _sizes(args.elements):
        figures.append(measure(elements, args.runs, importer, owner, args.check, args.keep))
    report(figures, importer)
    if args.json:
        args.json.write_text(json.dumps({"neo4j": importer.version, "sizes": figures}, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
