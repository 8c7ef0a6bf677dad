"""Named relationship queries, declared once as patterns over ontology relations.

Each query starts at one entity (its parameter), optionally widens an industry to the
industries below it in the SKOS hierarchy, then follows relation steps. Both stores run
these declarations through graph/engine.py, so the answers cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from plankg.model.text import with_article
from plankg.ontology.schema import load_schema

OUT = "out"
IN = "in"
DIRECTIONS = (OUT, IN, "both")


@dataclass(frozen=True)
class Step:
    """Follow one relation, forwards (out: from the current node) or backwards (in)."""

    relation: str
    direction: str


@dataclass(frozen=True)
class NamedQuery:
    """A question users ask, as a pattern: start type, steps, and whether to follow the hierarchy."""

    name: str
    title: dict[str, str]
    description: str
    param: str
    param_type: str
    steps: tuple[Step, ...] = ()
    expand_hierarchy: bool = False
    by_provenance: bool = False
    example: str = ""
    result_types: tuple[str, ...] = field(default=())
    description_zh: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "title": dict(self.title),
            "description": self.description,
            "descriptions": {"en": self.description, "zh": self.description_zh},
            "parameters": [
                {
                    "name": self.param,
                    "type": self.param_type,
                    "required": True,
                    "description": f"id of {with_article(self.param_type)}",
                    "example": self.example,
                },
                {
                    "name": "include_unconfirmed",
                    "type": "boolean",
                    "required": False,
                    "default": True,
                    "description": "include facts whose status is unconfirmed",
                },
            ],
            "steps": [{"relation": s.relation, "direction": s.direction} for s in self.steps],
            "expand_hierarchy": self.expand_hierarchy,
            "result_types": list(self.result_types),
        }


def _result_types(param_type: str, steps: tuple[Step, ...]) -> tuple[str, ...]:
    schema = load_schema()
    types: tuple[str, ...] = (param_type,)
    for step in steps:
        relation = schema.relation(step.relation)
        if step.direction == OUT:
            assert set(types) & set(relation.domain), (step, types)
            types = relation.range
        else:
            assert set(types) & set(relation.range), (step, types)
            types = relation.domain
    return types


def _query(
    name: str,
    en: str,
    zh: str,
    description: str,
    param: str,
    param_type: str,
    steps: tuple[Step, ...] = (),
    *,
    hierarchy: bool = False,
    provenance: bool = False,
    example: str = "",
    description_zh: str = "",
) -> NamedQuery:
    schema = load_schema()
    assert schema.is_node_type(param_type), param_type
    for step in steps:
        assert schema.is_relation(step.relation), step.relation
    result_types = tuple(schema.node_types) if provenance else _result_types(param_type, steps)
    return NamedQuery(
        name,
        {"en": en, "zh": zh},
        description,
        param,
        param_type,
        steps,
        hierarchy,
        provenance,
        example,
        result_types,
        description_zh,
    )


def _build() -> dict[str, NamedQuery]:
    industry_example = "industry.healthcare"
    goal_example = "miit-5g-sailing-2021.goal.standards-system"
    measure_example = "miit-5g-sailing-2021.measure.standard-system-construction"
    queries = [
        _query(
            "standards_for_industry",
            "Standards supporting an industry",
            "支撑某行业的标准",
            "Standards that support the industry or any industry below it.",
            "industry",
            "Industry",
            (Step("supports_industry", IN),),
            hierarchy=True,
            example=industry_example,
            description_zh="支撑该行业或其下位行业的标准。",
        ),
        _query(
            "industries_for_standard",
            "Industries a standard supports",
            "某标准支撑的行业",
            "Industries the standard supports.",
            "standard",
            "Standard",
            (Step("supports_industry", OUT),),
            example="miit-5g-sailing-2021.std.medical-convergence",
            description_zh="该标准支撑的行业。",
        ),
        _query(
            "measures_for_goal",
            "Measures serving a goal",
            "服务某目标的举措",
            "Measures (special actions and tasks) that contribute to the goal.",
            "goal",
            "Goal",
            (Step("contributes_to", IN),),
            example=goal_example,
            description_zh="为该目标作出贡献的举措（专项行动与任务）。",
        ),
        _query(
            "goals_for_measure",
            "Goals a measure serves",
            "某举措服务的目标",
            "Goals the measure contributes to.",
            "measure",
            "Measure",
            (Step("contributes_to", OUT),),
            example=measure_example,
            description_zh="该举措服务的目标。",
        ),
        _query(
            "indicators_for_goal",
            "Indicators of a goal",
            "某目标的指标",
            "Indicators measuring the goal, with target value, unit, comparator and deadline.",
            "goal",
            "Goal",
            (Step("measured_by", OUT),),
            example=goal_example,
            description_zh="衡量该目标的指标，含目标值、单位、比较方式和期限。",
        ),
        _query(
            "centers_and_programs_for_industry",
            "Centres and programs serving an industry",
            "服务某行业的中心和项目",
            "Demonstration centres, pilots, model projects and benchmarks serving the industry or any "
            "industry below it.",
            "industry",
            "Industry",
            (Step("serves_industry", IN),),
            hierarchy=True,
            example=industry_example,
            description_zh="服务该行业或其下位行业的示范中心、试点、标杆项目和样板。",
        ),
        _query(
            "measures_for_industry",
            "Measures targeting an industry",
            "面向某行业的举措与目标",
            "Measures and goals aimed at the industry or any industry below it.",
            "industry",
            "Industry",
            (Step("targets_industry", IN),),
            hierarchy=True,
            example=industry_example,
            description_zh="面向该行业或其下位行业的举措与目标。",
        ),
        _query(
            "tasks_of_measure",
            "Tasks of a special action",
            "专项行动的任务",
            "The tasks (sub-measures) of a measure.",
            "measure",
            "Measure",
            (Step("has_sub_measure", OUT),),
            example=measure_example,
            description_zh="该举措的任务（下位举措）。",
        ),
        _query(
            "goals_of_plan",
            "Goals of a plan",
            "规划的目标",
            "The goals a plan sets.",
            "plan",
            "Plan",
            (Step("has_goal", OUT),),
            example="plan.miit-5g-sailing-2021",
            description_zh="该规划设定的目标。",
        ),
        _query(
            "measures_of_plan",
            "Special actions of a plan",
            "规划的专项行动",
            "The measures a plan contains.",
            "plan",
            "Plan",
            (Step("has_measure", OUT),),
            example="plan.miit-5g-sailing-2021",
            description_zh="该规划包含的举措。",
        ),
        _query(
            "standards_in_category",
            "Standards in a category",
            "某类别的标准",
            "Standards belonging to the category.",
            "category",
            "StandardCategory",
            (Step("in_category", IN),),
            example="stdcat.basic-common",
            description_zh="属于该类别的标准。",
        ),
        _query(
            "standards_for_technology",
            "Standards covering a technology area",
            "覆盖某技术领域的标准",
            "Standards covering the technology area.",
            "technology",
            "TechnologyArea",
            (Step("covers_technology", IN),),
            example="tech.high-precision-positioning",
            description_zh="覆盖该技术领域的标准。",
        ),
        _query(
            "signatories_of_document",
            "Organisations issuing a document",
            "文件的发布机构",
            "Organisations that issued or signed the document.",
            "document",
            "Document",
            (Step("issued_by", OUT),),
            example="miit-5g-sailing-2021.doc.final",
            description_zh="发布或联合签署该文件的机构。",
        ),
        _query(
            "document_statements",
            "Everything a document states",
            "某文件陈述的全部内容",
            "Every entity and relation whose provenance cites the document; each entity comes with the "
            "relations from it that the document states.",
            "document",
            "Document",
            provenance=True,
            example="miit-5g-sailing-2021.doc.draft",
            description_zh="来源引用该文件的全部实体与关系；每个实体附带该文件陈述的、从它出发的关系。",
        ),
    ]
    return {query.name: query for query in queries}


NAMED_QUERIES: dict[str, NamedQuery] = _build()


@dataclass(frozen=True)
class Derivation:
    """An answer to a named query reached through the graph rather than stated directly.

    From the query's start (widened down the industry hierarchy when the query is), follow
    `steps`; the first step may repeat (`repeat_first`: sub-goals of sub-goals). Answers of
    `result_type` that the direct query does not give are derived, each with its chain of edges.
    """

    query: str
    name: str
    description: str
    steps: tuple[Step, ...]
    result_type: str
    repeat_first: bool = False
    via: str | None = None
    """When set, the node the first step reaches must be of this type (a Measure, not a Goal naming many)."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "query": self.query,
            "name": self.name,
            "description": self.description,
            "steps": [{"relation": s.relation, "direction": s.direction} for s in self.steps],
            "result_type": self.result_type,
            "repeat_first": self.repeat_first,
            "via": self.via,
        }


def _derivation(
    query: str,
    name: str,
    description: str,
    steps: tuple[Step, ...],
    result_type: str,
    *,
    repeat: bool = False,
    via: str | None = None,
) -> Derivation:
    schema = load_schema()
    assert query in NAMED_QUERIES, query
    assert schema.is_node_type(result_type), result_type
    for step in steps:
        assert schema.is_relation(step.relation), step.relation
    assert result_type in NAMED_QUERIES[query].result_types, (query, result_type)
    assert via is None or schema.is_node_type(via), via
    return Derivation(query, name, description, steps, result_type, repeat, via)


def _build_derivations() -> dict[str, tuple[Derivation, ...]]:
    rules = [
        _derivation(
            "standards_for_industry",
            "called_for_by_a_measure_targeting_the_industry",
            "A standard called for by a measure that targets the industry (or one below it).",
            (Step("targets_industry", IN), Step("calls_for_standard", OUT)),
            "Standard",
            via="Measure",
        ),
        _derivation(
            "centers_and_programs_for_industry",
            "centre_called_for_by_a_measure_targeting_the_industry",
            "A demonstration centre called for by a measure that targets the industry (or one below it).",
            (Step("targets_industry", IN), Step("calls_for_center", OUT)),
            "DemonstrationCenter",
            via="Measure",
        ),
        _derivation(
            "centers_and_programs_for_industry",
            "program_called_for_by_a_measure_targeting_the_industry",
            "A program called for by a measure that targets the industry (or one below it).",
            (Step("targets_industry", IN), Step("calls_for_program", OUT)),
            "Program",
            via="Measure",
        ),
        _derivation(
            "measures_for_goal",
            "serves_a_sub_goal",
            "A measure contributing to a sub-goal (at any depth) of the goal.",
            (Step("has_sub_goal", OUT), Step("contributes_to", IN)),
            "Measure",
            repeat=True,
        ),
        _derivation(
            "measures_for_goal",
            "targets_an_industry_the_goal_targets",
            "A measure targeting an industry the goal also targets.",
            (Step("targets_industry", OUT), Step("targets_industry", IN)),
            "Measure",
        ),
        _derivation(
            "measures_for_goal",
            "calls_for_a_program_the_goal_calls_for",
            "A measure calling for a program the goal also calls for.",
            (Step("calls_for_program", OUT), Step("calls_for_program", IN)),
            "Measure",
        ),
        _derivation(
            "measures_for_goal",
            "calls_for_a_centre_the_goal_calls_for",
            "A measure calling for a demonstration centre the goal also calls for.",
            (Step("calls_for_center", OUT), Step("calls_for_center", IN)),
            "Measure",
        ),
        _derivation(
            "indicators_for_goal",
            "indicator_of_a_sub_goal",
            "An indicator measuring a sub-goal (at any depth) of the goal.",
            (Step("has_sub_goal", OUT), Step("measured_by", OUT)),
            "Indicator",
            repeat=True,
        ),
        _derivation(
            "goals_for_measure",
            "goal_of_the_parent_measure",
            "A goal the measure's special action (its parent measure) contributes to.",
            (Step("has_sub_measure", IN), Step("contributes_to", OUT)),
            "Goal",
        ),
    ]
    grouped: dict[str, list[Derivation]] = {}
    for rule in rules:
        grouped.setdefault(rule.query, []).append(rule)
    return {name: tuple(found) for name, found in grouped.items()}


DERIVATIONS: dict[str, tuple[Derivation, ...]] = _build_derivations()
"""Named query -> the ways an answer can be derived through the graph (graph/derive.py runs them)."""
