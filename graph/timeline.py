"""Goals and indicators by deadline, per plan and across plans.

An indicator's deadline is its `deadline` property; a goal is due when its indicators (or its
sub-goals' indicators) are. A plan's indicators are those reached from it by has_goal, then
has_sub_goal (any depth), then measured_by. Filters: due in a year, due by a date (on or
before), overdue at a date (deadline strictly before it — the graph records targets, not
whether they were met, so "overdue" means only that the deadline has passed).
Store-independent: iter_nodes and edges_of only.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from plankg.graph.engine import BadQuery
from plankg.graph.store import GraphStore, NotFound
from plankg.model import Edge, Node
from plankg.model.text import with_article
from plankg.ontology.schema import load_schema

TARGET_KEYS = ("target_value", "target_max", "unit", "comparator", "baseline_value", "baseline_date")


@dataclass(frozen=True)
class Window:
    """Which deadlines count: a year, an end date, and/or 'passed at' a date."""

    year: int | None = None
    by: dt.date | None = None
    overdue_at: dt.date | None = None

    def admits(self, deadline: dt.date) -> bool:
        if self.year is not None and deadline.year != self.year:
            return False
        if self.by is not None and deadline > self.by:
            return False
        return not (self.overdue_at is not None and deadline >= self.overdue_at)

    def to_dict(self) -> dict[str, Any]:
        return {
            "year": self.year,
            "by": self.by.isoformat() if self.by else None,
            "overdue_at": self.overdue_at.isoformat() if self.overdue_at else None,
        }


def parse_date(value: str | None, name: str) -> dt.date | None:
    """An ISO date (YYYY-MM-DD) or None; anything else is a BadQuery naming the parameter."""
    if value is None or value == "":
        return None
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise BadQuery(f"{name} must be a date like 2023-12-31, got {value!r:.40}") from None


def _deadline(node: Node) -> dt.date | None:
    value = node.properties.get("deadline")
    try:
        return dt.date.fromisoformat(str(value)) if value is not None else None
    except ValueError:
        return None


def plan_goals(store: GraphStore, plan_id: str) -> dict[str, list[Edge]]:
    """Every goal of the plan (has_goal, then has_sub_goal at any depth), with the edges reaching it."""
    reached: dict[str, list[Edge]] = {}
    frontier: dict[str, list[Edge]] = {}
    for edge in store.edges_of([plan_id], "has_goal", "out"):
        frontier.setdefault(edge.target, [edge])
    while frontier:
        reached.update(frontier)
        following: dict[str, list[Edge]] = {}
        for edge in store.edges_of(sorted(frontier), "has_sub_goal", "out"):
            if edge.target not in reached and edge.target not in following:
                following[edge.target] = [*frontier[edge.source], edge]
        frontier = following
    return reached


def deadlines(store: GraphStore, plan: str | None = None, window: Window | None = None) -> dict[str, Any]:
    """Indicators (with targets and evidence) and goals, by deadline then id, in one plan or all."""
    window = window or Window()
    plan_type = load_schema().plan_type
    if plan is not None:
        node = store.get(plan)
        if node is None:
            raise NotFound(f"no entity {plan!r}")
        if node.type != plan_type:
            raise BadQuery(f"plan must be the id of {with_article(plan_type)}; {plan!r} is {with_article(node.type)}")
        plans = [plan]
    else:
        plans = [node.id for node in store.iter_nodes(plan_type)]
    goal_plans: dict[str, set[str]] = {}
    for plan_id in plans:
        for goal_id in plan_goals(store, plan_id):
            goal_plans.setdefault(goal_id, set()).add(plan_id)
    measured = store.edges_of(sorted(goal_plans), "measured_by", "out")
    indicator_goals: dict[str, set[str]] = {}
    for edge in measured:
        indicator_goals.setdefault(edge.target, set()).add(edge.source)
    if plan is None:
        candidates = list(store.iter_nodes("Indicator"))
        for edge in store.edges_of([n.id for n in candidates], "measured_by", "in"):
            indicator_goals.setdefault(edge.target, set()).add(edge.source)
    else:
        candidates = list(store.get_many(sorted(indicator_goals)).values())
    parents = _parent_goals(store, sorted({g for goals in indicator_goals.values() for g in goals}))
    indicators: list[dict[str, Any]] = []
    goal_rows: dict[str, dict[str, Any]] = {}
    for node in candidates:
        due = _deadline(node)
        if due is None or not window.admits(due):
            continue
        goals = sorted(indicator_goals.get(node.id, ()))
        owners = sorted({p for g in goals for p in goal_plans.get(g, ())})
        indicators.append(
            {
                "deadline": due.isoformat(),
                "indicator": node.to_dict(),
                "target": {key: node.properties[key] for key in TARGET_KEYS if key in node.properties},
                "goals": goals,
                "plans": owners,
                "evidence": [s.to_dict() for s in node.sources],
            }
        )
        for goal_id in sorted({g for goal in goals for g in [goal, *parents.get(goal, [])]}):
            row = goal_rows.setdefault(goal_id, {"goal": goal_id, "deadlines": set(), "indicators": []})
            row["deadlines"].add(due.isoformat())
            row["indicators"].append(node.id)
    indicators.sort(key=lambda row: (row["deadline"], row["indicator"]["id"]))
    goal_nodes = store.get_many(goal_rows)
    goals_out = []
    for goal_id, row in goal_rows.items():
        if goal_id not in goal_nodes:
            continue
        goals_out.append(
            {
                "deadline": min(row["deadlines"]),
                "deadlines": sorted(row["deadlines"]),
                "goal": goal_nodes[goal_id].to_dict(),
                "indicators": sorted(set(row["indicators"])),
                "plans": sorted(goal_plans.get(goal_id, ())),
            }
        )
    goals_out.sort(key=lambda row: (row["deadline"], row["goal"]["id"]))
    return {"plan": plan, "window": window.to_dict(), "indicators": indicators, "goals": goals_out}


def _parent_goals(store: GraphStore, goal_ids: list[str]) -> dict[str, list[str]]:
    """Each goal's ancestors by has_sub_goal (a parent is due when a sub-goal's indicator is)."""
    parents: dict[str, set[str]] = {}
    frontier = set(goal_ids)
    up: dict[str, set[str]] = {}
    seen: set[str] = set()
    while frontier:
        seen.update(frontier)
        for edge in store.edges_of(sorted(frontier), "has_sub_goal", "in"):
            up.setdefault(edge.target, set()).add(edge.source)
        frontier = {p for node in frontier for p in up.get(node, ())} - seen
    for goal in goal_ids:
        stack, found = [goal], set()
        while stack:
            for parent in up.get(stack.pop(), ()):
                if parent not in found and parent != goal:
                    found.add(parent)
                    stack.append(parent)
        parents[goal] = found
    return {goal: sorted(found) for goal, found in parents.items()}
