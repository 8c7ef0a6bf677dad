"""The ontology is consistent: every relation's endpoints exist, labels are bilingual, names are valid."""

from __future__ import annotations

import pytest
from rdflib import Graph

from plankg.ontology.schema import ONTOLOGY_DIR, Schema, load_schema


def test_every_relation_domain_and_range_is_a_node_type() -> None:
    schema = load_schema()
    assert schema.relation_types
    for relation in schema.relation_types.values():
        assert relation.domain and relation.range, relation.key
        for name in relation.domain + relation.range:
            assert schema.is_node_type(name), f"{relation.key}: {name} is not a class"


def test_required_classes_and_relations_exist() -> None:
    schema = load_schema()
    for name in (
        "Plan",
        "Document",
        "Goal",
        "Indicator",
        "Measure",
        "Industry",
        "Standard",
        "StandardCategory",
        "TechnologyArea",
        "DemonstrationCenter",
        "Program",
        "Organization",
    ):
        assert schema.is_node_type(name), name
    expectations = {
        "has_version": ("Plan", "Document"),
        "issued_by": ("Document", "Organization"),
        "has_goal": ("Plan", "Goal"),
        "measured_by": ("Goal", "Indicator"),
        "has_measure": ("Plan", "Measure"),
        "has_sub_measure": ("Measure", "Measure"),
        "contributes_to": ("Measure", "Goal"),
        "targets_industry": ("Measure", "Industry"),
        "calls_for_standard": ("Measure", "Standard"),
        "calls_for_center": ("Measure", "DemonstrationCenter"),
        "calls_for_program": ("Measure", "Program"),
        "supports_industry": ("Standard", "Industry"),
        "in_category": ("Standard", "StandardCategory"),
        "covers_technology": ("Standard", "TechnologyArea"),
        "serves_industry": ("DemonstrationCenter", "Industry"),
        "broader": ("Industry", "Industry"),
    }
    for key, (source, target) in expectations.items():
        assert schema.relation(key).allows(source, target), key
    assert schema.relation("serves_industry").allows("Program", "Industry")
    # What plan texts state outright: the notice's issuer issues the plan, a plan sets a numeric
    # target under no goal of its own, a task serves a figure its own text states.
    assert schema.relation("issued_by").allows("Plan", "Organization")
    assert schema.relation("has_goal").allows("Plan", "Indicator")
    assert schema.relation("contributes_to").allows("Measure", "Indicator")
    assert not schema.relation("has_goal").allows("Plan", "Measure")
    assert schema.hierarchy_relation == "broader"


def test_labels_in_english_and_chinese_and_unique_neo4j_names() -> None:
    schema = load_schema()
    for item in [*schema.node_types.values(), *schema.relation_types.values(), *schema.property_types.values()]:
        assert item.labels["en"] and item.labels["zh"], item
        assert item.comment, item
    labels = [t.neo4j_label for t in schema.node_types.values()] + [schema.entity_label, schema.state_label]
    assert len(labels) == len(set(labels))
    types = [r.neo4j_type for r in schema.relation_types.values()]
    assert len(types) == len(set(types))


def test_every_turtle_file_parses() -> None:
    for path in sorted(ONTOLOGY_DIR.glob("*.ttl")):
        graph = Graph().parse(path, format="turtle")
        assert len(graph) > 0, path


def test_indicator_properties_declared() -> None:
    props = load_schema().node_properties("Indicator")
    for key in ("target_value", "unit", "comparator", "deadline", "baseline_value"):
        assert key in props
    assert set(props["comparator"].allowed_values) >= {"gt", "ge", "lt", "le", "eq", "range"}


def test_the_plan_type_and_version_relation_come_from_the_ontology() -> None:
    """The relation marked pk:versionRelation names plans and their documents; renaming it in the
    ontology moves both accessors, and a vocabulary without the mark is refused."""
    schema = load_schema()
    assert (schema.version_relation, schema.plan_type) == ("has_version", "Plan")
    assert schema.relation(schema.version_relation).range == (schema.document_type,)

    text = (ONTOLOGY_DIR / "plankg.ttl").read_text(encoding="utf-8")
    renamed = text.replace('pk:key "has_version"', 'pk:key "published_as"').replace("pk:Plan", "pk:Programme")
    other = Schema(Graph().parse(data=renamed, format="turtle"))
    assert (other.version_relation, other.plan_type) == ("published_as", "Programme")

    unmarked = Schema(Graph().parse(data=text.replace("pk:versionRelation true", ""), format="turtle"))
    with pytest.raises(ValueError, match="versionRelation"):
        _ = unmarked.plan_type
