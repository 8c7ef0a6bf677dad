"""Neo4j load benchmark: plankg's loader against three other ways of loading the same elements.

Loads one synthetic batch (bench/synthetic.py) into an empty Neo4j database several ways, one
after another in each run (the order rotates between runs), clearing the database and its
indexes and constraints in between, and prints elements/second per way and plankg's ratio to
each, as medians over the runs:

  plankg        graph.neo4j_store.Neo4jStore.upsert(batch), the batch validated beforehand
                (validation is timed separately)
  naive         one auto-commit `session.run` per element: MERGE each node by id and SET its
                properties; MATCH both ends of each edge and MERGE it, SET its properties; with a
                uniqueness constraint on id
  graphrag      neo4j-graphrag's Neo4jWriter writing a Neo4jGraph built from the batch
  rdflib-neo4j  rdflib-neo4j's Neo4jStore (batching on) behind an rdflib Graph, fed the batch as
                RDF (graph.rdf.to_rdf)
  neo4j-admin   the ceiling: `neo4j-admin database import full` of the same elements, written as
                the importer's CSVs with plankg's labels and property values, into a fresh
                database directory (not the server's; bench/neo4j_import.py); its time is the
                importer's own "IMPORT DONE in", the whole process's is noted

Every way writes the same property values plankg stores. The comparison libraries run in
their own virtual environments under bench/.venvs/ (created on first use from
bench/requirements-compare.txt), as worker processes of this script that read the data from a
temporary directory and time only their own load. Ways given an element cap (--naive-elements,
--rdflib-elements) load a closed subset instead (the shared vocabulary plus the first plans,
every edge end included) and their throughput stands for the whole; the output says so.

Needs a Neo4j of its own (it deletes everything in it): NEO4J_URI, NEO4J_USER, NEO4J_PASSWORD.

    python -m bench.load_neo4j [--elements 100000] [--runs 3] [--only plankg,naive]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
VENVS = HERE / ".venvs"
REQUIREMENTS = HERE / "requirements-compare.txt"
WAYS = ("plankg", "naive", "graphrag", "rdflib-neo4j", "neo4j-admin")
WORKER_VENVS = {"graphrag": ("neo4j-graphrag", "neo4j"), "rdflib-neo4j": ("rdflib-neo4j", "rdflib", "neo4j")}
"""Each worker way's venv and the pinned requirements (by name, from REQUIREMENTS) installed in it."""
PLAN = re.compile(r"gen-plan-(\d+)")
RESULT, READY = "RESULT ", "READY"


# ---------------------------------------------------------------- workers (their own venvs)
def _driver(neo4j: Any) -> Any:
    return neo4j.GraphDatabase.driver(
        os.environ["NEO4J_URI"], auth=(os.environ.get("NEO4J_USER", "neo4j"), os.environ["NEO4J_PASSWORD"])
    )


def _graphrag_worker(data: Path) -> None:
    """Neo4jWriter over a Neo4jGraph built (untimed) from plankg.graph.json; one load per 'load' line."""
    import asyncio
    import importlib.metadata as md

    import neo4j
    from neo4j_graphrag.experimental.components import kg_writer
    from neo4j_graphrag.experimental.components.types import Neo4jGraph, Neo4jNode, Neo4jRelationship

    payload = json.loads((data / "graph.json").read_text(encoding="utf-8"))
    graph = Neo4jGraph(
        nodes=[Neo4jNode(id=n["id"], label=n["label"], properties=n["properties"]) for n in payload["nodes"]],
        relationships=[
            Neo4jRelationship(
                start_node_id=r["start"], end_node_id=r["end"], type=r["type"], properties=r["properties"]
            )
            for r in payload["relationships"]
        ],
    )
    driver = _driver(neo4j)
    note = ""
    apoc = driver.execute_query(
        "SHOW PROCEDURES YIELD name WHERE name = 'apoc.merge.relationship' RETURN count(*) AS c"
    ).records[0]["c"]
    if not apoc:
        # Neo4jWriter merges relationships with apoc.merge.relationship; without APOC every
        # relationship batch fails. Cypher 5.26 does the same with a dynamic relationship type.
        note = (
            "no APOC on this server (Neo4jWriter's apoc.merge.relationship is missing): its relationship "
            "query replaced by the APOC-free equivalent MERGE (start)-[rel:$(row.type)]->(end) "
            "SET rel += row.properties"
        )

        def upsert_relationship_query(support_variable_scope_clause: bool) -> str:
            return (
                "UNWIND $rows AS row "
                "MATCH (start:__KGBuilder__ {__tmp_internal_id: row.start_node_id}), "
                "(end:__KGBuilder__ {__tmp_internal_id: row.end_node_id}) "
                "MERGE (start)-[rel:$(row.type)]->(end) SET rel += row.properties "
                "RETURN elementId(rel)"
            )

        kg_writer.upsert_relationship_query = upsert_relationship_query  # type: ignore[attr-defined]
    versions = {name: md.version(name) for name in ("neo4j-graphrag", "neo4j", "pydantic")}
    print(READY, flush=True)
    for line in sys.stdin:
        if line.strip() != "load":
            break
        writer = kg_writer.Neo4jWriter(driver)
        start = time.perf_counter()
        outcome = asyncio.run(writer.run(graph))
        seconds = time.perf_counter() - start
        if outcome.status != "SUCCESS":
            raise SystemExit(f"Neo4jWriter failed: {outcome.metadata}")
        print(RESULT + json.dumps({"seconds": seconds, "note": note, "versions": versions}), flush=True)


def _rdflib_worker(data: Path) -> None:
    """rdflib-neo4j's store behind an rdflib Graph, fed graph.nt (parsed untimed, by subject)."""
    import contextlib
    import importlib.metadata as md
    import io

    from rdflib import Graph
    from rdflib_neo4j import HANDLE_MULTIVAL_STRATEGY, HANDLE_VOCAB_URI_STRATEGY, Neo4jStore, Neo4jStoreConfig

    meta = json.loads((data / "meta.json").read_text(encoding="utf-8"))
    source = Graph()
    source.parse(data / "graph.nt", format="nt")
    triples = sorted(source, key=lambda t: t[0])  # the store writes a subject when the next one starts
    del source
    auth = {
        "uri": os.environ["NEO4J_URI"],
        "database": "neo4j",
        "user": os.environ.get("NEO4J_USER", "neo4j"),
        "pwd": os.environ["NEO4J_PASSWORD"],
    }
    versions = {name: md.version(name) for name in ("rdflib-neo4j", "rdflib", "neo4j")}
    note = f"{len(triples)} triples"
    print(READY, flush=True)
    for line in sys.stdin:
        if line.strip() != "load":
            break
        config = Neo4jStoreConfig(
            auth_data=auth,
            custom_prefixes=meta["prefixes"],
            batching=True,
            handle_vocab_uri_strategy=HANDLE_VOCAB_URI_STRATEGY.SHORTEN,
            handle_multival_strategy=HANDLE_MULTIVAL_STRATEGY.ARRAY,
            multival_props_names=[("rdfs", "label")],
        )
        chatter = io.StringIO()  # the store prints progress on stdout, which is this protocol's channel
        with contextlib.redirect_stdout(chatter):
            target = Graph(store=Neo4jStore(config=config))
            start = time.perf_counter()
            for triple in triples:
                target.add(triple)
            target.close(True)
            seconds = time.perf_counter() - start
        print(RESULT + json.dumps({"seconds": seconds, "note": note, "versions": versions}), flush=True)


# ---------------------------------------------------------------- the main process
def _node_props(node: Any) -> dict[str, Any]:
    """The property map plankg stores for a node (graph/neo4j_store.py's shape)."""
    from plankg.graph.neo4j_store import node_properties

    return node_properties(node)


def _edge_props(edge: Any) -> dict[str, Any]:
    from plankg.graph.neo4j_store import DEFAULT_OWNER_LABEL, edge_properties

    return edge_properties(edge, DEFAULT_OWNER_LABEL)


def subset(batch: Any, elements: int) -> tuple[Any, str]:
    """The shared vocabulary plus the first plans, until at least `elements` (closed under edge ends)."""
    from plankg.model import GraphBatch

    if elements <= 0 or elements >= len(batch):
        return batch, ""

    def plan_of(text: str) -> int:
        match = PLAN.search(text)
        return int(match.group(1)) if match else -1

    by_plan: dict[int, int] = {}
    for node in batch.nodes:
        by_plan[plan_of(node.id)] = by_plan.get(plan_of(node.id), 0) + 1
    for edge in batch.edges:
        by_plan[plan_of(edge.source)] = by_plan.get(plan_of(edge.source), 0) + 1
    count, last = 0, -1
    for plan in sorted(by_plan):
        count += by_plan[plan]
        last = plan
        if count >= elements:
            break
    nodes = [n for n in batch.nodes if plan_of(n.id) <= last]
    kept = {n.id for n in nodes}
    edges = [e for e in batch.edges if plan_of(e.source) <= last and e.source in kept and e.target in kept]
    part = GraphBatch(nodes, edges)
    return part, f"subset of {len(part)} elements (shared vocabulary + plans 0-{last}), rate extrapolated"


class Bench:
    """One server, the ways, their workers and the measurements."""

    def __init__(self, args: argparse.Namespace) -> None:
        import neo4j

        from plankg.graph.neo4j_store import Neo4jStore

        self.args = args
        self.neo4j = neo4j
        self.Neo4jStore = Neo4jStore
        self.driver = _driver(neo4j)
        self.workers: dict[str, subprocess.Popen[str]] = {}
        self.failed: dict[str, str] = {}
        self.notes: dict[str, list[str]] = {}
        self.versions: dict[str, dict[str, str]] = {}
        self.imported: Any = None
        """The last neo4j-admin import (bench.neo4j_import.ImportResult)."""
        self.import_process: list[float] = []
        store = Neo4jStore.from_env()
        self.owner_label = store.owner  # the naive way writes plankg's shape under plankg's label
        store.close()

    # ------------------------------------------------ database
    def run(self, query: str, **params: Any) -> list[Any]:
        with self.driver.session() as session:
            return list(session.run(query, params))

    def reset(self) -> None:
        """Delete everything, then drop every constraint and index (but the token lookups)."""
        self.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS")
        for record in self.run("SHOW CONSTRAINTS YIELD name RETURN name"):
            self.run(f"DROP CONSTRAINT `{record['name']}` IF EXISTS")
        for record in self.run("SHOW INDEXES YIELD name, type WHERE type <> 'LOOKUP' RETURN name"):
            self.run(f"DROP INDEX `{record['name']}` IF EXISTS")
        self.Neo4jStore._schema_done.clear()

    def counts(self) -> tuple[int, int]:
        nodes = self.run("MATCH (n) RETURN count(n) AS c")[0]["c"]
        rels = self.run("MATCH ()-[r]->() RETURN count(r) AS c")[0]["c"]
        return int(nodes), int(rels)

    # ------------------------------------------------ workers
    def venv_python(self, way: str) -> Path:
        """The worker's interpreter; its venv is created and filled from REQUIREMENTS when missing."""
        venv = VENVS / way
        python = venv / "bin" / "python"
        if python.exists():
            return python
        pins = {}
        for line in REQUIREMENTS.read_text(encoding="utf-8").splitlines():
            requirement = line.split("#", 1)[0].strip()
            if requirement:
                pins[re.split(r"[=<>!~ \[]", requirement, maxsplit=1)[0].lower()] = requirement
        wanted = [pins[name] for name in WORKER_VENVS[way] if name in pins]
        print(f"# creating {venv} with {' '.join(wanted)}", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        install = subprocess.run([str(python), "-m", "pip", "install", "-q", *wanted], capture_output=True, text=True)
        if install.returncode:
            raise RuntimeError(f"pip install {' '.join(wanted)} failed: {install.stderr.strip()[-2000:]}")
        return python

    def start_worker(self, way: str, data: Path) -> None:
        try:
            python = self.venv_python(way)
            command = [str(python), str(Path(__file__).resolve()), "--worker", way, "--data", str(data)]
            process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=str(ROOT))
            self.workers[way] = process
        except Exception as error:  # any failure: recorded, the way skipped
            self.failed[way] = f"{type(error).__name__}: {error}"
            self.stop_worker(way)

    def ready(self, way: str) -> None:
        """Wait until the worker has read its data (untimed)."""
        if way not in self.workers:
            return
        try:
            self.expect(way, READY)
        except Exception as error:  # any failure: recorded, the way skipped
            self.failed[way] = f"{type(error).__name__}: {error}"
            self.stop_worker(way)

    def expect(self, way: str, marker: str) -> str:
        process = self.workers[way]
        assert process.stdout is not None
        for line in process.stdout:
            if line.startswith(marker):
                return line[len(marker) :].strip()
        raise RuntimeError(f"{way} worker ended (exit {process.wait()}) before {marker.strip()}; see its stderr")

    def stop_worker(self, way: str) -> None:
        process = self.workers.pop(way, None)
        if process is not None and process.poll() is None:
            assert process.stdin is not None
            process.stdin.close()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()

    # ------------------------------------------------ the ways
    def load_plankg(self, batch: Any) -> float:
        store = self.Neo4jStore.from_env()
        store.load_timeout = 1800
        try:
            store._ensure_schema()  # constraints and indexes on the empty database: not part of the load
            start = time.perf_counter()
            store.upsert(batch)
            return time.perf_counter() - start
        finally:
            store.close()

    def load_naive(
        self, nodes: list[tuple[str, dict[str, Any]]], edges: list[tuple[str, str, str, dict[str, Any]]], entity: str
    ) -> float:
        self.run(f"CREATE CONSTRAINT naive_id IF NOT EXISTS FOR (n:{entity}) REQUIRE n.id IS UNIQUE")
        self.run("CALL db.awaitIndexes(300)")
        with self.driver.session() as session:
            start = time.perf_counter()
            for label, props in nodes:
                session.run(
                    f"MERGE (n:{entity} {{id: $id}}) SET n = $props SET n:{label}", id=props["id"], props=props
                ).consume()
            for rel_type, source, target, props in edges:
                session.run(
                    f"MATCH (a:{entity} {{id: $s}}) MATCH (b:{entity} {{id: $t}}) "
                    f"MERGE (a)-[r:{rel_type}]->(b) SET r = $props",
                    s=source,
                    t=target,
                    props=props,
                ).consume()
            return time.perf_counter() - start

    def load_import(self, importer: Any, files: Any, home: Path) -> float:
        """neo4j-admin's import into a fresh directory; the importer's own seconds (JVM start noted apart)."""
        from bench.neo4j_import import run_import

        try:
            self.imported = run_import(importer, files, home)
        finally:
            shutil.rmtree(home, ignore_errors=True)
        if (self.imported.nodes, self.imported.relationships) != (files.node_count, files.edge_count):
            raise RuntimeError(f"imported {self.imported.nodes} nodes, {self.imported.relationships} relationships")
        self.import_process.append(self.imported.wall)
        return float(self.imported.importer)

    def load_worker(self, way: str) -> float:
        process = self.workers[way]
        assert process.stdin is not None
        process.stdin.write("load\n")
        process.stdin.flush()
        answer = json.loads(self.expect(way, RESULT))
        if answer.get("note") and answer["note"] not in self.notes.setdefault(way, []):
            self.notes[way].append(answer["note"])
        self.versions[way] = answer.get("versions", {})
        return float(answer["seconds"])


def _machine(bench: Bench) -> dict[str, str]:
    import neo4j

    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        memory = next(
            line.split(":", 1)[1].strip()
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal")
        )
    except (OSError, StopIteration):
        memory = "?"
    component = bench.run("CALL dbms.components() YIELD name, versions, edition RETURN versions[0] AS v, edition AS e")
    return {
        "cpus": str(os.cpu_count()),
        "cpu": cpu,
        "memory": memory,
        "python": platform.python_version(),
        "neo4j": f"{component[0]['v']} {component[0]['e']}",
        "driver (plankg, naive)": neo4j.__version__,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.load_neo4j", description=__doc__.split("\n\n")[0])
    parser.add_argument("--elements", type=int, default=100_000, help="nodes + edges in the batch")
    parser.add_argument("--runs", type=int, default=3, help="runs; medians are reported")
    parser.add_argument("--only", default=",".join(WAYS), help=f"comma-separated ways among {', '.join(WAYS)}")
    parser.add_argument(
        "--naive-elements", type=int, default=10_000, help="elements the naive way loads (a closed subset; 0 = all)"
    )
    parser.add_argument(
        "--rdflib-elements", type=int, default=0, help="elements rdflib-neo4j loads (a closed subset; 0 = all)"
    )
    parser.add_argument("--warmup", type=int, default=0, help="untimed plankg loads first (the server's JIT warms up)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", type=Path, default=None, help="also write the figures here")
    parser.add_argument("--worker", choices=("graphrag", "rdflib-neo4j"), help=argparse.SUPPRESS)
    parser.add_argument("--data", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        (_graphrag_worker if args.worker == "graphrag" else _rdflib_worker)(args.data)
        return 0
    ways = [w.strip() for w in args.only.split(",") if w.strip()]
    unknown = sorted(set(ways) - set(WAYS))
    if unknown or not ways:
        parser.error(f"unknown ways {unknown}; expected some of {', '.join(WAYS)}")
    if not os.environ.get("NEO4J_URI"):
        parser.error("set NEO4J_URI, NEO4J_USER, NEO4J_PASSWORD to a Neo4j of the benchmark's own (it is wiped)")
    sys.path.insert(0, str(ROOT))
    from bench.synthetic import generate
    from plankg.loaders.validate import validate_batch
    from plankg.model.rdf import PREFIXES, to_rdf
    from plankg.ontology.schema import load_schema

    started = time.perf_counter()
    raw = generate(args.elements, seed=args.seed)
    schema = load_schema()
    batch = validate_batch(raw)
    total = len(batch)
    print(
        f"# batch: {len(batch.nodes)} nodes + {len(batch.edges)} edges = {total} elements "
        f"(bench.synthetic, seed {args.seed})",
        flush=True,
    )
    bench = Bench(args)
    sizes: dict[str, int] = {way: total for way in ways}
    scope: dict[str, str] = {}
    naive_rows: tuple[list[Any], list[Any]] = ([], [])
    with tempfile.TemporaryDirectory(prefix="plankg-bench-") as tmp:
        data = Path(tmp)
        if "naive" in ways:
            part, scope["naive"] = subset(batch, args.naive_elements)
            sizes["naive"] = len(part)
            naive_rows = (
                [(schema.node_types[n.type].neo4j_label, _node_props(n)) for n in part.nodes],
                [
                    (schema.relation_types[e.relation].neo4j_type, e.source, e.target, _edge_props(e))
                    for e in part.edges
                ],
            )
        if "graphrag" in ways:
            payload = {
                "nodes": [
                    {"id": n.id, "label": schema.node_types[n.type].neo4j_label, "properties": _node_props(n)}
                    for n in batch.nodes
                ],
                "relationships": [
                    {
                        "start": e.source,
                        "end": e.target,
                        "type": schema.relation_types[e.relation].neo4j_type,
                        "properties": _edge_props(e),
                    }
                    for e in batch.edges
                ],
            }
            # Dates travel as ISO text through JSON (plankg and naive send native dates).
            (data / "graph.json").write_text(json.dumps(payload, ensure_ascii=False, default=str), encoding="utf-8")
            bench.start_worker("graphrag", data)
        if "rdflib-neo4j" in ways:
            part, scope["rdflib-neo4j"] = subset(batch, args.rdflib_elements)
            sizes["rdflib-neo4j"] = len(part)
            to_rdf(part.nodes, part.edges).serialize(data / "graph.nt", format="nt", encoding="utf-8")
            (data / "meta.json").write_text(json.dumps({"prefixes": PREFIXES}), encoding="utf-8")
            bench.start_worker("rdflib-neo4j", data)
        importer: Any = None
        import_files: Any = None
        if "neo4j-admin" in ways:
            from bench.neo4j_import import locate_importer, write_csv

            importer = locate_importer()
            import_files = write_csv(batch, data / "import-csv", bench.owner_label)
            bench.versions["neo4j-admin"] = {"neo4j-import-tool": importer.version}
        for way in WORKER_VENVS:
            bench.ready(way)
        print(f"# prepared in {time.perf_counter() - started:.0f}s; ways: {', '.join(ways)}", flush=True)
        seconds: dict[str, list[float]] = {way: [] for way in ways}
        validation: list[float] = []
        for _ in range(args.warmup):
            bench.reset()
            bench.load_plankg(batch)
        try:
            for run in range(args.runs):
                start = time.perf_counter()
                validate_batch(raw)
                validation.append(time.perf_counter() - start)
                order = ways[run % len(ways) :] + ways[: run % len(ways)]
                for way in order:
                    if way in bench.failed:
                        continue
                    bench.reset()
                    try:
                        if way == "plankg":
                            took = bench.load_plankg(batch)
                        elif way == "naive":
                            took = bench.load_naive(*naive_rows, bench.owner_label)
                        elif way == "neo4j-admin":
                            took = bench.load_import(importer, import_files, data / "import-home")
                        else:
                            took = bench.load_worker(way)
                    except Exception as error:  # recorded; the other ways go on
                        bench.failed[way] = f"{type(error).__name__}: {error}"
                        bench.stop_worker(way)
                        print(f"# run {run + 1} {way}: FAILED {bench.failed[way]}", flush=True)
                        continue
                    if way == "neo4j-admin":
                        nodes, rels = bench.imported.nodes, bench.imported.relationships
                    else:
                        nodes, rels = bench.counts()
                    seconds[way].append(took)
                    print(
                        f"# run {run + 1} {way:13} {took:8.2f}s {sizes[way] / took:9.0f} elements/s "
                        f"({nodes} nodes, {rels} relationships in the database; "
                        f"load average {os.getloadavg()[0]:.1f})",
                        flush=True,
                    )
        finally:
            for way in list(bench.workers):
                bench.stop_worker(way)
        bench.reset()
        machine = _machine(bench)
    if bench.import_process:
        process = statistics.median(bench.import_process)
        bench.notes.setdefault("neo4j-admin", []).append(
            "seconds are the importer's own 'IMPORT DONE in' (a fresh database directory, no index built); "
            f"the whole java process, JVM start included: {', '.join(f'{s:.1f}' for s in bench.import_process)}s, "
            f"median {sizes['neo4j-admin'] / process:.0f} elements/s"
        )
    for way, versions in bench.versions.items():
        machine[f"driver ({way})"] = ", ".join(f"{k} {v}" for k, v in versions.items())
    rates = {way: statistics.median(sizes[way] / s for s in seconds[way]) for way in ways if seconds[way]}
    print()
    print(
        f"Neo4j load of {total} elements ({len(batch.nodes)} nodes, {len(batch.edges)} edges), "
        f"medians of {args.runs} runs"
    )
    for key, value in machine.items():
        print(f"  {key}: {value}")
    print(f"  validation (loaders.validate, not part of any way): {statistics.median(validation):.2f}s")
    print(f"  {'way':13} {'elements/s':>11} {'seconds':>9} {'runs (s)':<28} plankg/way")
    for way in ways:
        if way not in rates:
            print(f"  {way:13} {'-':>11} {'-':>9} {'':<28} -   not measured: {bench.failed.get(way, '?')}")
            continue
        runs = ", ".join(f"{s:.1f}" for s in seconds[way])
        ratio = f"{rates['plankg'] / rates[way]:.1f}x" if "plankg" in rates else "-"
        shown = total / rates[way]
        print(f"  {way:13} {rates[way]:11.0f} {shown:9.1f} {runs:<28} {ratio}")
    for way in ways:
        for note in [scope.get(way, ""), *bench.notes.get(way, [])]:
            if note:
                print(f"  note {way}: {note}")
        if way in bench.failed and way in rates:
            print(f"  note {way}: failed in a later run: {bench.failed[way]}")
    print("  (seconds: for the whole batch; for a subset way, extrapolated from its rate)")
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "elements": total,
                    "nodes": len(batch.nodes),
                    "edges": len(batch.edges),
                    "runs": args.runs,
                    "machine": machine,
                    "validation_seconds": validation,
                    "seconds": seconds,
                    "measured_elements": sizes,
                    "elements_per_second": rates,
                    "scope": scope,
                    "notes": bench.notes,
                    "failed": bench.failed,
                    "import_process_seconds": bench.import_process,
                },
                indent=2,
            ),
            encoding="utf-8",
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
