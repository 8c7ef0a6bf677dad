"""The `plankg` command line: load, validate, search, show, query, export, stats, serve.

Exit codes: 0 success, 1 a user error with a clear message (bad input, unknown id,
unreachable store), 2 a usage error (unknown command or option).
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from rich.console import Console
from rich.table import Table

from plankg.api.views import entity_json, evidence_line, query_item_json, quotes
from plankg.cli import ask as ask_command
from plankg.cli import extract as extract_command
from plankg.cli import plans as plans_command
from plankg.cli.progress import DelayedProgress
from plankg.graph.engine import BadQuery, run_named_query, statistics
from plankg.graph.queries import NAMED_QUERIES
from plankg.graph.resolve import Ambiguous, resolve_entity
from plankg.graph.store import GraphStore, NotFound, StoreError
from plankg.loaders import bundled_paths, prepare
from plankg.loaders.reading import gc_paused, unbounded
from plankg.model import formats
from plankg.model.errors import InputError

app = typer.Typer(
    name="plankg",
    help=(
        "plankg — a knowledge graph of government plans (goals, indicators, measures, industries, standards, "
        "centres) with the quoted sentence of the plan behind every answer.\n\n"
        "Start with `plankg load` (loads the bundled MIIT 5G Sailing plan), then e.g.\n\n"
        "  plankg query standards_for_industry --industry industry.healthcare\n\n"
        "The store is the embedded file store by default ($PLANKG_DB or ~/.local/share/plankg/graph.json); "
        "set NEO4J_URI (or pass --store neo4j) to use Neo4j."
    ),
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
)
out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)

StoreOption = Annotated[
    str | None, typer.Option("--store", help="memory (embedded, default) or neo4j (default when NEO4J_URI is set).")
]
DbOption = Annotated[
    Path | None,
    typer.Option(
        "--db",
        help="Embedded store file (default $PLANKG_DB or ~/.local/share/plankg/graph.json); implies --store memory.",
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print one JSON document instead of a table.")]
PyshaclOption = Annotated[
    bool, typer.Option("--pyshacl", help="Check the shapes with pyshacl (slow, the reference) instead.")
]


def fail(message: str) -> NoReturn:
    """A user error (bad input, unknown entity, store unreachable): message on stderr, exit 1."""
    err.print(f"[bold red]error:[/] {message}", highlight=False, markup=True)
    raise typer.Exit(1)


def usage_fail(message: str) -> NoReturn:
    """A usage error (unknown command, query, option value): message on stderr, exit 2, as typer does."""
    err.print(f"[bold red]usage error:[/] {message}", highlight=False, markup=True)
    raise typer.Exit(2)


def open_configured(store: str | None, db: Path | None) -> GraphStore:
    from plankg.graph.config import open_store

    if db is not None and store is None:
        store = "memory"  # --db names an embedded store file, even when NEO4J_URI is set
    try:
        return open_store(store, db)
    except StoreError as error:
        fail(str(error))


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def _input_paths(paths: list[Path] | None) -> list[Path]:
    return list(paths) if paths else bundled_paths()


def _report_input_error(error: InputError) -> NoReturn:
    count = len(error.problems)
    err.print(
        f"[bold red]error:[/] {count} problem{'s' if count != 1 else ''} in the input; nothing was written",
        highlight=False,
    )
    for problem in error.problems[:200]:
        err.print(f"  {problem}", highlight=False, markup=False)
    if count > 200:
        err.print(f"  … and {count - 200} more", highlight=False)
    raise typer.Exit(1)


@app.command()
def load(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(help=f"Files or folders: {formats.describe_readers()}. None: every bundled plan."),
    ] = None,
    store: StoreOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
    pyshacl: PyshaclOption = False,
) -> None:
    """Validate inputs against the ontology, then write them all (or nothing) into the store."""
    graph = open_configured(store, db)
    try:
        with DelayedProgress() as progress:
            progress.stage("reading and validating", 1)
            with unbounded():  # the upload limit is the API's; a file named on the command line may be any size
                batch = prepare(_input_paths(paths), graph.known_types, oracle=pyshacl)
            progress.stage("writing", len(batch))
            with gc_paused():  # the write makes no lasting cycles either; collections there found nothing
                summary = graph.upsert(batch, on_progress=progress.update)
        stats = statistics(graph).to_dict()
    except InputError as error:
        _report_input_error(error)
    except StoreError as error:
        fail(str(error))
    finally:
        graph.close()
    if as_json:
        print_json({"loaded": summary.to_dict(), "store": {"kind": graph.kind, **stats}})
        return
    out.print(
        f"loaded {summary.nodes} nodes and {summary.edges} edges into the {graph.kind} store "
        f"(now {stats['nodes']} nodes, {stats['edges']} edges)",
        highlight=False,
    )
    for warning in summary.warnings:
        err.print(f"warning: {warning}", highlight=False)


@app.command()
def validate(
    paths: Annotated[
        list[Path] | None, typer.Argument(help="Files or folders to check; none: the bundled plan.")
    ] = None,
    store: StoreOption = None,
    db: DbOption = None,
    standalone: Annotated[bool, typer.Option(help="Do not look up referenced ids in the store.")] = False,
    as_json: JsonOption = False,
    pyshacl: PyshaclOption = False,
) -> None:
    """Check inputs against the ontology and shapes without writing anything."""
    known = None
    graph = None
    if not standalone:
        graph = open_configured(store, db)
        known = graph.known_types
    try:
        with unbounded():
            batch = prepare(_input_paths(paths), known, oracle=pyshacl)
    except InputError as error:
        if as_json:
            print_json({"valid": False, "problems": [p.to_dict() for p in error.problems]})
            raise typer.Exit(1) from None
        _report_input_error(error)
    except StoreError as error:
        fail(str(error))
    finally:
        if graph is not None:
            graph.close()
    if as_json:
        print_json({"valid": True, "nodes": len(batch.nodes), "edges": len(batch.edges)})
    else:
        out.print(f"valid: {len(batch.nodes)} nodes, {len(batch.edges)} edges", highlight=False)


def _print_entities(nodes: list[Any], title: str) -> None:
    """One line per entity: id, then its names, type and (when not confirmed) status; fits any width."""
    out.print(f"[bold]{title}[/]", highlight=False)
    for node in nodes:
        names = " ".join(filter(None, (node.labels.get("en"), node.labels.get("zh"))))
        status = "" if node.status == "confirmed" else f", {node.status}"
        out.print(f"  {node.id}  {names} ({node.type}{status})", highlight=False)


@app.command()
def search(
    text: Annotated[str, typer.Argument(help="Words to find in English or Chinese labels (case and width ignored).")],
    type_name: Annotated[str | None, typer.Option("--type", help="Only entities of this type, e.g. Industry.")] = None,
    status: Annotated[str | None, typer.Option(help="confirmed or unconfirmed.")] = None,
    limit: Annotated[int, typer.Option(min=1, max=1000, help="At most this many hits.")] = 20,
    store: StoreOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Find entities by label; exact matches first, then prefixes, then substrings."""
    from plankg.ontology.schema import load_schema

    schema = load_schema()
    if type_name and not schema.is_node_type(type_name):
        usage_fail(f"unknown type {type_name!r}; expected one of {', '.join(schema.node_types)}")
    if status and status not in schema.status_values:
        usage_fail(f"unknown status {status!r}; expected one of {', '.join(schema.status_values)}")
    graph = open_configured(store, db)
    try:
        result = graph.search(text, type_name, status, limit, 0)
    except StoreError as error:
        fail(str(error))
    finally:
        graph.close()
    if as_json:
        print_json({"total": result.total, "items": [entity_json(n) for n in result.items]})
    else:
        shown = f" (the first {len(result.items)})" if result.total > len(result.items) else ""
        _print_entities(result.items, f"{result.total} match(es) for {text!r}{shown}")


@app.command()
def show(
    entity_id: Annotated[str, typer.Argument(metavar="ID", help="The entity's id, e.g. industry.healthcare.")],
    store: StoreOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Show one entity: labels, properties, sources and its relations."""
    graph = open_configured(store, db)
    try:
        node = graph.get(entity_id)
        if node is None:
            fail(f"no entity {entity_id!r}; try `plankg search`")
        edges = graph.edges_of([entity_id])
        graph_nodes = graph.get_many({end for edge in edges for end in (edge.source, edge.target)})
    except StoreError as error:
        fail(str(error))
    finally:
        graph.close()
    if as_json:
        print_json({**entity_json(node), "relations": [e.to_dict() for e in edges]})
        return
    out.print(f"[bold]{node.label('en')}[/] {node.labels.get('zh', '')}  ({node.type}, {node.status})")
    out.print(f"id: {node.id}", highlight=False)
    for key, value in node.properties.items():
        out.print(f"{key}: {value}", highlight=False)
    for source in node.sources:
        out.print(f"source: {evidence_line(source)}", highlight=False)
    others = _names(graph_nodes)
    for edge in edges:
        status = "" if edge.status == "confirmed" else f" [{edge.status}]"
        if edge.source == node.id:
            out.print(f"  —{edge.relation}→ {others.get(edge.target, edge.target)}{status}", highlight=False)
        else:
            out.print(f"  ←{edge.relation}— {others.get(edge.source, edge.source)}{status}", highlight=False)


def _names(nodes: dict[str, Any]) -> dict[str, str]:
    """'Healthcare 医疗 (industry.healthcare)' per id: names beside ids."""
    return {
        node_id: " ".join(filter(None, (node.labels.get("en"), node.labels.get("zh")))) + f" ({node_id})"
        for node_id, node in nodes.items()
    }


def _parse_query_args(args: list[str]) -> dict[str, str]:
    params: dict[str, str] = {}
    index = 0
    while index < len(args):
        arg = args[index]
        if not arg.startswith("--"):
            raise typer.BadParameter(f"unexpected argument {arg!r}; parameters look like --industry ID")
        key = arg[2:].replace("-", "_")
        if "=" in key:
            key, value = key.split("=", 1)
        elif index + 1 < len(args):
            index += 1
            value = args[index]
        else:
            raise typer.BadParameter(f"{arg} needs a value")
        params[key] = value
        index += 1
    return params


def _resolve(graph: GraphStore, value: str, type_name: str) -> str:
    """Accept an id, a label or an alias that names exactly one entity of the expected type."""
    try:
        return resolve_entity(graph, value, type_name)
    except NotFound as error:
        fail(f"{error}; try `plankg search {value!r} --type {type_name}`")
    except Ambiguous as error:
        fail(str(error))


def _list_queries(as_json: bool) -> None:
    if as_json:
        print_json([q.to_dict() for q in NAMED_QUERIES.values()])
        return
    table = Table(title="named queries (plankg query NAME --PARAM ID)", title_justify="left")
    for column in ("name", "parameter", "question", "问题"):
        table.add_column(column, overflow="fold")
    for query in NAMED_QUERIES.values():
        table.add_row(query.name, f"--{query.param} <{query.param_type}>", query.title["en"], query.title["zh"])
    out.print(table)


def _queries_epilog() -> str:
    """Every named query with its parameter, for `plankg query --help` (from the declarations)."""
    lines = ["\b", "Named queries (NAME --PARAMETER VALUE; VALUE is an id, a label or an alias):"]
    for named in NAMED_QUERIES.values():
        lines.append(f"  {named.name} --{named.param} <{named.param_type}>")
        lines.append(f"      {named.title['en']} / {named.title['zh']}")
    return "\n".join(lines)


@app.command(context_settings={"allow_extra_args": True, "ignore_unknown_options": True}, epilog=_queries_epilog())
def query(
    ctx: typer.Context,
    name: Annotated[str | None, typer.Argument(help="A named query; leave out to list them.")] = None,
    exclude_unconfirmed: Annotated[bool, typer.Option(help="Leave out facts whose status is unconfirmed.")] = False,
    store: StoreOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Run a named relationship query, e.g. `plankg query standards_for_industry --industry industry.healthcare`.

    The parameter takes an id or a label that names one entity (`--industry 医疗`). Every
    answer comes with the edges and quotes that justify it.
    """
    if name is None:
        _list_queries(as_json)
        return
    named = NAMED_QUERIES.get(name)
    if named is None:
        usage_fail(f"unknown query {name!r}; expected one of {', '.join(NAMED_QUERIES)}")
    try:
        params: dict[str, Any] = _parse_query_args(list(ctx.args))
    except typer.BadParameter as error:
        usage_fail(str(error))
    graph = open_configured(store, db)
    try:
        if named.param in params:
            params[named.param] = _resolve(graph, params[named.param], named.param_type)
        params["include_unconfirmed"] = not exclude_unconfirmed
        items = run_named_query(graph, name, params)
    except (BadQuery, NotFound) as error:
        fail(str(error).strip("'\""))
    except StoreError as error:
        fail(str(error))
    finally:
        graph.close()
    if as_json:
        print_json({"query": name, "parameters": params, "items": [query_item_json(i) for i in items]})
        return
    out.print(f"[bold]{named.title['en']} / {named.title['zh']}[/]: {len(items)} answer(s)", highlight=False)
    for item in items:
        node = item.entity
        names = " ".join(filter(None, (node.labels.get("en"), node.labels.get("zh"))))
        status = "" if node.status == "confirmed" else f", {node.status}"
        out.print(f"\n[bold]{node.id}[/]  {names} ({node.type}{status})", highlight=False)
        for line in quotes(item):
            out.print(f"    {line}", highlight=False)


@app.command()
def export(
    fmt: Annotated[str, typer.Option("--format", help=f"One of: {formats.describe_writers()}.")] = "turtle",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write to this file (default stdout).")] = None,
    type_name: Annotated[
        str | None, typer.Option("--type", help="Only nodes of this type (and edges among them).")
    ] = None,
    store: StoreOption = None,
    db: DbOption = None,
) -> None:
    """Export the whole graph (or one type) in a format the loaders read back."""
    from plankg.graph.export import export_formats, export_store

    if fmt not in export_formats():
        usage_fail(f"unknown format {fmt!r}; expected one of {', '.join(export_formats())}")
    graph = open_configured(store, db)
    try:
        chunks = export_store(graph, fmt, type_name)
        if output is None:
            for chunk in chunks:
                sys.stdout.write(chunk)
        else:
            with open(output, "w", encoding="utf-8") as handle:
                for chunk in chunks:
                    handle.write(chunk)
            err.print(f"wrote {output}", highlight=False)
    except (StoreError, ValueError) as error:
        fail(str(error))
    finally:
        graph.close()


@app.command()
def stats(store: StoreOption = None, db: DbOption = None, as_json: JsonOption = False) -> None:
    """Count nodes and edges, in total and per type."""
    graph = open_configured(store, db)
    try:
        numbers = statistics(graph).to_dict()
    except StoreError as error:
        fail(str(error))
    finally:
        graph.close()
    if as_json:
        print_json({"store": graph.kind, **numbers})
        return
    table = Table(title=f"{graph.kind} store: {numbers['nodes']} nodes, {numbers['edges']} edges", title_justify="left")
    table.add_column("type / relation")
    table.add_column("count", justify="right")
    for key, count in {**numbers["node_types"], **numbers["relation_types"]}.items():
        table.add_row(key, str(count))
    out.print(table)


@app.command()
def schema(as_json: JsonOption = False) -> None:
    """List the ontology's node types, relations (from → to) and properties, with their Chinese labels.

    The same vocabulary as GET /api/v1/schema; every input file must use these names.
    """
    from plankg.api.routes.schema import schema_json

    data = schema_json()
    if as_json:
        print_json(data)
        return
    types = Table(title="node types", title_justify="left")
    for column in ("type", "中文", "properties"):
        types.add_column(column)
    for node_type in data["node_types"]:
        types.add_row(node_type["name"], node_type["labels"].get("zh", ""), ", ".join(node_type["properties"]))
    relations = Table(title="relations", title_justify="left")
    for column in ("relation", "中文", "from", "to"):
        relations.add_column(column)
    for relation in data["relation_types"]:
        relations.add_row(
            relation["key"],
            relation["labels"].get("zh", ""),
            " | ".join(relation["domain"]),
            " | ".join(relation["range"]),
        )
    out.print(types)
    out.print(relations)


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on (127.0.0.1: this machine only).")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="TCP port to listen on.")] = 8000,
    store: StoreOption = None,
    db: DbOption = None,
    workers: Annotated[
        int | None, typer.Option(min=1, max=256, help="Server processes (default: one per CPU core).")
    ] = None,
) -> None:
    """Run the HTTP API (and the explorer) with uvicorn; PLANKG_API_TOKEN enables writes."""
    import uvicorn

    from plankg.api.access_log import configure_access_log
    from plankg.api.app import create_app
    from plankg.api.settings import MAX_REQUEST_HEAD_BYTES

    processes = workers or _cores()
    graph = open_configured(store, db)
    try:
        web = create_app(graph)
    except ValueError as error:
        graph.close()
        fail(str(error))
    configure_access_log()
    out.print(
        f"plankg API on http://{host}:{port} — explorer at /, docs at /docs ({processes} worker"
        f"{'s' if processes > 1 else ''})",
        highlight=False,
    )
    options: dict[str, Any] = {
        "host": host,
        "port": port,
        # uvloop where installed (a dependency off Windows): it sets TCP_NODELAY on each connection, which
        # asyncio's loop skips on the socket several workers share (~40 ms per response, bench/README.md)
        "loop": "auto",
        "access_log": False,
        "log_level": "warning",
        "h11_max_incomplete_event_size": MAX_REQUEST_HEAD_BYTES,
    }
    if processes > 1:
        # Each worker opens the store itself: pass the choice made here on through the environment.
        graph.close()
        os.environ["PLANKG_STORE"] = graph.kind if graph.kind == "neo4j" else "memory"
        if graph.kind == "memory":
            os.environ["PLANKG_DB"] = str(getattr(graph, "path", db or ""))
        uvicorn.run("plankg.api.workers:app_factory", factory=True, workers=processes, **options)
        return
    try:
        uvicorn.run(web, **options)
    finally:
        graph.close()


def _cores() -> int:
    """CPU cores this process may run on."""
    try:
        return max(len(os.sched_getaffinity(0)), 1)
    except AttributeError:
        return os.cpu_count() or 1


extract_command.register(app)
ask_command.register(app)
plans_command.register(app)


def main() -> None:
    """Console-script entry point."""
    app()


if __name__ == "__main__":
    main()
