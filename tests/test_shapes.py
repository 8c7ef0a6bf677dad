"""The SHACL shapes: they parse, they cover every ontology relation, and they catch bad data."""

from __future__ import annotations

import copy

import pytest
from rdflib import RDF, SH, Graph, URIRef
from rdflib.collection import Collection

from plankg.loaders.shacl import check_shapes
from plankg.model import Edge, GraphBatch, Node, Source
from plankg.model.errors import InputError
from plankg.ontology.schema import PK, load_schema
from plankg.ontology.shapes import SHAPES_FILE, shapes_graph

DOC = "plan-x.doc.final"


def sample_batch() -> GraphBatch:
    """A Document, an Industry, a Standard, an Indicator (a range target) and one edge, all valid."""

    def src(locator: str, quote: str) -> Source:
        return Source(DOC, locator, quote)

    nodes = [
        Node(
            DOC, "Document", {"en": "Final version", "zh": "正式版"}, {"issued": "2021-07-05"}, [src("Title", "扬帆")]
        ),
        Node("industry.healthcare", "Industry", {"en": "Healthcare", "zh": ""}, {}, [src("Fields", "医疗")]),
        Node(
            "plan-x.std.medical",
            "Standard",
            {"en": "Medical standards", "zh": "医疗标准"},
            {},
            [src("Standards, para. 1", "医疗"), src("Standards, para. 2", "健康")],
        ),
        Node(
            "plan-x.ind.users",
            "Indicator",
            {"en": "5G users", "zh": "5G用户数"},
            {
                "target_value": 560000000,
                "target_max": 600000000.5,
                "unit": "users",
                "comparator": "range",
                "deadline": "2023-12-31",
                "baseline_value": 0.25,
                "baseline_date": "2020-12-31",
            },
            [src("Goals", "用户数超过5.6亿")],
        ),
    ]
    edges = [
        Edge(
            "plan-x.std.medical",
            "supports_industry",
            "industry.healthcare",
            [src("Standards, para. 1", "especially in medical care")],
            "unconfirmed",
        )
    ]
    return GraphBatch(nodes=nodes, edges=edges)


def _classes(shapes: Graph, shape: URIRef) -> set[str]:
    """The classes a shape requires: its sh:class, or the sh:class of each sh:or alternative."""
    classes = {str(c) for c in shapes.objects(shape, SH["class"])}
    for union in shapes.objects(shape, SH["or"]):
        for member in Collection(shapes, union):
            classes |= {str(c) for c in shapes.objects(member, SH["class"])}
    return classes


def _in_values(shapes: Graph, path: URIRef) -> set[str]:
    values: set[str] = set()
    for prop in shapes.subjects(SH.path, path):
        for listed in shapes.objects(prop, SH["in"]):
            values |= {str(v) for v in Collection(shapes, listed)}
    return values


def test_shapes_parse() -> None:
    graph = Graph().parse(SHAPES_FILE, format="turtle")
    assert len(graph) > 100
    assert set(graph.subjects(RDF.type, SH.NodeShape))


def test_every_relation_has_an_endpoint_shape() -> None:
    schema = load_schema()
    shapes = shapes_graph()
    for key, relation in schema.relation_types.items():
        prop = URIRef(relation.iri)
        targeted = list(shapes.subjects(SH.targetSubjectsOf, prop))
        assert len(targeted) == 1, f"{key}: expected one shape with sh:targetSubjectsOf {prop}"
        shape = targeted[0]
        domain = {schema.node_types[name].iri for name in relation.domain}
        assert _classes(shapes, shape) == domain, f"{key}: domain classes differ from the ontology"
        ranges = [p for p in shapes.objects(shape, SH.property) if shapes.value(p, SH.path) == prop]
        assert len(ranges) == 1, f"{key}: expected a property shape on {prop}"
        assert _classes(shapes, ranges[0]) == {schema.node_types[n].iri for n in relation.range}, key
    relation_iris = {URIRef(r.iri) for r in schema.relation_types.values()}
    assert set(shapes.objects(None, SH.targetSubjectsOf)) <= relation_iris


def test_enumerations_match_the_ontology() -> None:
    schema = load_schema()
    shapes = shapes_graph()
    for key in ("status", "comparator"):
        prop = schema.property_types[key]
        assert _in_values(shapes, URIRef(prop.iri)) == set(prop.allowed_values), key


def test_shape_classes_and_paths_exist_in_the_ontology() -> None:
    schema = load_schema()
    shapes = shapes_graph()
    known = {URIRef(t.iri) for t in schema.node_types.values()} | {PK.Entity}
    used = {c for c in shapes.objects(None, SH["class"])} | {
        c for c in shapes.objects(None, SH.targetClass) if str(c).startswith(str(PK))
    }
    assert used <= known
    paths = {p for p in shapes.objects(None, SH.path) if str(p).startswith(str(PK))}
    vocabulary = (
        {URIRef(p.iri) for p in schema.property_types.values()}
        | {URIRef(r.iri) for r in schema.relation_types.values()}
        | {PK.source, PK.document, PK.locator, PK.quote}
    )
    assert paths <= vocabulary


def _batch() -> GraphBatch:
    batch = sample_batch()
    batch.origins = ["plan.yaml"]
    batch.locations = {node.id: ("plan.yaml", 10 * (index + 1)) for index, node in enumerate(batch.nodes)}
    batch.locations.update({edge.key_text: ("plan.yaml", 100) for edge in batch.edges})
    return batch


def _node(batch: GraphBatch, node_id: str) -> Node:
    return next(node for node in batch.nodes if node.id == node_id)


def test_valid_batch_conforms() -> None:
    check_shapes(_batch())


def _missing_labels(batch: GraphBatch) -> None:
    _node(batch, "industry.healthcare").labels.update(en="", zh="")


def _missing_source(batch: GraphBatch) -> None:
    _node(batch, "plan-x.std.medical").sources = []


def _indicator_without_deadline(batch: GraphBatch) -> None:
    del _node(batch, "plan-x.ind.users").properties["deadline"]


def _wrong_endpoint(batch: GraphBatch) -> None:
    batch.edges.append(Edge("plan-x.std.medical", "supports_industry", "plan-x.ind.users", [Source(DOC, "x", "y")]))
    batch.locations["plan-x.std.medical|supports_industry|plan-x.ind.users"] = ("plan.yaml", 101)


def _wrong_start(batch: GraphBatch) -> None:
    batch.edges.append(Edge("industry.healthcare", "supports_industry", "industry.healthcare", [Source(DOC, "x", "y")]))
    batch.locations["industry.healthcare|supports_industry|industry.healthcare"] = ("plan.yaml", 102)


def _bad_status(batch: GraphBatch) -> None:
    _node(batch, "plan-x.std.medical").status = "probably"


def _bad_edge_status(batch: GraphBatch) -> None:
    batch.edges[0].status = "rumoured"


def _empty_quote(batch: GraphBatch) -> None:
    _node(batch, "plan-x.std.medical").sources[1] = Source(DOC, "Standards, para. 2", "")


def _range_without_max(batch: GraphBatch) -> None:
    del _node(batch, "plan-x.ind.users").properties["target_max"]


def _text_target(batch: GraphBatch) -> None:
    _node(batch, "plan-x.ind.users").properties["target_value"] = "lots"


@pytest.mark.parametrize(
    ("defect", "expected"),
    [
        (_missing_labels, ["plan.yaml:20", "[labels.en]", "'industry.healthcare'", "at least one label"]),
        (_missing_source, ["plan.yaml:30", "[sources]", "'plan-x.std.medical'", "provenance"]),
        (_indicator_without_deadline, ["plan.yaml:40", "[properties.deadline]", "'plan-x.ind.users'", "YYYY-MM-DD"]),
        (
            _wrong_endpoint,
            ["plan.yaml:101", "[to]", "'plan-x.std.medical|supports_industry|plan-x.ind.users'", "end at an Industry"],
        ),
        (
            _wrong_start,
            [
                "plan.yaml:102",
                "[from]",
                "'industry.healthcare|supports_industry|industry.healthcare'",
                "start at a Standard",
            ],
        ),
        (_bad_status, ["plan.yaml:30", "[status]", "'plan-x.std.medical'", "confirmed or unconfirmed"]),
        (_bad_edge_status, ["plan.yaml:100", "[status]", "edge 'plan-x.std.medical|supports_industry|", "confirmed"]),
        (_empty_quote, ["plan.yaml:30", "[sources[1].quote]", "'plan-x.std.medical'", "non-empty quote"]),
        (_range_without_max, ["plan.yaml:40", "[properties.target_max]", "'plan-x.ind.users'", "range"]),
        (_text_target, ["plan.yaml:40", "[properties.target_value]", "'plan-x.ind.users'", "a number"]),
    ],
)
def test_shacl_catches(defect, expected: list[str]) -> None:
    batch = _batch()
    defect(batch)
    with pytest.raises(InputError) as caught:
        check_shapes(batch)
    text = str(caught.value)
    for fragment in expected:
        assert fragment in text, f"{fragment!r} not in {text!r}"


def test_edges_to_stored_entities_are_left_to_the_store_check() -> None:
    batch = _batch()
    batch.edges.append(Edge("plan-x.std.medical", "supports_industry", "industry.stored", [Source(DOC, "l", "q")]))
    check_shapes(batch)  # the endpoint's class is unknown here; validate.py checks it against the store
    batch.edges[-1].sources = []
    with pytest.raises(InputError, match=r"\[sources\] edge 'plan-x.std.medical\|supports_industry\|industry"):
        check_shapes(batch)


def _big_batch(groups: int) -> GraphBatch:
    """About 4 × groups nodes and 3 × groups edges, all valid."""
    base = sample_batch()
    batch = GraphBatch(nodes=[base.nodes[0]], origins=["big.yaml"])
    for i in range(groups):
        for node in base.nodes[1:]:
            clone = copy.deepcopy(node)
            clone.id = f"{node.id}-{i}"
            batch.nodes.append(clone)
        batch.edges.append(
            Edge(
                f"plan-x.std.medical-{i}", "supports_industry", f"industry.healthcare-{i}", [Source(DOC, "l", f"q{i}")]
            )
        )
        batch.edges.append(
            Edge(f"plan-x.std.medical-{i}", "supports_industry", "industry.healthcare-0", [Source(DOC, "l", f"q{i}")])
        )
    return batch
