"""Plan-level commands: diff, unload, reload, report, derived answers, deadlines, coverage, centrality, summary.

Registered on the main app by `register(app)` (one line in cli/main.py). Every command takes
--store / --db like the others, and --json where it prints data; errors are exit code 1 with
a message, nothing half-written.
"""

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from plankg.cli.files import write_atomically
from plankg.graph.engine import BadQuery
from plankg.graph.store import NotFound, StoreError
from plankg.model.errors import InputError


def register(app: typer.Typer) -> None:
    """Add the plan-level commands to the `plankg` app."""
    from plankg.cli.main import DbOption, JsonOption, StoreOption, err, fail, open_configured, out, print_json

    def run(store: str | None, db: Path | None, work: Any) -> Any:
        graph = open_configured(store, db)
        try:
            return work(graph)
        except (BadQuery, NotFound) as error:
            fail(str(error).strip("'\""))
        except (StoreError, OSError) as error:
            fail(str(error))
        finally:
            graph.close()

    @app.command()
    def diff(
        a: Annotated[str, typer.Argument(help="A document or plan id (the earlier side).")],
        b: Annotated[str, typer.Argument(help="A document or plan id (the later side).")],
        store: StoreOption = None,
        db: DbOption = None,
        as_json: JsonOption = False,
    ) -> None:
        """What B states that A does not (added), what changed, what B does not state (not_stated ≠ removed)."""
        from plankg.graph.diff import diff as run_diff

        result = run(store, db, lambda graph: run_diff(graph, a, b))
        if as_json:
            print_json(result)
            return
        out.print(f"diff {a} → {b}", highlight=False)
        out.print(f"  entities:  {result['summary']['entities']}", highlight=False)
        out.print(f"  relations: {result['summary']['relations']}", highlight=False)
        table = Table(title="changed entities", title_justify="left", show_lines=True)
        for column in ("A", "B", "match", "changes (A → B)"):
            table.add_column(column, overflow="fold")
        for item in result["entities"]["changed"]:
            changes = "\n".join(f"{c['field']}: {c['a']!r} → {c['b']!r}" for c in item["changes"])
            table.add_row(item["a"]["id"], item["b"]["id"], item["match"], changes)
        out.print(table)
        for outcome, title in (("added", "added (only B states)"), ("not_stated", "not stated by B (B is silent)")):
            items = result["entities"][outcome]
            side = "b" if outcome == "added" else "a"
            names = ", ".join(item[side]["id"] for item in items[:40])
            more = f" … and {len(items) - 40} more" if len(items) > 40 else ""
            out.print(f"{title}: {len(items)}: {names}{more}", highlight=False)

    @app.command()
    def unload(
        entity_id: Annotated[
            str, typer.Argument(metavar="ID", help="A Document id, or a Plan id (all its documents).")
        ],
        store: StoreOption = None,
        db: DbOption = None,
        as_json: JsonOption = False,
    ) -> None:
        """Remove what only this document (or plan) states; keep what other documents also state. All or nothing."""
        from plankg.graph.retract import unload as run_unload

        summary = run(store, db, lambda graph: run_unload(graph, entity_id))
        if as_json:
            print_json(summary.to_dict())
            return
        out.print(
            f"unloaded {', '.join(summary.documents)}: removed {len(summary.removed_nodes)} entities and "
            f"{len(summary.removed_edges)} relations; {summary.trimmed_nodes} entities and {summary.trimmed_edges} "
            "relations stay (other documents state them)",
            highlight=False,
        )

    @app.command()
    def reload(
        paths: Annotated[list[Path], typer.Argument(help="Corrected files or folders of one or more documents.")],
        document: Annotated[
            list[str] | None,
            typer.Option(help="Documents whose statements are replaced (default: the Document entities in the files)."),
        ] = None,
        store: StoreOption = None,
        db: DbOption = None,
        as_json: JsonOption = False,
    ) -> None:
        """Load corrected files, replacing everything their documents stated before, in one all-or-nothing write."""
        from plankg.cli.main import _report_input_error
        from plankg.loaders import prepare

        def work(graph: Any) -> Any:
            try:
                batch = prepare(list(paths), graph.known_types)
            except InputError as error:
                _report_input_error(error)
            documents = list(document or [n.id for n in batch.nodes if n.type == "Document"])
            if not documents:
                fail("the files hold no Document entity; name the documents to replace with --document ID")
            return graph.retract(documents, batch)

        summary = run(store, db, work)
        if as_json:
            print_json(summary.to_dict())
            return
        loaded = summary.loaded
        out.print(
            f"replaced the statements of {', '.join(summary.documents)}: {len(summary.removed_nodes)} entities and "
            f"{len(summary.removed_edges)} relations went, then {loaded.nodes if loaded else 0} nodes and "
            f"{loaded.edges if loaded else 0} edges were loaded",
            highlight=False,
        )

    @app.command()
    def report(
        plan: Annotated[str, typer.Argument(help="A Plan id, e.g. plan.miit-5g-upgrade-2024.")],
        output: Annotated[Path, typer.Option("--output", "-o", help="The HTML file to write.")] = Path("report.html"),
        store: StoreOption = None,
        db: DbOption = None,
        as_json: JsonOption = False,
    ) -> None:
        """Write one self-contained HTML report on a plan (targets, actions, industries, coverage, changes, charts)."""
        from plankg.graph import report as reports

        if as_json:
            print_json(run(store, db, lambda graph: reports.build(graph, plan)))
            return
        html = run(store, db, lambda graph: reports.render_html(graph, plan))
        try:
            write_atomically(output, html)
        except OSError as error:
            fail(f"cannot write {output}: {error}")
        err.print(f"wrote {output} ({len(html.encode('utf-8'))} bytes)", highlight=False)

    @app.command(context_settings={"allow_extra_args": True, "ignore_unknown_options": True})
    def derived(
        ctx: typer.Context,
        name: Annotated[str, typer.Argument(help="A named query, e.g. indicators_for_goal.")],
        exclude_unconfirmed: Annotated[bool, typer.Option(help="Leave out facts whose status is unconfirmed.")] = False,
        store: StoreOption = None,
        db: DbOption = None,
        as_json: JsonOption = False,
    ) -> None:
        """A named query's direct answers, then the answers derived through the graph, each with its chain of edges."""
        from plankg.api.views import query_item_json
        from plankg.cli.main import _parse_query_args, _resolve
        from plankg.graph.derive import answer
        from plankg.graph.queries import NAMED_QUERIES

        named = NAMED_QUERIES.get(name)
        if named is None:
            fail(f"unknown query {name!r}; expected one of {', '.join(NAMED_QUERIES)}")
        try:
            params: dict[str, Any] = _parse_query_args(list(ctx.args))
        except typer.BadParameter as error:
            err.print(f"usage error: {error}", highlight=False)
            raise typer.Exit(2) from None

        def work(graph: Any) -> Any:
            if named.param in params:
                params[named.param] = _resolve(graph, params[named.param], named.param_type)
            params["include_unconfirmed"] = not exclude_unconfirmed
            return answer(graph, name, params)

        result = run(store, db, work)
        if as_json:
            print_json(
                {
                    "query": name,
                    "parameters": params,
                    "items": [{"kind": "direct", **query_item_json(i)} for i in result.items],
                    "derived": [d.to_dict() for d in result.derived],
                }
            )
            return
        table = Table(title=f"{name}: {len(result.items)} direct, {len(result.derived)} derived", show_lines=True)
        for column in ("kind", "id", "English", "chain / evidence"):
            table.add_column(column, overflow="fold")
        for item in result.items:
            evidence = "\n".join(f"{e.source} —{e.relation}→ {e.target}" for e in item.evidence)
            table.add_row("direct", item.entity.id, item.entity.labels.get("en", ""), evidence)
        for found in result.derived:
            chain = "\n".join(
                f"{e.source} —{e.relation}→ {e.target}" + (f"  “{e.sources[0].quote}”" if e.sources else "")
                for e in found.chains[0]
            )
            table.add_row(f"derived ({found.rule.name})", found.entity.id, found.entity.labels.get("en", ""), chain)
        out.print(table)

    @app.command()
    def due(
        plan: Annotated[str | None, typer.Option(help="Only this plan's goals and indicators.")] = None,
        year: Annotated[int | None, typer.Option(help="Due in this year.")] = None,
        by: Annotated[str | None, typer.Option(help="Due on or before this date (YYYY-MM-DD).")] = None,
        overdue_at: Annotated[str | None, typer.Option(help="Deadline passed at this date (YYYY-MM-DD).")] = None,
        store: StoreOption = None,
        db: DbOption = None,
        as_json: JsonOption = False,
    ) -> None:
        """Goals and indicators by deadline, per plan or across plans."""
        from plankg.graph.timeline import Window, deadlines, parse_date

        def work(graph: Any) -> Any:
            window = Window(year, parse_date(by, "--by"), parse_date(overdue_at, "--overdue-at"))
            return deadlines(graph, plan, window)

        result = run(store, db, work)
        if as_json:
            print_json(result)
            return
        table = Table(title=f"{len(result['indicators'])} target(s) by deadline", title_justify="left")
        for column in ("deadline", "indicator", "target", "plans"):
            table.add_column(column, overflow="fold")
        for row in result["indicators"]:
            target = " ".join(str(v) for v in row["target"].values())
            table.add_row(row["deadline"], row["indicator"]["id"], target, ", ".join(row["plans"]))
        out.print(table)

    @app.command()
    def coverage(store: StoreOption = None, db: DbOption = None, as_json: JsonOption = False) -> None:
        """Standards × industries and measures × industries (direct and derived) and the uncovered industries."""
        from plankg.graph.analytics import coverage as run_coverage

        result = run(store, db, run_coverage)
        if as_json:
            print_json(result)
            return
        for key in ("standards_x_industries", "measures_x_industries"):
            direct = sum(p["kind"] == "direct" for p in result[key])
            out.print(f"{key}: {direct} direct, {len(result[key]) - direct} derived pairs", highlight=False)
        table = Table(
            title=f"{len(result['gaps'])} industries targeted without a standard or centre", title_justify="left"
        )
        for column in ("industry", "no standard", "no centre/program"):
            table.add_column(column)
        for gap in result["gaps"]:
            table.add_row(
                gap["industry"]["id"],
                "yes" if gap["without_standard"] else "",
                "yes" if gap["without_centre_or_program"] else "",
            )
        out.print(table)

    @app.command()
    def centrality(store: StoreOption = None, db: DbOption = None, as_json: JsonOption = False) -> None:
        """Industries and standards by betweenness centrality across plans (with degree and the plans naming them)."""
        from plankg.graph.analytics import centrality as run_centrality

        result = run(store, db, run_centrality)
        if as_json:
            print_json(result)
            return
        for key in ("industries", "standards"):
            table = Table(title=key, title_justify="left")
            for column in ("id", "betweenness", "degree", "plans"):
                table.add_column(column, overflow="fold")
            for row in result[key][:15]:
                table.add_row(row["id"], f"{row['betweenness']:.4f}", f"{row['degree']:.4f}", ", ".join(row["plans"]))
            out.print(table)

    @app.command()
    def summary(
        plan: Annotated[str | None, typer.Argument(help="A Plan id; leave out for every plan.")] = None,
        store: StoreOption = None,
        db: DbOption = None,
        as_json: JsonOption = False,
    ) -> None:
        """Per-plan summaries: what its documents state, goals, targets, actions, industries, standards, links."""
        from plankg.graph.analytics import plan_summaries, plan_summary

        result = run(store, db, lambda graph: [plan_summary(graph, plan)] if plan else plan_summaries(graph))
        if as_json:
            print_json(result if plan is None else result[0])
            return
        table = Table(title="plans", title_justify="left")
        for column in ("plan", "documents", "goals", "targets", "actions", "tasks", "industries", "deadlines"):
            table.add_column(column, overflow="fold")
        for row in result:
            table.add_row(
                row["plan"]["id"],
                ", ".join(row["documents"]),
                str(row["goals"]),
                str(len(row["indicators"])),
                str(len(row["measures"])),
                str(len(row["tasks"])),
                str(len(row["industries"])),
                ", ".join(row["deadlines"]),
            )
        out.print(table)
