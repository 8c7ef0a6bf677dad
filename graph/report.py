"""One self-contained HTML report on a plan, to mail around.

Contents: the plan and its documents, targets (value, unit, comparator, deadline, evidence),
actions and tasks, industries covered and the coverage gaps among them, what changed against its
previous version (draft → final) and against the plan it continues or that continues it, and
two charts drawn by matplotlib into inline SVG (no network, no scripts). The HTML comes from a
Jinja2 template with autoescaping, so quotes from the sources cannot inject markup.
"""

from __future__ import annotations

import io
from datetime import UTC, datetime
from functools import cache
from typing import Any

import jinja2

from plankg.graph import analytics, diff, timeline
from plankg.graph.engine import BadQuery
from plankg.graph.store import GraphStore, NotFound
from plankg.model import Node
from plankg.model.text import with_article
from plankg.ontology.schema import load_schema

COMPARATORS = {"gt": ">", "ge": "≥", "lt": "<", "le": "≤", "eq": "=", "range": "–"}


@cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("plankg.graph", "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def target_text(target: dict[str, Any]) -> str:
    """'≥ 38 base stations per 10000 people' / '3–5 platforms'."""
    value, comparator = target.get("target_value"), target.get("comparator", "")
    if value is None:
        return ""
    if comparator == "range" and target.get("target_max") is not None:
        number = f"{value}–{target['target_max']}"
    else:
        number = f"{COMPARATORS.get(comparator, comparator)} {value}".strip()
    return f"{number} {target.get('unit', '')}".strip()


def _svg(figure: Any) -> str:
    """A matplotlib figure as inline SVG markup (text kept as text, stable ids, no date)."""
    import matplotlib.pyplot as plt

    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    plt.close(figure)
    text = buffer.getvalue()
    return text[text.index("<svg") :]


def _charts(summary: dict[str, Any], changes: list[dict[str, Any]]) -> list[dict[str, str]]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    charts = []
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "plankg", "font.size": 9}):
        types = summary["statements"]["node_types"]
        if types:
            figure, axes = plt.subplots(figsize=(6, 0.3 * len(types) + 0.8))
            names = list(types)
            axes.barh(names, [types[n] for n in names], color="#4c72b0")
            axes.invert_yaxis()
            axes.set_xlabel("entities the plan's documents state")
            axes.spines[["top", "right"]].set_visible(False)
            charts.append({"title": "What the plan states, by type", "svg": _svg(figure)})
        rows = [c for c in changes if _number(c["a"]) and _number(c["b"]) is not None]
        if rows:
            figure, axes = plt.subplots(figsize=(6, 0.35 * len(rows) + 0.9))
            labels = [c["b"]["labels"]["en"] or c["b"]["id"] for c in rows]
            ratios = [100.0 * (_number(c["b"]) or 0) / (_number(c["a"]) or 1) - 100.0 for c in rows]
            axes.barh(labels, ratios, color=["#55a868" if r >= 0 else "#c44e52" for r in ratios])
            axes.invert_yaxis()
            axes.axvline(0, color="#333", linewidth=0.8)
            axes.set_xlabel("change of the target value, % (same unit where the plans say so)")
            axes.spines[["top", "right"]].set_visible(False)
            charts.append({"title": "Targets against the other plan", "svg": _svg(figure)})
    return charts


def _number(side: dict[str, Any] | None) -> float | None:
    if not side:
        return None
    value = side["properties"].get("target_value")
    return float(value) if isinstance(value, int | float) else None


def _labels(nodes: dict[str, Node], ids: list[str]) -> list[dict[str, Any]]:
    return [nodes[i].to_dict() for i in ids if i in nodes]


def _comparisons(store: GraphStore, plan: Node, summary: dict[str, Any]) -> list[dict[str, Any]]:
    """Draft → final within the plan, and previous plan → this / this → successor (continues)."""
    pairs: list[tuple[str, str, str]] = []
    documents = store.get_many(summary["documents"])
    for edge in store.edges_of(summary["documents"], "supersedes", "out"):
        if edge.target in documents:
            pairs.append((edge.target, edge.source, "earlier version → this version"))
    for edge in store.edges_of([plan.id], "continues", "both"):
        if edge.source == plan.id:
            pairs.append((edge.target, plan.id, "previous plan → this plan"))
        else:
            pairs.append((plan.id, edge.source, "this plan → its successor"))
    result = []
    for a_id, b_id, title in pairs:
        outcome = diff.diff(store, a_id, b_id)
        result.append({"title": title, "diff": outcome, "targets": diff.target_changes(outcome)})
    return result


def build(store: GraphStore, plan_id: str) -> dict[str, Any]:
    """Everything the report shows, as data (the API's JSON twin of the HTML)."""
    plan = store.get(plan_id)
    if plan is None:
        raise NotFound(f"no entity {plan_id!r}")
    plan_type = load_schema().plan_type
    if plan.type != plan_type:
        raise BadQuery(f"{plan_id!r} is {with_article(plan.type)}; a report is about {with_article(plan_type)}")
    snap = analytics.snapshot(store)
    summary = analytics.plan_summary(store, plan_id, snap)
    targets = timeline.deadlines(store, plan_id)["indicators"]
    for row in targets:
        row["target_text"] = target_text(row["target"])
    nodes = snap.nodes
    measures = []
    for measure_id in summary["measures"]:
        tasks = sorted(e.target for e in snap.out(measure_id, "has_sub_measure"))
        measures.append(
            {
                "measure": nodes[measure_id].to_dict(),
                "tasks": _labels(nodes, tasks),
                "industries": sorted(e.target for e in snap.out(measure_id, "targets_industry")),
            }
        )
    cover = analytics.coverage(store, snap)
    industries = set(summary["industries"])
    comparisons = _comparisons(store, plan, summary)
    return {
        "plan": plan.to_dict(),
        "documents": _labels(nodes, summary["documents"]),
        "summary": summary,
        "targets": targets,
        "measures": measures,
        "industries": _labels(nodes, summary["industries"]),
        "coverage": {
            "standards_x_industries": [p for p in cover["standards_x_industries"] if p["column"] in industries],
            "gaps": [g for g in cover["gaps"] if g["industry"]["id"] in industries],
        },
        "comparisons": comparisons,
    }


def render_html(store: GraphStore, plan_id: str, generated: datetime | None = None) -> str:
    """The report as one HTML document: inline CSS and SVG, no scripts, no external references."""
    data = build(store, plan_id)
    changes = [row for comparison in data["comparisons"] for row in comparison["targets"]]
    charts = _charts(data["summary"], changes)
    stamp = (generated or datetime.now(UTC)).strftime("%Y-%m-%d %H:%M UTC")
    return _environment().get_template("report.html.j2").render(**data, charts=charts, generated=stamp)
