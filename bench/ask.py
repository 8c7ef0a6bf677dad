"""Question answering benchmark: accuracy of `plankg ask` against SPARQL golds and time per question.

    python -m bench.ask                      # the shared dev set and tests/data/questions on the bundled plans
    python -m bench.ask QUESTIONS.json ... --repeat 5 --json

Loads the bundled plans into a temporary embedded store, then for each question file: exact answer
sets (golds: the file's SPARQL run in-process over the same store, as ask_eval.py does over HTTP),
declines, and per-question latency of ask() alone (p50, p95, max over `--repeat` rounds after one
warm-up round; the name index is built once per store revision and is not in the timing).
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from plankg.graph.ask import ask
from plankg.graph.memory import MemoryStore
from plankg.graph.sparql import SparqlService
from plankg.loaders import bundled_paths, prepare
from plankg.ontology.schema import ID_BASE

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_FILES = [Path("/work/shared/questions/dev.json"), ROOT / "tests" / "data" / "questions" / "questions.json"]


def _gold(sparql: SparqlService, query: str) -> set[str]:
    result = sparql.run(query).result
    return {str(row[0]).removeprefix(ID_BASE) for row in result or []}


def run(path: Path, store: MemoryStore, sparql: SparqlService, repeat: int) -> dict[str, Any]:
    questions = json.loads(path.read_text(encoding="utf-8"))
    scored = exact = declines = declined = empty = 0
    failures: list[str] = []
    for question in questions:
        answer = ask(store, question["q"])
        got = {item.entity.id for item in answer.items}
        if question.get("expect") == "decline":
            declines += 1
            scored += 1
            if not got:
                declined += 1
                exact += 1
            else:
                failures.append(question["id"])
            continue
        gold = _gold(sparql, question["sparql"])
        if not gold:
            empty += 1
            continue
        scored += 1
        if got == gold:
            exact += 1
        else:
            failures.append(question["id"])
    timings: list[float] = []
    for question in questions:
        ask(store, question["q"])  # warm-up
    for _ in range(repeat):
        for question in questions:
            start = time.perf_counter()
            ask(store, question["q"])
            timings.append((time.perf_counter() - start) * 1000)
    timings.sort()
    return {
        "file": str(path),
        "questions": len(questions),
        "scored": scored,
        "exact": exact,
        "exact_rate": round(exact / scored, 4) if scored else None,
        "declines": declines,
        "declined": declined,
        "empty_gold": empty,
        "failures": failures,
        "p50_ms": round(statistics.median(timings), 2),
        "p95_ms": round(timings[int(len(timings) * 0.95) - 1], 2),
        "max_ms": round(timings[-1], 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path, default=[p for p in DEFAULT_FILES if p.exists()])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        store = MemoryStore(Path(folder) / "graph.json")
        store.upsert(prepare(bundled_paths(), store.known_types))
        sparql = SparqlService(store, 60.0)
        try:
            results = [run(path, store, sparql, args.repeat) for path in args.files]
        finally:
            sparql.close()
    if args.json:
        print(json.dumps(results, indent=1))
        return
    for r in results:
        print(
            f"{r['file']}: {r['exact']}/{r['scored']} exact ({100 * (r['exact_rate'] or 0):.1f} %), "
            f"declined {r['declined']}/{r['declines']}, empty gold {r['empty_gold']}, "
            f"p50 {r['p50_ms']} ms, p95 {r['p95_ms']} ms, max {r['max_ms']} ms"
            + (f"; failed: {', '.join(r['failures'])}" if r["failures"] else "")
        )


if __name__ == "__main__":
    main()
