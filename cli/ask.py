"""The `plankg ask` command: a question in plain English or Chinese, answered from the graph.

Registered on the main app by one line in cli/main.py (register(app)), like `extract`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from plankg.api.views import query_item_json
from plankg.graph.ask import ask as ask_question
from plankg.graph.store import StoreError

out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)


def register(app: typer.Typer) -> None:
    """Add the `ask` command to the plankg CLI."""

    @app.command()
    def ask(
        question: Annotated[str, typer.Argument(help="The question, e.g. 'Which standards support smart healthcare?'")],
        store: Annotated[str | None, typer.Option("--store", help="memory (default) or neo4j.")] = None,
        db: Annotated[Path | None, typer.Option("--db", help="Embedded store file (implies --store memory).")] = None,
        as_json: Annotated[bool, typer.Option("--json", help="Print one JSON document instead of a table.")] = False,
    ) -> None:
        """Ask in English or Chinese: the question is read into the graph's own queries and answered
        offline, with the reading said back; a question the graph cannot answer is declined (exit 1)."""
        from plankg.cli.main import open_configured

        graph = open_configured(store, db)
        try:
            answer = ask_question(graph, question)
        except StoreError as error:
            err.print(f"[bold red]error:[/] {error}")
            raise typer.Exit(1) from None
        finally:
            graph.close()
        if as_json:
            out.print_json(json.dumps(answer.to_dict(query_item_json), ensure_ascii=False))
            raise typer.Exit(0 if answer.interpreted else 1)
        if not answer.interpreted:
            err.print(answer.message, highlight=False, markup=False)
            err.print("Try, for example: " + "; ".join(answer.suggestions), highlight=False, markup=False)
            raise typer.Exit(1)
        lang = answer.lang
        out.print(f"{answer.text}: {len(answer.items)}", highlight=False, markup=False)
        table = Table("id", "name", "type", show_lines=False)
        for item in answer.items:
            table.add_row(item.entity.id, item.entity.label(lang), item.entity.type)
        if answer.items:
            out.print(table)
        for alternative in answer.alternatives:
            out.print(("Also possible: " if lang == "en" else "也可理解为：") + alternative["text"], markup=False)
