"""Questions an analyst asks of the bundled plans, each answered exactly, each answer with a quote.

The expected sets are read off the sources in ../shared/sources (the 5G Sailing draft
summary and final fact sheet, the 2024 upgrade, industrial internet and Guangzhou fact
sheets), not off the program's output.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from plankg.graph.engine import run_named_query
from plankg.graph.memory import MemoryStore
from plankg.loaders import bundled_paths, bundled_plan_dirs, prepare

P = "miit-5g-sailing-2021."
U = "miit-5g-upgrade-2024."
II = "industrial-internet-2021."
GZ = "guangzhou-5g-2021."
SIGNATORIES = {
    "org.miit",
    "org.cac",
    "org.ndrc",
    "org.moe",
    "org.mof",
    "org.mohurd",
    "org.mct",
    "org.nhc",
    "org.sasac",
    "org.nea",
}

QUESTIONS: list[tuple[str, str, dict[str, object], set[str]]] = [
    (
        "Which standards support healthcare? (draft: 'especially in medical care, industry and media')",
        "standards_for_industry",
        {"industry": "industry.healthcare"},
        {P + "std.medical-convergence", P + "std.key-industry-convergence", P + "std.key-industry-key-standards"},
    ),
    (
        "Which standards support industry (manufacturing), incl. the industrial internet below it?",
        "standards_for_industry",
        {"industry": "industry.manufacturing"},
        {
            P + "std.industrial-convergence",
            P + "std.key-industry-convergence",
            P + "std.key-industry-key-standards",
            II + "std.industrial-big-data",
            II + "std.standards-system",  # industrial internet is narrower than industry
        },
    ),
    (
        "Which standards support the industrial internet?",
        "standards_for_industry",
        {"industry": "industry.industrial-internet"},
        {II + "std.standards-system"},
    ),
    (
        "Which programs serve culture and tourism, in all plans?",
        "centers_and_programs_for_industry",
        {"industry": "industry.culture-tourism"},
        {
            P + "prog.culture-tourism-model-projects",
            U + "prog.smart-tourism-pilots",
            U + "prog.5g-scenic-spots",
            U + "prog.digital-museum-benchmarks",
        },
    ),
    (
        "Which goals and measures of all plans target smart education?",
        "measures_for_industry",
        {"industry": "industry.smart-education"},
        {
            P + "goal.key-fields-15",
            P + "goal.model-projects",
            P + "task.education-terminals-content",
            U + "task.smart-education",
        },
    ),
    (
        "Which centres and programs serve the industrial internet and manufacturing?",
        "centers_and_programs_for_industry",
        {"industry": "industry.manufacturing"},
        {II + "prog.5g-fully-connected-factories", II + "center.industry-demonstration-bases"},
    ),
    (
        "Which measures serve the 2023 model-projects goal? (smart education and healthcare rows)",
        "measures_for_goal",
        {"goal": P + "goal.model-projects"},
        {
            P + "task.education-terminals-content",
            P + "task.healthcare-5g-equipment",
            P + "task.healthcare-networks-edge-cloud",
        },
    ),
    (
        "What are the 2027 targets of the upgrade plan's network coverage goal? (38 per 10,000 people)",
        "indicators_for_goal",
        {"goal": U + "goal.network-coverage"},
        {U + "ind.base-stations-per-10k"},
    ),
    (
        "Who signed the 2024 upgrade plan? (five of twelve named)",
        "signatories_of_document",
        {"document": U + "doc.final"},
        {"org.miit", "org.cac", "org.ndrc", "org.mct", "org.moe"},
    ),
    (
        "Which industries do the media application standards support?",
        "industries_for_standard",
        {"standard": P + "std.media-convergence"},
        {"industry.media"},
    ),
    (
        "Which measures serve the 2023 standards-system goal? ('Specific measures to achieve this goal include')",
        "measures_for_goal",
        {"goal": P + "goal.standards-system"},
        {
            P + "measure.standard-system-construction",
            P + "task.cross-industry-protocol-standards",
            P + "task.key-industry-convergence-standards",
            P + "task.land-key-industry-standards",
        },
    ),
    (
        "Which goal does 'land a batch of key industry standards' serve?",
        "goals_for_measure",
        {"measure": P + "task.land-key-industry-standards"},
        {P + "goal.standards-system"},
    ),
    (
        "What are the targets for 5G users? (>40 % penetration, >560 million users)",
        "indicators_for_goal",
        {"goal": P + "goal.user-penetration"},
        {P + "ind.user-penetration", P + "ind.5g-users"},
    ),
    (
        "Which programs serve healthcare, including smart healthcare below it?",
        "centers_and_programs_for_industry",
        {"industry": "industry.healthcare"},
        {P + "prog.smart-healthcare-model-projects"},
    ),
    (
        "Which programs serve transport? (5G + Internet of Vehicles pilots)",
        "centers_and_programs_for_industry",
        {"industry": "industry.transport"},
        {P + "prog.iov-pilots"},
    ),
    (
        "What are the tasks of the standard system construction action? (four tasks)",
        "tasks_of_measure",
        {"measure": P + "measure.standard-system-construction"},
        {
            P + "task.cross-industry-protocol-standards",
            P + "task.key-industry-convergence-standards",
            P + "task.land-key-industry-standards",
            P + "task.standards-public-service",
        },
    ),
    ("Who issued the draft? (MIIT alone)", "signatories_of_document", {"document": P + "doc.draft"}, {"org.miit"}),
    (
        "Who signed the final version? (ten signatories)",
        "signatories_of_document",
        {"document": P + "doc.final"},
        SIGNATORIES,
    ),
    (
        "Which basic common standards does the plan call for?",
        "standards_in_category",
        {"category": "stdcat.basic-common"},
        {
            P + "std.chip-module",
            P + "std.network",
            P + "std.platform",
            P + "std.security-architecture",
            P + "std.application-requirements",
            P + "std.terminology-definitions",
        },
    ),
    (
        "Which standards cover high-precision positioning?",
        "standards_for_technology",
        {"technology": "tech.high-precision-positioning"},
        {P + "std.high-precision-positioning"},
    ),
    (
        "Which confirmed special actions and measures does the plan contain? (actions 5-8 are unconfirmed)",
        "measures_of_plan",
        {"plan": "plan.miit-5g-sailing-2021", "include_unconfirmed": False},
        {
            P + "measure.standard-system-construction",
            P + "measure.industrial-base-strengthening",
            P + "measure.information-consumption-upgrade",
            P + "measure.industry-convergence-deepening",
            P + "task.healthcare-5g-equipment",
            P + "task.healthcare-networks-edge-cloud",
            P + "task.education-terminals-content",
            P + "task.mmwave-frequency-plan",
            P + "task.industrial-frequency-licensing",
        },
    ),
]


@pytest.fixture(scope="module")
def plan_store(tmp_path_factory: pytest.TempPathFactory) -> MemoryStore:
    store = MemoryStore(Path(tmp_path_factory.mktemp("plan")) / "graph.json")
    store.upsert(prepare(bundled_paths(), store.known_types))
    return store


@pytest.mark.parametrize(("question", "name", "params", "expected"), QUESTIONS, ids=[q[0][:60] for q in QUESTIONS])
def test_question_has_exactly_the_expected_answer_with_quotes(
    plan_store: MemoryStore, question: str, name: str, params: dict[str, object], expected: set[str]
) -> None:
    items = run_named_query(plan_store, name, dict(params))
    assert {item.entity.id for item in items} == expected, question
    for item in items:
        assert item.evidence, f"{item.entity.id} has no evidence"
        assert all(source.quote for edge in item.evidence for source in edge.sources)


def test_indicator_targets_carry_value_unit_comparator_deadline(plan_store: MemoryStore) -> None:
    items = {
        i.entity.id: i.entity
        for i in run_named_query(plan_store, "indicators_for_goal", {"goal": P + "goal.user-penetration"})
    }
    penetration = items[P + "ind.user-penetration"].properties
    assert (penetration["target_value"], penetration["comparator"], penetration["deadline"]) == (40, "gt", "2023-12-31")
    users = items[P + "ind.5g-users"].properties
    assert (users["target_value"], users["comparator"]) == (560_000_000, "gt")
    centres = run_named_query(plan_store, "indicators_for_goal", {"goal": P + "goal.security-centres"})[0].entity
    assert (centres.properties["target_value"], centres.properties["target_max"]) == (10, 20)
    assert centres.properties["comparator"] == "range"


def test_unconfirmed_facts_are_marked_and_can_be_excluded(plan_store: MemoryStore) -> None:
    every = run_named_query(plan_store, "measures_of_plan", {"plan": "plan.miit-5g-sailing-2021"})
    unconfirmed = {i.entity.id for i in every if i.entity.status == "unconfirmed"}
    assert len(unconfirmed) == 4
    assert unconfirmed.isdisjoint(
        i.entity.id
        for i in run_named_query(
            plan_store, "measures_of_plan", {"plan": "plan.miit-5g-sailing-2021", "include_unconfirmed": False}
        )
    )


def test_everything_the_draft_states_cites_the_draft(plan_store: MemoryStore) -> None:
    draft = P + "doc.draft"
    items = run_named_query(plan_store, "document_statements", {"document": draft})
    ids = {item.entity.id for item in items}
    assert {P + "goal.standards-system", P + "std.medical-convergence", "org.miit"} <= ids
    assert P + "prog.culture-tourism-model-projects" not in ids  # named in the final version only
    for item in items:
        for edge in item.evidence:
            assert any(source.document == draft for source in edge.sources)


def test_the_bundled_plan_has_every_type() -> None:
    store_types = {node.type for node in prepare(bundled_paths()).nodes}
    from plankg.ontology.schema import load_schema

    assert store_types == set(load_schema().node_types)


def test_which_standards_support_healthcare_has_three_evidenced_answers(plan_store: MemoryStore) -> None:
    items = run_named_query(plan_store, "standards_for_industry", {"industry": "industry.healthcare"})
    assert len(items) >= 3
    for item in items:
        assert item.evidence, item.entity.id
        quotes = [source.quote for edge in item.evidence for source in edge.sources]
        assert quotes and all(quotes), item.entity.id
        assert any("medical care" in quote for quote in quotes), item.entity.id


@pytest.mark.parametrize("folder", bundled_plan_dirs(), ids=lambda p: p.name)
def test_each_plan_loads_with_its_documents_goals_and_measures(plan_store: MemoryStore, folder: Path) -> None:
    plan = f"plan.{folder.name}"
    assert plan_store.get(plan) is not None
    assert run_named_query(plan_store, "goals_of_plan", {"plan": plan})
    assert run_named_query(plan_store, "measures_of_plan", {"plan": plan})
    documents = [n for n in plan_store.iter_nodes() if n.type == "Document" and n.id.startswith(folder.name + ".")]
    assert documents
    for document in documents:
        assert (folder / document.properties["text_file"]).is_file()


def test_bundled_paths_are_the_taxonomies_and_every_plan() -> None:
    paths = bundled_paths()
    assert paths[0].name == "taxonomies.ttl"
    assert [p.name for p in paths[1:]] == [
        "guangzhou-5g-2021",
        "industrial-internet-2021",
        "miit-5g-sailing-2021",
        "miit-5g-upgrade-2024",
    ]


def test_plans_link_to_plans_and_targets_to_targets(plan_store: MemoryStore) -> None:
    edges = {(e.source, e.relation, e.target) for e in plan_store.iter_edges()}
    assert ("plan.guangzhou-5g-2021", "implements", "plan.miit-5g-sailing-2021") in edges
    assert ("plan.miit-5g-upgrade-2024", "continues", "plan.miit-5g-sailing-2021") in edges
    assert (GZ + "doc.final", "cites", P + "doc.final") in edges
    refined = {(s, t) for s, r, t in edges if r == "refines"}
    assert (U + "ind.user-penetration", P + "ind.user-penetration") in refined
    assert len(refined) == 6
