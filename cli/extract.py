"""`plankg extract FILE...`: a plan's text to a draft in the curated YAML format, for review.

The command reads the text (UTF-8 text, Markdown, HTML, .docx), passes the current store's
nodes to the extractor so that mentions link to entities the graph already has, and writes
the draft atomically (or prints it). Unreadable input (empty, binary) is a clear error and
nothing is written; a text in another encoding or without plan structure gives a warning and
a draft of whatever was found. Nothing is ever written to the store.
"""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from plankg.cli.files import write_atomically
from plankg.model import Node
from plankg.ontology.schema import ID_PATTERN

err = Console(stderr=True, soft_wrap=True)


class Language(StrEnum):
    auto = "auto"
    zh = "zh"
    en = "en"


def _vocabulary(store: str | None, db: Path | None, use_graph: bool) -> list[Node]:
    if not use_graph:
        return []
    from plankg.cli.main import open_configured

    graph = open_configured(store, db)
    try:
        return list(graph.iter_nodes())
    except Exception as error:  # the store being down should not stop a draft: link to the lexicon only
        err.print(f"warning: could not read the store ({error}); linking to the built-in vocabulary only")
        return []
    finally:
        graph.close()


def register(app: typer.Typer) -> None:
    """Add the `extract` command to the plankg CLI."""

    @app.command()
    def extract(
        files: Annotated[list[Path], typer.Argument(help="Plan texts: UTF-8 .txt, .md, .html or .docx.")],
        output: Annotated[
            Path | None,
            typer.Option("-o", "--output", help="Draft file (one input) or folder (several); default: print it."),
        ] = None,
        plan: Annotated[
            str | None, typer.Option("--plan", help="Plan slug for the ids (default: from the title).")
        ] = None,
        lang: Annotated[Language, typer.Option("--lang", help="Language of the text.")] = Language.auto,
        store: Annotated[
            str | None, typer.Option("--store", help="memory or neo4j: whose entities to link to.")
        ] = None,
        db: Annotated[Path | None, typer.Option("--db", help="Embedded store file whose entities to link to.")] = None,
        graph: Annotated[
            bool, typer.Option("--graph/--no-graph", help="Link mentions to the store's entities.")
        ] = True,
        as_json: Annotated[
            bool, typer.Option("--json", help="Print the draft, review notes and problems as JSON.")
        ] = False,
    ) -> None:
        """Propose a draft (curated YAML) from a plan's text: goals, indicators, measures, organisations,
        industries, standards, centres, programmes, technology areas and their relations, each with its quote.
        Review it, then `plankg validate DRAFT` and `plankg load DRAFT`."""
        from plankg.cli.main import fail
        from plankg.loaders.extract import Extractor, read_input

        if plan is not None and not ID_PATTERN.match(plan):
            fail(
                f"--plan {plan!r} is not a slug; expected lower-case letters and digits joined by '-', e.g. sh-ai-2025"
            )
        if len(files) > 1 and output is not None and output.suffix.lower() in (".yaml", ".yml"):
            fail("several inputs give several drafts: pass a folder to -o, or one input")
        if len(files) > 1 and output is None and not as_json:
            fail("several inputs give several drafts: pass a folder with -o DIR (or --json)")
        extractor = Extractor(_vocabulary(store, db, graph))
        results = []
        for path in files:
            if not path.is_file():
                fail(f"{path}: no such file")
            source = read_input(path.read_bytes(), str(path))
            for problem in source.problems:
                err.print(f"warning: {problem}", highlight=False, markup=False)
            if not source.text.strip():
                fail(f"{path}: nothing to extract; no draft written")
            draft = extractor.extract(source.text, path.name, plan=plan if len(files) == 1 else None, lang=lang.value)
            for note in draft.problems:
                err.print(f"warning: {path}: {note}", highlight=False, markup=False)
            draft.problems[:0] = [str(p) for p in source.problems]
            results.append((path, draft))
        if as_json:
            payload = [{"file": str(p), **d.to_dict()} for p, d in results]
            sys.stdout.write(
                json.dumps(payload[0] if len(payload) == 1 else payload, ensure_ascii=False, indent=2) + "\n"
            )
            return
        for path, draft in results:
            if output is None:
                sys.stdout.write(draft.to_yaml())
                continue
            target = output if len(files) == 1 and not output.is_dir() else output / f"{path.stem}.draft.yaml"
            write_atomically(target, draft.to_yaml())
            flagged = sum(1 for r in draft.review if r.get("flags") or r.get("confidence", 1) < 0.6)
            err.print(
                f"{target}: {len(draft.nodes)} entities, {len(draft.edges)} relations, {flagged} to review",
                highlight=False,
            )
