"""RDF exports speak standard vocabularies and still round-trip exactly, on both stores.

SKOS for the taxonomies (which classes are concepts is read from the ontology and checked
against the schemes of ontology/taxonomies.ttl), PROV-O plus W3C Web Annotation for
provenance, reification for edge provenance, owl:imports of the ontology, a JSON-LD
context without an `id` term. Every export validates with pyshacl against
ontology/shapes.ttl plus the generated endpoint shapes, parses with rdflib and pyld,
and loads into the other store as the same graph. Files in the earlier shape still load.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pyshacl import validate
from rdflib import OWL, PROV, RDF, RDFS, SKOS, BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic

import plankg.loaders
from plankg.api.app import create_app
from plankg.graph.export import export_stream
from plankg.graph.memory import MemoryStore
from plankg.graph.store import GraphStore
from plankg.graph.writers.rdf import JSONLD_CONTEXT
from plankg.loaders import TAXONOMY_FILE, bundled_paths
from plankg.loaders.shacl import check_shapes
from plankg.model import NOTE, Edge, GraphBatch, Node, Source, formats
from plankg.model.rdf import OA, add_shortcuts, alignment, to_rdf
from plankg.ontology.schema import ID_BASE, PK, load_schema, ontology_files
from plankg.ontology.shapes import SHAPES_FILE, endpoint_shape

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:rdflib")  # rdflib's JSON-LD parser internals

RDF_FORMATS = [fmt.name for fmt in formats.writable() if fmt.is_rdf]
DOC = "plan-x.doc.final"


@cache
def bundled() -> GraphBatch:
    return plankg.loaders.prepare(bundled_paths())


def dump(store: GraphStore) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    return [n.to_dict() for n in store.iter_nodes()], [e.to_dict() for e in store.iter_edges()]


def export_text(store: GraphStore, fmt: str) -> str:
    return "".join(export_stream(store.iter_nodes(), store.iter_edges(), fmt))


def parse(text: str, fmt: str) -> Graph:
    return Graph().parse(data=text, format=formats.FORMATS[fmt].rdf_syntax)


def tree_triples(graph: Graph) -> Counter[tuple[str, str, str]]:
    """The triples with each blank node named by a hash of what hangs below it: equal counters are
    isomorphic graphs when blank nodes form trees, as in every export (sources, selectors, statements)."""
    memo: dict[BNode, str] = {}

    def key(term: Any) -> str:
        if not isinstance(term, BNode):
            return term.n3()
        if term not in memo:
            below = sorted(f"{p.n3()} {key(o)}" for p, o in graph.predicate_objects(term))
            memo[term] = "_:" + hashlib.sha1("\n".join(below).encode()).hexdigest()
        return memo[term]

    return Counter((key(s), key(p), key(o)) for s, p, o in graph)


def fresh_shapes() -> Graph:
    """shapes.ttl plus the generated endpoint shapes, built anew (pyshacl adds axioms to the graphs it is given)."""
    graph = Graph().parse(SHAPES_FILE, format="turtle")
    for relation in load_schema().relation_types.values():
        endpoint_shape(graph, relation, load_schema())
    return graph


def conforms(data: Graph) -> tuple[bool, str]:
    """pyshacl over the export as a consumer would run it: shapes.ttl + generated shapes, the ontology mixed in."""
    ontology = Graph()
    for path in ontology_files():
        ontology.parse(path, format="turtle")
    ok, _results, text = validate(
        data, shacl_graph=fresh_shapes(), ont_graph=ontology, inference="none", allow_warnings=False
    )
    return bool(ok), str(text)


def concept_types_in_taxonomies() -> set[str]:
    """The ontology classes of the resources that ontology/taxonomies.ttl puts in a SKOS scheme."""
    taxonomy = Graph().parse(TAXONOMY_FILE, format="turtle")
    classes = {URIRef(t.iri): name for name, t in load_schema().node_types.items()}
    return {
        classes[cls]
        for concept in taxonomy.subjects(SKOS.inScheme, None)
        for cls in taxonomy.objects(concept, RDF.type)
        if cls in classes
    }


def sample_batch() -> GraphBatch:
    """A Document, two industries in a hierarchy, a Standard, with provenance on every node and edge."""

    def src(locator: str, quote: str) -> Source:
        return Source(DOC, locator, quote)

    nodes = [
        Node(DOC, "Document", {"en": "Final", "zh": "正式版"}, {"issued": "2021-07-05"}, [src("Title", "扬帆")]),
        Node("industry.health", "Industry", {"en": "Health", "zh": "健康"}, {}, [src("Fields", "健康")]),
        Node(
            "industry.smart-health",
            "Industry",
            {"en": "Smart health", "zh": ""},
            {},
            [src("Fields", "智慧医疗")],
            aliases={"en": ["e-health"]},
        ),
        Node("plan-x.std.medical", "Standard", {"en": "Medical", "zh": "医疗"}, {}, [src("Std", "医疗标准")]),
    ]
    edges = [
        Edge("industry.smart-health", "broader", "industry.health", [src("Fields", "智慧医疗")]),
        Edge("plan-x.std.medical", "supports_industry", "industry.smart-health", [src("Std", "医疗")], "unconfirmed"),
    ]
    return GraphBatch(nodes=nodes, edges=edges)


# ---------------------------------------------------------------- the ontology
def test_concept_classes_are_those_of_the_taxonomy_schemes() -> None:
    """Which classes are SKOS concepts is read from the ontology, and it matches the taxonomies' schemes."""
    schemes = alignment().schemes
    assert set(schemes) == concept_types_in_taxonomies()
    taxonomy = Graph().parse(TAXONOMY_FILE, format="turtle")
    for name, scheme in schemes.items():
        members = set(taxonomy.subjects(RDF.type, URIRef(load_schema().node_types[name].iri)))
        assert members and all((m, SKOS.inScheme, scheme) in taxonomy for m in members), name
        assert alignment().scheme_labels[scheme], f"{scheme} has no labels in the ontology"


def test_ontology_imports_and_aligns_the_standard_vocabularies() -> None:
    graph = load_schema().graph
    (ontology,) = set(graph.subjects(RDF.type, OWL.Ontology))
    imports = {str(i) for i in graph.objects(ontology, OWL.imports)}
    assert imports == {
        "http://www.w3.org/2004/02/skos/core",
        "http://www.w3.org/ns/prov-o#",
        "http://www.w3.org/ns/oa#",
    }
    assert (PK.broader, RDFS.subPropertyOf, SKOS.broader) in graph
    shortcuts = dict(alignment().shortcuts)
    assert shortcuts[PK.source] == (PROV.wasDerivedFrom,)
    assert shortcuts[PK.document] == (OA.hasSource,)
    assert shortcuts[PK.quote] == (OA.hasSelector, OA.exact)


# ---------------------------------------------------------------- the shape of an export
def test_skos_concepts_schemes_labels_and_hierarchy() -> None:
    batch = bundled()
    graph = to_rdf(batch.nodes, batch.edges)
    schema = load_schema()
    schemes = alignment().schemes
    concepts = [n for n in batch.nodes if n.type in schemes]
    assert concepts and {n.type for n in concepts} == set(schemes)
    for node in batch.nodes:
        subject = URIRef(schema.iri(node.id))
        is_concept = (subject, RDF.type, SKOS.Concept) in graph
        assert is_concept == (node.type in schemes), node.id
        if is_concept:
            assert set(graph.objects(subject, SKOS.inScheme)) == {schemes[node.type]}
            assert set(graph.objects(subject, SKOS.prefLabel)) == set(graph.objects(subject, RDFS.label))
            assert {str(a) for a in graph.objects(subject, SKOS.altLabel)} == {
                a for names in node.aliases.values() for a in names
            }
    for scheme in set(schemes.values()):
        assert (scheme, RDF.type, SKOS.ConceptScheme) in graph
        assert {lit.language for lit in graph.objects(scheme, SKOS.prefLabel)} == {"en", "zh"}
    hierarchy = [e for e in batch.edges if e.relation == schema.hierarchy_relation]
    assert hierarchy
    for edge in hierarchy:
        narrow, broad = URIRef(schema.iri(edge.source)), URIRef(schema.iri(edge.target))
        assert (narrow, PK.broader, broad) in graph and (narrow, SKOS.broader, broad) in graph
        assert (broad, SKOS.narrower, narrow) in graph
    assert len(list(graph.triples((None, SKOS.broader, None)))) == len(hierarchy)
    assert len(list(graph.triples((None, SKOS.narrower, None)))) == len(hierarchy)


def test_provenance_is_prov_o_and_web_annotation() -> None:
    batch = bundled()
    graph = to_rdf(batch.nodes, batch.edges)
    schema = load_schema()
    for term in (PK.source, PK.document, PK.quote):
        assert not list(graph.triples((None, term, None))), f"{term} is the old shape"
    statements = {
        tuple(graph.value(s, p) for p in (RDF.subject, RDF.predicate, RDF.object)): s
        for s in graph.subjects(RDF.type, RDF.Statement)
    }
    owners: list[tuple[Any, list[Source]]] = [(URIRef(schema.iri(n.id)), n.sources) for n in batch.nodes]
    for edge in batch.edges:
        triple = tuple(URIRef(x) for x in (schema.iri(edge.source), schema.relation_types[edge.relation].iri))
        statement = statements[(*triple, URIRef(schema.iri(edge.target)))]
        assert (statement, PK.status, Literal(edge.status)) in graph
        owners.append((statement, edge.sources))
    for owner, sources in owners:
        found = set()
        for resource in graph.objects(owner, PROV.wasDerivedFrom):
            assert (resource, RDF.type, OA.SpecificResource) in graph
            document = schema.id_from_iri(str(graph.value(resource, OA.hasSource))) or ""
            locator = str(graph.value(resource, PK.locator))
            note = graph.value(resource, RDFS.comment)
            if note is not None:  # a curatorial note: no selector, since it is not the document's words
                assert not list(graph.objects(resource, OA.hasSelector))
                found.add(Source(document, locator, str(note), "note"))
                continue
            (selector,) = graph.objects(resource, OA.hasSelector)
            assert (selector, RDF.type, OA.TextQuoteSelector) in graph
            found.add(Source(document, locator, str(graph.value(selector, OA.exact))))
        assert found == set(sources), owner
    assert (URIRef(ID_BASE), OWL.imports, alignment().ontology) in graph


def test_jsonld_context_leaves_id_alone_and_output_is_deterministic() -> None:
    assert "id" not in JSONLD_CONTEXT and "@vocab" not in JSONLD_CONTEXT
    assert all(value.startswith("http") for value in JSONLD_CONTEXT.values())
    batch = bundled()
    first = "".join(export_stream(batch.nodes, batch.edges, "jsonld"))
    second = "".join(export_stream(list(reversed(batch.nodes)), list(reversed(batch.edges)), "jsonld"))
    assert first == second
    document = json.loads(first)
    assert "id" not in document["@context"]
    pyld = pytest.importorskip("pyld.jsonld")
    # A consumer's own context with the usual alias compacts the export without clashes.
    compacted = pyld.compact(document, {"id": "@id", "type": "@type", **JSONLD_CONTEXT})
    ids = {item["id"] for item in compacted["@graph"] if isinstance(item.get("id"), str)}
    assert f"{ID_BASE}industry.healthcare" in ids


# ---------------------------------------------------------------- every export, both stores
def _check_export(text: str, fmt: str, store: GraphStore) -> None:
    graph = parse(text, fmt)
    assert tree_triples(graph) == tree_triples(to_rdf(store.iter_nodes(), store.iter_edges()))
    ok, report = conforms(graph)
    assert ok, report[:3000]
    if fmt == "jsonld":
        pyld = pytest.importorskip("pyld.jsonld")
        nquads = pyld.to_rdf(json.loads(text), {"format": "application/n-quads"})
        again = Graph().parse(data=nquads, format="nquads")
        assert len(again) == len(graph)
        assert Counter(p for _s, p, _o in again) == Counter(p for _s, p, _o in graph)


@pytest.mark.parametrize("fmt", RDF_FORMATS)
def test_every_export_validates_and_loads_into_the_other_store(
    any_store: GraphStore, request: pytest.FixtureRequest, tmp_path: Path, fmt: str
) -> None:
    any_store.upsert(bundled())
    text = export_text(any_store, fmt)
    _check_export(text, fmt, any_store)
    path = tmp_path / f"export{formats.FORMATS[fmt].extension}"
    path.write_text(text, encoding="utf-8")
    other: GraphStore = (
        request.getfixturevalue("neo4j_store") if any_store.kind == "memory" else MemoryStore(tmp_path / "o.json")
    )
    other.upsert(plankg.loaders.prepare([path], other.known_types))  # field checks and SHACL on the way in
    assert dump(other) == dump(any_store)
    assert export_text(other, fmt) == text or fmt == "turtle"  # Turtle orders blank nodes by hash


@pytest.mark.parametrize("fmt", RDF_FORMATS)
def test_sample_round_trip_is_exact(tmp_path: Path, fmt: str) -> None:
    batch = sample_batch()
    text = "".join(export_stream(batch.nodes, batch.edges, fmt))
    graph = parse(text, fmt)
    assert isomorphic(graph, to_rdf(batch.nodes, batch.edges))
    ok, report = conforms(graph)
    assert ok, report
    path = tmp_path / f"sample{formats.FORMATS[fmt].extension}"
    path.write_text(text, encoding="utf-8")
    loaded = plankg.loaders.prepare([path])
    assert sorted((n.to_dict() for n in loaded.nodes), key=lambda d: d["id"]) == sorted(
        (n.to_dict() for n in batch.nodes), key=lambda d: d["id"]
    )
    assert sorted(e.key_text for e in loaded.edges) == sorted(e.key_text for e in batch.edges)


def test_shapes_reject_a_broken_export() -> None:
    batch = sample_batch()
    graph = to_rdf(batch.nodes, batch.edges)
    selector = next(graph.subjects(RDF.type, OA.TextQuoteSelector))
    graph.remove((selector, OA.exact, None))
    concept = URIRef(load_schema().iri("industry.health"))
    graph.remove((concept, SKOS.inScheme, None))
    ok, report = conforms(graph)
    assert not ok
    assert "non-empty quote" in report and "skos:inScheme" in report


def test_a_curatorial_note_stays_a_note(tmp_path: Path) -> None:
    """A note is the source's rdfs:comment, with no quote selector (it is not the document's words)."""
    batch = sample_batch()
    note = Source(DOC, "Curation", "Grouped under health by the curators.", NOTE)
    batch.edges[0].sources.append(note)
    graph = to_rdf(batch.nodes, batch.edges)
    (resource,) = graph.subjects(RDFS.comment, Literal(note.quote))
    assert (resource, RDF.type, OA.SpecificResource) in graph and graph.value(resource, OA.hasSelector) is None
    assert Literal(note.quote) not in set(graph.objects(None, OA.exact))
    assert conforms(graph)[0]
    for fmt in RDF_FORMATS:
        path = tmp_path / f"note{formats.FORMATS[fmt].extension}"
        path.write_text("".join(export_stream(batch.nodes, batch.edges, fmt)), encoding="utf-8")
        _same(plankg.loaders.prepare([path]), batch)
    graph.add((resource, OA.hasSelector, next(graph.subjects(RDF.type, OA.TextQuoteSelector))))
    ok, report = conforms(graph)
    assert not ok and "or a curatorial note, not both" in report


# ---------------------------------------------------------------- reading: old and other shapes
OLD_SHAPE = """@prefix pk: <https://plankg.org/ontology#> . @prefix id: <https://plankg.org/id/> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
id:plan-x.doc.final a pk:Document ; rdfs:label "Final"@en , "正式版"@zh ; pk:status "confirmed" ;
  pk:issued "2021-07-05"^^<http://www.w3.org/2001/XMLSchema#date> ;
  pk:source [ pk:document id:plan-x.doc.final ; pk:locator "Title" ; pk:quote "扬帆" ] .
id:industry.health a pk:Industry ; rdfs:label "Health"@en , "健康"@zh ; pk:status "confirmed" ;
  pk:source [ pk:document id:plan-x.doc.final ; pk:locator "Fields" ; pk:quote "健康" ] .
id:industry.smart-health a pk:Industry ; rdfs:label "Smart health"@en ; pk:status "confirmed" ;
  <http://www.w3.org/2004/02/skos/core#altLabel> "e-health"@en ;
  pk:source [ pk:document id:plan-x.doc.final ; pk:locator "Fields" ; pk:quote "智慧医疗" ] ;
  pk:broader id:industry.health .
id:plan-x.std.medical a pk:Standard ; rdfs:label "Medical"@en , "医疗"@zh ; pk:status "confirmed" ;
  pk:source [ pk:document id:plan-x.doc.final ; pk:locator "Std" ; pk:quote "医疗标准" ] ;
  pk:supportsIndustry id:industry.smart-health .
[] a rdf:Statement ; rdf:subject id:industry.smart-health ; rdf:predicate pk:broader ;
  rdf:object id:industry.health ; pk:status "confirmed" ;
  pk:source [ pk:document id:plan-x.doc.final ; pk:locator "Fields" ; pk:quote "智慧医疗" ] .
[] a rdf:Statement ; rdf:subject id:plan-x.std.medical ; rdf:predicate pk:supportsIndustry ;
  rdf:object id:industry.smart-health ; pk:status "unconfirmed" ;
  pk:source [ pk:document id:plan-x.doc.final ; pk:locator "Std" ; pk:quote "医疗" ] .
"""


def _same(loaded: GraphBatch, expected: GraphBatch) -> None:
    def canonical(batch: GraphBatch) -> tuple[list[Any], list[Any]]:
        nodes, edges = [n.to_dict() for n in batch.nodes], [e.to_dict() for e in batch.edges]
        for item in (*nodes, *edges):
            item["sources"] = sorted(item["sources"], key=lambda s: json.dumps(s, sort_keys=True))
        return sorted(nodes, key=lambda d: d["id"]), sorted(edges, key=lambda d: (d["source"], d["relation"]))

    assert canonical(loaded) == canonical(expected)


def test_files_in_the_earlier_shape_still_load(tmp_path: Path) -> None:
    path = tmp_path / "old.ttl"
    path.write_text(OLD_SHAPE, encoding="utf-8")
    _same(plankg.loaders.prepare([path]), sample_batch())


def test_skos_hierarchy_alone_reads_as_the_hierarchy_relation(tmp_path: Path) -> None:
    """skos:narrower (no pk:broader) with a reification in skos:broader is the same broader edge."""
    text = OLD_SHAPE.replace(
        "pk:broader id:industry.health .", "<http://www.w3.org/2004/02/skos/core#inScheme> pk:IndustryScheme ."
    )
    text = text.replace("rdf:predicate pk:broader", "rdf:predicate <http://www.w3.org/2004/02/skos/core#broader>")
    text += "id:industry.health <http://www.w3.org/2004/02/skos/core#narrower> id:industry.smart-health .\n"
    path = tmp_path / "skos.ttl"
    path.write_text(text, encoding="utf-8")
    _same(plankg.loaders.prepare([path]), sample_batch())


def test_shape_errors_name_the_record_field(tmp_path: Path) -> None:
    batch = sample_batch()
    text = "".join(export_stream(batch.nodes, batch.edges, "ntriples"))
    lines = [line for line in text.splitlines(keepends=True) if "#exact>" not in line or "扬帆" not in line]
    path = tmp_path / "broken.nt"
    path.write_text("".join(lines), encoding="utf-8")
    with pytest.raises(plankg.loaders.InputError) as caught:
        plankg.loaders.prepare([path])
    assert "[sources[0].quote]" in str(caught.value) and DOC in str(caught.value)
    batch.nodes[1].sources = [Source(DOC, "", "健康")]
    with pytest.raises(plankg.loaders.InputError, match=r"\[sources\[0\]\.locator\].*locator"):
        check_shapes(batch)


# ---------------------------------------------------------------- the SPARQL view
def test_sparql_view_answers_in_both_vocabularies() -> None:
    batch = bundled()
    view = add_shortcuts(to_rdf(batch.nodes, batch.edges))
    prefixes = "PREFIX pk: <https://plankg.org/ontology#> PREFIX prov: <http://www.w3.org/ns/prov#> "
    prefixes += "PREFIX oa: <http://www.w3.org/ns/oa#> PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
    final = f"<{ID_BASE}miit-5g-sailing-2021.doc.final>"

    def ids(query: str) -> set[str]:
        return {str(row[0]) for row in view.query(prefixes + query)}

    old = ids(f"SELECT DISTINCT ?e WHERE {{ ?e a pk:Standard ; pk:source/pk:document {final} }}")
    new = ids(f"SELECT DISTINCT ?e WHERE {{ ?e a pk:Standard ; prov:wasDerivedFrom/oa:hasSource {final} }}")
    assert old and old == new
    quotes_old = ids("SELECT ?q WHERE { ?e pk:source/pk:quote ?q }")
    quotes_new = ids("SELECT ?q WHERE { ?e prov:wasDerivedFrom/oa:hasSelector/oa:exact ?q }")
    assert quotes_old and quotes_old == quotes_new
    below = f"<{ID_BASE}industry.energy>"
    by_pk = ids(f"SELECT DISTINCT ?e WHERE {{ ?e pk:broader+ {below} }}")
    assert by_pk and by_pk == ids(f"SELECT DISTINCT ?e WHERE {{ ?e (pk:broader|skos:broader)+ {below} }}")
    assert by_pk == ids(f"SELECT DISTINCT ?e WHERE {{ {below} skos:narrower+ ?e }}")


# ---------------------------------------------------------------- the ontology at its IRI
@pytest.fixture
def client(tmp_path: Path) -> TestClient:
    return TestClient(create_app(MemoryStore(tmp_path / "g.json")))


def test_ontology_and_shapes_are_served_at_their_iris(client: TestClient) -> None:
    ontology = Graph()
    for path in ontology_files():
        ontology.parse(path, format="turtle")
    turtle = client.get("/ontology")
    assert turtle.status_code == 200 and turtle.headers["content-type"].startswith("text/turtle")
    assert tree_triples(Graph().parse(data=turtle.text, format="turtle")) == tree_triples(ontology)
    assert alignment().ontology == URIRef("https://plankg.org/ontology")  # the path served is the IRI's
    jsonld = client.get("/ontology", headers={"Accept": "application/ld+json"})
    assert jsonld.headers["content-type"].startswith("application/ld+json")
    assert tree_triples(Graph().parse(data=jsonld.text, format="json-ld")) == tree_triples(ontology)
    assert "id" not in jsonld.json()["@context"]
    shapes = client.get("/shapes", headers={"Accept": "text/html, */*;q=0.1"})
    assert shapes.headers["content-type"].startswith("text/turtle")
    assert tree_triples(Graph().parse(data=shapes.text, format="turtle")) == tree_triples(fresh_shapes())
    refused = client.get("/ontology", headers={"Accept": "text/html"})
    assert refused.status_code == 406 and "text/turtle" in refused.text
