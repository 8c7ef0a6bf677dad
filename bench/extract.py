"""Extraction benchmark: run `plankg extract` over every text with a gold file and print entity and
relation precision / recall / F1 per type and per language, and characters per second.

    python -m bench.extract                 # dev texts (/work/shared/extraction/dev) and tests/data/extraction
    python -m bench.extract --graph         # link to the bundled plans too (as after `plankg load`)
    python -m bench.extract DIR ... --json

The scorer is the shared one (score.py, imported from the dev set's folder); the speed figure times
extraction alone (text in memory → draft), best of three runs, after one warm-up.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from types import ModuleType

from plankg.loaders.extract import Extractor, read_input

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DIRS = [Path("/work/shared/extraction/dev"), ROOT / "tests" / "data" / "extraction"]
SCORER = Path("/work/shared/extraction/score.py")


def _scorer(path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location("extraction_score", path)
    if spec is None or spec.loader is None:
        raise SystemExit(f"cannot load the scorer {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _score(scorer: ModuleType, draft: Path, gold: Path) -> dict:
    argv, out = sys.argv, sys.stdout
    sys.argv = ["score.py", str(draft), str(gold), "--json"]
    try:
        import io

        sys.stdout = io.StringIO()
        scorer.main()
        return json.loads(sys.stdout.getvalue())
    finally:
        sys.argv, sys.stdout = argv, out


def pairs(dirs: list[Path]) -> list[tuple[Path, Path]]:
    found = []
    for folder in dirs:
        for gold in sorted(folder.glob("*-gold.json")):
            stem = gold.name.removesuffix("-gold.json")
            texts = [p for p in folder.glob(stem + ".*") if p != gold]
            if texts:
                found.append((texts[0], gold))
    return found


def prf(tp: float, pred: float, gold: float) -> tuple[float, float, float]:
    p = tp / pred if pred else 1.0
    r = tp / gold if gold else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("dirs", nargs="*", type=Path, help="folders holding TEXT + TEXT-gold.json pairs")
    parser.add_argument("--graph", action="store_true", help="link to the bundled plans' entities")
    parser.add_argument("--scorer", type=Path, default=SCORER)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    scorer = _scorer(args.scorer)
    vocabulary = []
    if args.graph:
        from plankg.loaders import bundled_paths, read_files

        vocabulary = read_files(bundled_paths()).nodes
    extractor = Extractor(vocabulary)
    rows = []
    totals: dict[tuple[str, str], list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])
    types: dict[tuple[str, str], list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])
    chars, seconds = 0, 0.0
    with tempfile.TemporaryDirectory() as tmp:
        for text_path, gold_path in pairs(args.dirs or DEFAULT_DIRS):
            source = read_input(text_path.read_bytes(), text_path.name)
            draft = extractor.extract(source.text, text_path.name)
            best = min(_timed(extractor, source.text, text_path.name) for _ in range(3))
            chars += len(source.text)
            seconds += best
            out = Path(tmp) / f"{text_path.stem}.yaml"
            out.write_text(draft.to_yaml(), encoding="utf-8")
            figures = _score(scorer, out, gold_path)
            lang = json.loads(gold_path.read_text(encoding="utf-8")).get("language", draft.header["language"])
            group = "dev" if "shared" in str(gold_path) else "own"
            e, r = figures["entities"], figures["relations"]
            rows.append({"text": text_path.name, "set": group, "lang": lang, "entities": e, "relations": r,
                         "chars": len(source.text), "chars_per_s": round(len(source.text) / best)})  # fmt: skip
            for key in ((group, lang), (group, "all")):
                for kind, fig in (("entities", e), ("relations", r)):
                    row = totals[(key[0] + ":" + key[1], kind)]
                    row[0] += fig["matched"] if kind == "relations" else round(fig["precision"] * fig["predicted"])
                    row[1] += fig["predicted"]
                    row[2] += fig["gold"]
                    if kind == "entities":
                        totals[(key[0] + ":" + key[1], "entities_recall")][0] += fig["matched"]
            for type_name, fig in figures["per_type"].items():
                row = types[(lang, type_name)]
                row[0] += fig["precision"] * fig["predicted"]
                row[1] += fig["predicted"]
                row[2] += fig["gold"]
    summary = {}
    for (group, kind), (tp, pred, gold) in sorted(totals.items()):
        if kind == "entities_recall":
            continue
        recall_tp = totals[(group, "entities_recall")][0] if kind == "entities" else tp
        p = tp / pred if pred else 1.0
        r = recall_tp / gold if gold else 1.0
        summary[f"{group} {kind}"] = {"precision": round(p, 3), "recall": round(r, 3),
                                      "f1": round(2 * p * r / (p + r) if p + r else 0.0, 3)}  # fmt: skip
    speed = round(chars / seconds) if seconds else 0
    if args.json:
        print(json.dumps({"texts": rows, "summary": summary, "chars_per_second": speed}, ensure_ascii=False, indent=2))
        return 0
    print(f"{'text':<44} {'lang':<4} {'entities P/R/F1':<20} {'relations P/R/F1':<20} chars/s")
    for row in rows:
        e, r = row["entities"], row["relations"]
        print(f"{row['set'] + '/' + row['text']:<44} {row['lang']:<4} "
              f"{e['precision']:.2f} {e['recall']:.2f} {e['f1']:.2f}       {r['precision']:.2f} {r['recall']:.2f} "
              f"{r['f1']:.2f}       {row['chars_per_s']:,}")  # fmt: skip
    print("\nper type and language (precision / recall / F1, summed over texts):")
    for (lang, type_name), (tp, pred, gold) in sorted(types.items()):
        p, _, _ = prf(tp, pred, gold)
        print(f"  {lang:<3} {type_name:<20} P {p:.2f}  (predicted {pred:.0f}, gold {gold:.0f})")
    print("\nsummary (micro-averaged):")
    for name, fig in summary.items():
        print(f"  {name:<24} P {fig['precision']:.3f}  R {fig['recall']:.3f}  F1 {fig['f1']:.3f}")
    print(f"\nspeed: {chars:,} characters in {seconds * 1000:.1f} ms = {speed:,} characters/s (extraction only)")
    return 0


def _timed(extractor: Extractor, text: str, name: str) -> float:
    start = time.perf_counter()
    extractor.extract(text, name)
    return time.perf_counter() - start


if __name__ == "__main__":
    sys.exit(main())
