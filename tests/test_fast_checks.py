"""The fast ontology checks (loaders/checks.py) against pyshacl, the oracle, on the same shapes.

Differential: every file of the bad-input corpus, then random batches — synthetic plans with
random breakages made at the model level (past the record checks, so the shapes themselves
must catch them) — go through both; the verdicts and the problems reported must be equal.
"""

from __future__ import annotations

import copy
import random
from collections.abc import Callable
from pathlib import Path

import pytest
from rdflib import SH, Graph, Literal, URIRef

import plankg.loaders
from bench.synthetic import generate
from plankg.loaders import checks
from plankg.loaders.shacl import check_shapes
from plankg.loaders.validate import validate_batch
from plankg.model import Edge, GraphBatch, Node, Source
from plankg.model.errors import InputError, InputProblem
from plankg.ontology.schema import load_schema
from plankg.ontology.shapes import shapes_graph
from tests.test_reliability_inputs import FILE_INPUTS, write_input

RANDOM_BATCHES = 40


def verdict(check: Callable[[GraphBatch], None], batch: GraphBatch) -> list[InputProblem]:
    try:
        check(batch)
    except InputError as error:
        return sorted(set(error.problems), key=lambda p: (p.file, p.line or 0, p.field or "", p.message))
    return []


def assert_same(batch: GraphBatch, label: str) -> list[InputProblem]:
    oracle = verdict(check_shapes, copy.deepcopy(batch))
    fast = verdict(checks.check_batch, batch)
    assert fast == oracle, f"{label}: pyshacl says {oracle[:5]}, the fast checks say {fast[:5]}"
    return oracle


def test_the_shapes_compile() -> None:
    """Today's shapes use only features the compiler evaluates (else loads would fall back to pyshacl)."""
    assert checks.compiled_shapes() is not None


def test_an_unknown_shacl_feature_falls_back_to_pyshacl() -> None:
    shapes = Graph()
    for triple in shapes_graph():
        shapes.add(triple)
    shape = URIRef("https://plankg.org/shapes#Odd")
    shapes.add((shape, SH.targetClass, URIRef(load_schema().node_types["Standard"].iri)))
    shapes.add((shape, SH.sparql, Literal("SELECT $this WHERE {}")))
    assert checks.compile_shapes(shapes, load_schema()) is None


def corpus_batch(tmp_path: Path, filename: str, content: bytes) -> GraphBatch | None:
    """A corpus file as prepare() hands it to the shape checks (what could be read, merged), or None
    when prepare() stops before the shapes."""
    path = write_input(tmp_path, filename, content)
    try:
        batch = plankg.loaders.read_files([path])
    except InputError as error:
        if error.partial is None:
            return None
        batch = plankg.loaders._without_refused(error.partial, error.rejected)
    try:
        return validate_batch(batch, plankg.loaders._with_refused(lambda _ids: {}, {}))
    except InputError:
        return None


@pytest.mark.parametrize(("name", "filename", "content"), [c[:3] for c in FILE_INPUTS], ids=[c[0] for c in FILE_INPUTS])
def test_bad_input_corpus_same_verdicts(tmp_path: Path, name: str, filename: str, content: bytes) -> None:
    """Each corpus file as prepare() sees it: what could be read, merged; both checkers on it."""
    batch = corpus_batch(tmp_path, filename, content)
    if batch is not None:
        assert_same(batch, name)


def _breakages(schema_types: set[str]) -> list[tuple[str, Callable[[GraphBatch, random.Random], None]]]:
    def node_of(batch: GraphBatch, rng: random.Random, type_name: str | None = None) -> Node:
        nodes = [n for n in batch.nodes if type_name is None or n.type == type_name]
        return rng.choice(nodes or batch.nodes)

    def no_labels(b: GraphBatch, r: random.Random) -> None:
        node_of(b, r).labels = {}

    def french_label(b: GraphBatch, r: random.Random) -> None:
        node_of(b, r).labels = {"fr": "étiquette"}

    def odd_status(b: GraphBatch, r: random.Random) -> None:
        node_of(b, r).status = "maybe"

    def edge_status(b: GraphBatch, r: random.Random) -> None:
        r.choice(b.edges).status = "perhaps"

    def no_sources(b: GraphBatch, r: random.Random) -> None:
        node_of(b, r).sources = []

    def edge_no_sources(b: GraphBatch, r: random.Random) -> None:
        r.choice(b.edges).sources = []

    def empty_locator(b: GraphBatch, r: random.Random) -> None:
        node = node_of(b, r)
        node.sources = [Source(s.document, "", s.quote, s.kind) for s in node.sources]

    def empty_quote(b: GraphBatch, r: random.Random) -> None:
        edge = r.choice(b.edges)
        edge.sources = [Source(s.document, s.locator, "", s.kind) for s in edge.sources]

    def empty_note(b: GraphBatch, r: random.Random) -> None:
        node = node_of(b, r)
        node.sources = [Source(s.document, s.locator, "", "note") for s in node.sources]

    def note(b: GraphBatch, r: random.Random) -> None:
        node = node_of(b, r)
        node.sources = [Source(s.document, s.locator, "a curator's remark", "note") for s in node.sources]

    def drop_property(b: GraphBatch, r: random.Random) -> None:
        node = node_of(b, r, "Indicator")
        if node.properties:
            node.properties.pop(r.choice(sorted(node.properties)))

    def range_without_max(b: GraphBatch, r: random.Random) -> None:
        node = node_of(b, r, "Indicator")
        node.properties["comparator"] = "range"
        node.properties.pop("target_max", None)

    def bad_comparator(b: GraphBatch, r: random.Random) -> None:
        node_of(b, r, "Indicator").properties["comparator"] = "about"

    def text_target(b: GraphBatch, r: random.Random) -> None:
        node_of(b, r, "Indicator").properties["target_value"] = "many"

    def bad_date(b: GraphBatch, r: random.Random) -> None:
        node_of(b, r, "Indicator").properties["deadline"] = "2023-13-45"

    def wrong_end(b: GraphBatch, r: random.Random) -> None:
        edge = r.choice(b.edges)
        other = node_of(b, r)
        b.edges.append(Edge(edge.source, edge.relation, other.id, list(edge.sources), edge.status))

    def wrong_start(b: GraphBatch, r: random.Random) -> None:
        edge = r.choice(b.edges)
        other = node_of(b, r)
        b.edges.append(Edge(other.id, edge.relation, edge.target, list(edge.sources), edge.status))

    def stored_end(b: GraphBatch, r: random.Random) -> None:
        edge = r.choice(b.edges)
        b.edges.append(Edge(edge.source, edge.relation, "stored.elsewhere", list(edge.sources), edge.status))

    return [(f.__name__, f) for f in locals().values() if callable(f) and f.__name__ not in ("node_of",)]


@pytest.mark.parametrize("seed", range(RANDOM_BATCHES))
def test_random_batches_same_verdicts(seed: int) -> None:
    rng = random.Random(seed)
    batch = generate(rng.choice([300, 500, 800]), seed=seed)
    breakages = _breakages(set(load_schema().node_types))
    applied = []
    for _ in range(rng.choice([0, 1, 1, 2, 3])):
        name, breakage = rng.choice(breakages)
        breakage(batch, rng)
        applied.append(name)
    batch.edges = list({e.key: e for e in batch.edges}.values())
    problems = assert_same(batch, f"seed {seed}, {applied}")
    if not applied:
        assert not problems


def test_every_breakage_is_caught_by_both() -> None:
    """Each kind of breakage alone, on a fresh plan: pyshacl and the fast checks both refuse it (or both accept)."""
    refused = []
    for name, breakage in _breakages(set(load_schema().node_types)):
        batch = generate(400, seed=7)
        breakage(batch, random.Random(1))
        batch.edges = list({e.key: e for e in batch.edges}.values())
        if assert_same(batch, name):
            refused.append(name)
    assert len(refused) >= 12, refused


EXTRA_SHAPES = """
@prefix pk:   <https://plankg.org/ontology#> .
@prefix pks:  <https://plankg.org/shapes#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix sh:   <http://www.w3.org/ns/shacl#> .

pks:ExtraShape a sh:NodeShape ;
    sh:targetClass pk:Entity ;
    sh:property
        [ sh:path rdfs:label ; sh:pattern "^[A-Za-z0-9]" ; sh:message "extra: a label starting with a letter" ] ,
        [ sh:path pk:status ; sh:maxLength 9 ; sh:message "extra: a status of at most 9 characters" ] ;
    sh:not [ sh:path pk:status ; sh:hasValue "unconfirmed" ] ;
    sh:and ( [ sh:path rdfs:label ; sh:minCount 2 ] [ sh:path pk:status ; sh:minCount 1 ] ) ;
    sh:message "extra: confirmed, with two labels" .
"""


def test_generated_code_for_constraints_the_shapes_do_not_use_yet() -> None:
    """sh:pattern, sh:maxLength, sh:not and sh:and compile too (today's shapes do not use them): the generated
    functions give pyshacl's verdicts on a batch that breaks each of them."""
    shapes = Graph()
    for triple in shapes_graph():
        shapes.add(triple)
    shapes.parse(data=EXTRA_SHAPES, format="turtle")
    compiled = checks.compile_shapes(shapes, load_schema())
    assert compiled is not None
    assert all(word in compiled.source for word in ("_matches(", "<= 9", "not _ok(", " and _ok("))
    batch = validate_batch(generate(300, seed=5))
    batch.nodes[0].status = "unconfirmed"
    batch.nodes[1].labels = {"en": "-dash first", "zh": "中文"}
    batch.nodes[2].labels = {"zh": "只有中文"}

    def fast(b: GraphBatch) -> None:
        found = compiled.violations(b)
        if found:
            raise InputError(checks.problems(b, found, shapes))

    oracle = verdict(lambda b: check_shapes(b, shapes), copy.deepcopy(batch))
    assert oracle and verdict(fast, batch) == oracle
    assert {"extra: a label starting with a letter", "extra: a status of at most 9 characters"} <= {
        p.message.split(": ", 1)[1].removesuffix(" (shape check)") for p in oracle
    }
