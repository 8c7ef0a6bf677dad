"""Fast ontology checks: the SHACL shapes compiled once into Python functions over a batch.

pyshacl needs the batch as an rdflib graph (~0.5 ms per element to build) and then walks it
(~4 ms per element); at a million elements that is hours. Here the same shapes
(`shapes_graph()`: ontology/shapes.ttl plus the endpoint shapes generated from the
ontology) are read once and compiled into generated Python source: one function per shape
(its counts, value checks and nested shapes inlined as plain expressions) and one per set of
declared types, calling the class-targeted shapes that apply to that type. They run over a
*view* of each element: the statements model/rdf.py writes for it (`entity_statements`,
`statement_statements`, …, the same functions `to_rdf` uses), spelled as plain strings and
light literals, never as a graph. Nothing here restates a rule: targets, paths, counts,
datatypes, languages, enumerations, classes and messages all come from the shapes graph.

tests/test_fast_checks.py runs pyshacl as the oracle on the bad-input corpus and on random
batches and demands the same verdicts and problems. A shapes graph that uses a SHACL feature
or path this compiler does not know is refused (`compile_shapes` returns None) and loaders
fall back to pyshacl, so a new kind of rule is never skipped.
"""

from __future__ import annotations

import itertools
import os
import pickle
import re
import threading
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import Any

from rdflib import RDF, RDFS, SH, XSD, BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.term import Identifier

from plankg.loaders.reading import gc_paused
from plankg.model import Edge, GraphBatch, Node, Source
from plankg.model.errors import InputError, InputProblem
from plankg.model.rdf import (
    ALT_LABEL,
    COMMENT,
    CONCEPT_SCHEME,
    DERIVED_FROM,
    EXACT,
    HAS_SELECTOR,
    HAS_SOURCE,
    IN_SCHEME,
    LABEL,
    LOCATOR,
    OBJECT,
    PREDICATE,
    PREF_LABEL,
    STATUS,
    SUBJECT,
    TYPE,
    Place,
    alignment,
    entity_statements,
    relation_triples,
    selector_statements,
    source_statements,
    statement_statements,
)
from plankg.ontology.schema import ID_BASE, Schema, load_schema
from plankg.ontology.shapes import PKS, shapes_graph

EMPTY: tuple[Any, ...] = ()


# ------------------------------------------------------------------ the view of a batch as RDF
# Terms as plain values (an IRI is a str, a literal a Lit, a resource a Focus): rdflib terms
# hash and compare slowly.
@dataclass(frozen=True, slots=True)
class Lit:
    """A literal as SHACL sees it: lexical form, datatype (None: xsd:string or, with lang, rdf:langString)."""

    lexical: str
    datatype: str | None = None
    lang: str | None = None
    well_formed: bool = True

    @classmethod
    def of(cls, literal: Literal) -> Lit:
        datatype = None if literal.datatype is None else str(literal.datatype)
        return cls(str(literal), datatype, literal.language, not getattr(literal, "ill_typed", False))


@lru_cache(maxsize=1 << 16)
def _typed(lexical: str, datatype: str) -> Lit:
    """A typed literal as rdflib reads it (normalised lexical form, ill-typed flag), cached: values repeat."""
    return Lit.of(Literal(lexical, datatype=URIRef(datatype)))


class Focus:
    """A resource of the view: an entity, a statement (edge), a source, a quote selector or an IRI."""

    __slots__ = ()
    kind = "iri"
    iri_kind = True

    def values(self, path: str) -> Sequence[Any]:
        return EMPTY

    def predicates(self) -> Iterable[str]:
        return ()

    def declared(self) -> tuple[Any, ...]:
        """Its rdf:type values."""
        return tuple(self.values(TYPE))

    def is_iri(self) -> bool:
        return self.iri_kind


@dataclass(eq=False, slots=True)
class Iri(Focus):
    """A plain IRI (a document outside the batch, a concept scheme): no properties of its own but its types."""

    iri: str
    types: tuple[str, ...] = ()

    def values(self, path: str) -> Sequence[Any]:
        return self.types if path == TYPE else EMPTY

    def predicates(self) -> Iterable[str]:
        return (TYPE,) if self.types else ()


class Described(Focus):
    """A focus whose statements come from model/rdf.py, grouped by predicate on first use (`forget` frees them)."""

    __slots__ = ("_owned", "_terms")

    def __init__(self) -> None:
        self._terms: dict[str, list[Any]] | None = None
        self._owned: list[Described] = []

    def statements(self) -> Iterator[tuple[str, Any]]:
        raise NotImplementedError

    def terms(self) -> dict[str, list[Any]]:
        terms = self._terms
        if terms is None:
            terms = self._terms = {}
            owned = self._owned = []
            for predicate, value in self.statements():
                found = terms.get(predicate)
                if found is None:
                    terms[predicate] = [value]
                else:
                    found.append(value)
                if isinstance(value, Described) and not value.iri_kind:
                    owned.append(value)
        return terms

    def owned(self) -> list[Described]:
        """The blank nodes among its values (sources, quote selectors): they have no other subject."""
        self.terms()
        return self._owned

    def values(self, path: str) -> Sequence[Any]:
        terms = self._terms
        if terms is None:
            terms = self.terms()
        return terms.get(path, EMPTY)

    def predicates(self) -> Iterable[str]:
        return self.terms().keys()

    def forget(self) -> None:
        self._terms = None
        self._owned = []


class _View:
    """What model/rdf.py writes for each element, as foci answering (predicate → values) without a graph.

    Also the `Terms` (model/rdf.py) that spell those statements' objects as plain values.
    """

    def __init__(self, batch: GraphBatch, schema: Schema) -> None:
        self.schema = schema
        self.aligned = alignment()
        self.nodes: dict[str, NodeFocus] = {n.id: NodeFocus(self, n) for n in batch.nodes}
        self.edges = batch.edges
        self.out: dict[str, dict[str, list[Any]]] = defaultdict(lambda: defaultdict(list))
        for edge in batch.edges:
            if edge.source in self.nodes and edge.target in self.nodes:  # as loaders/shacl.py: stored ends left out
                for subject, predicate, value in relation_triples(edge, schema, self.aligned, self):
                    if isinstance(subject, NodeFocus):  # always here (both ends are in the batch)
                        self.out[subject.node.id][predicate].append(value)
        self.schemes: dict[str, Iri] = {}
        self.types_by_class: dict[str, tuple[Any, ...]] = {}

    # Terms (model/rdf.py)
    def iri(self, iri: str) -> str:
        return iri

    def entity(self, entity_id: str) -> Focus:
        return self.nodes.get(entity_id) or Iri(ID_BASE + entity_id)

    def literal(self, lexical: str, lang: str | None = None, datatype: str | None = None) -> Lit:
        return Lit(lexical, None, lang) if datatype is None else _typed(lexical, datatype)

    def scheme(self, iri: str) -> Iri:
        found = self.schemes.get(iri)
        if found is None:  # as model/rdf.py's _RdfTerms.scheme: typed skos:ConceptScheme (labels not checked here)
            found = self.schemes[iri] = Iri(iri, (CONCEPT_SCHEME,))
        return found

    def source(self, owner: str, index: int, source: Source) -> SourceFocus:
        return SourceFocus(self, owner, index, source)

    def selector(self, owner: str, index: int, source: Source) -> SelectorFocus:
        return SelectorFocus(self, owner, index, source)

    def close(self) -> None:
        """Break the view's cycle (its entities point back at it), so reference counting frees it at once,
        with or without the cyclic collector (loads pause it). Violations keep what they name."""
        self.nodes = {}
        self.out.clear()

    def foci(self) -> Iterator[Described]:
        """Every entity and statement (sources and selectors are reached from them, schemes after)."""
        yield from self.nodes.values()
        for edge in self.edges:
            yield StatementFocus(self, edge)


class NodeFocus(Described):
    __slots__ = ("node", "view")
    kind = "node"

    def __init__(self, view: _View, node: Node) -> None:
        Described.__init__(self)
        self.view = view
        self.node = node

    @property
    def iri(self) -> str:
        return ID_BASE + self.node.id

    def statements(self) -> Iterator[tuple[str, Any]]:
        view = self.view
        yield from entity_statements(self.node, view.schema, view.aligned, view)
        for predicate, values in view.out.get(self.node.id, {}).items():
            for value in values:
                yield predicate, value

    def declared(self) -> tuple[Any, ...]:
        """The rdf:types: the same for every entity of a class (model/rdf.py types by class), so read once per class."""
        types = self.view.types_by_class.get(self.node.type)
        if types is None:
            held = self._terms, self._owned
            types = self.view.types_by_class[self.node.type] = tuple(self.values(TYPE))
            self._terms, self._owned = held
        return types


class StatementFocus(Described):
    __slots__ = ("edge", "view")
    kind = "statement"
    iri_kind = False

    def __init__(self, view: _View, edge: Edge) -> None:
        Described.__init__(self)
        self.view = view
        self.edge = edge

    def statements(self) -> Iterator[tuple[str, Any]]:
        return statement_statements(self.edge, self.view.schema, self.view)


class SourceFocus(Described):
    __slots__ = ("index", "owner", "source", "view")
    kind = "source"
    iri_kind = False

    def __init__(self, view: _View, owner: str, index: int, source: Source) -> None:
        Described.__init__(self)
        self.view = view
        self.owner = owner
        self.index = index
        self.source = source

    def statements(self) -> Iterator[tuple[str, Any]]:
        return source_statements(self.owner, self.index, self.source, self.view)


class SelectorFocus(SourceFocus):
    __slots__ = ()
    kind = "selector"

    def statements(self) -> Iterator[tuple[str, Any]]:
        return selector_statements(self.source, self.view)


# ------------------------------------------------------------------ the shapes compiled


class Unsupported(Exception):
    """The shapes use a SHACL feature the compiler does not evaluate: use pyshacl instead."""


KNOWN_PATHS = {
    TYPE,
    LABEL,
    COMMENT,
    PREF_LABEL,
    ALT_LABEL,
    IN_SCHEME,
    STATUS,
    LOCATOR,
    DERIVED_FROM,
    HAS_SOURCE,
    HAS_SELECTOR,
    EXACT,
    SUBJECT,
    PREDICATE,
    OBJECT,
}
"""Predicates `_View` answers besides the ontology's properties and relations (and their standard super-properties)."""
SHAPE_KEYS = {
    RDF.type,
    SH.targetClass,
    SH.targetSubjectsOf,
    SH.targetObjectsOf,
    SH.property,
    SH.path,
    SH.message,
    SH.minCount,
    SH.maxCount,
    SH.datatype,
    SH.nodeKind,
    SH["in"],
    SH.languageIn,
    SH.uniqueLang,
    SH.minLength,
    SH.maxLength,
    SH.hasValue,
    SH["class"],
    SH["or"],
    SH.xone,
    SH["and"],
    SH["not"],
    SH.pattern,
    SH.name,
    SH.description,
    SH.severity,
    RDFS.comment,
    RDFS.label,
    PKS.field,
}
"""Shape terms the compiler knows; any other term in a shape makes the shapes unsupported."""

Check = tuple[str, Any]
"""One constraint on each value: its SHACL kind ("datatype", "in", "class", "or", …) and its argument."""


@dataclass
class Violation:
    """One failed constraint: the focus, the shape that failed, the path and the offending value (if any)."""

    focus: Any
    shape: Identifier
    path: str | None
    value: Any
    message: str


@dataclass(eq=False)
class CompiledShape:
    """A node or property shape as read from the shapes graph: counts, checks on each value, nested shapes."""

    node: Identifier
    path: str | None
    message: str
    count: tuple[int | None, int | None] = (None, None)
    unique_lang: bool = False
    has_value: Any = None
    value_checks: list[Check] = field(default_factory=list)
    properties: list[CompiledShape] = field(default_factory=list)


class _Compiler:
    """Reads the shapes graph into CompiledShapes and knows the class hierarchy for sh:class."""

    def __init__(self, shapes: Graph, schema: Schema) -> None:
        self.shapes = shapes
        self.schema = schema
        self.supers: dict[str, set[str]] = defaultdict(set)
        for sub, sup in schema.graph.subject_objects(RDFS.subClassOf):
            self.supers[str(sub)].add(str(sup))
        self.paths = set(KNOWN_PATHS) | {p.iri for p in schema.property_types.values()}
        self.paths |= {r.iri for r in schema.relation_types.values()}
        self.paths |= {str(p) for ps in alignment().super_properties.values() for p in ps}
        self.paths |= {str(p) for p in alignment().inverses}
        self._compiled: dict[Identifier, CompiledShape] = {}
        self._closures: dict[tuple[Any, ...], frozenset[str]] = {}

    def closure(self, classes: Iterable[str]) -> set[str]:
        seen: set[str] = set()
        stack = list(classes)
        while stack:
            cls = stack.pop()
            if cls not in seen:
                seen.add(cls)
                stack.extend(self.supers.get(cls, ()))
        return seen

    def types(self, value: Any) -> frozenset[str]:
        """Every class of a view value (declared and their superclasses), for sh:class."""
        if not isinstance(value, Focus):
            return frozenset()
        declared = value.declared()
        known = self._closures.get(declared)
        if known is None:
            known = self._closures[declared] = frozenset(self.closure(declared))
        return known

    def listed(self, head: Any) -> list[Any]:
        return list(Collection(self.shapes, head))

    def compile(self, node: Any) -> CompiledShape:
        if node in self._compiled:
            return self._compiled[node]
        g: Any = self.shapes  # rdflib types terms as Node; shapes hold Identifiers
        for predicate in set(g.predicates(node)):
            if predicate not in SHAPE_KEYS:
                raise Unsupported(f"{node}: {predicate}")
        path = g.value(node, SH.path)
        if path is not None and (not isinstance(path, URIRef) or str(path) not in self.paths):
            raise Unsupported(f"{node}: path {path}")
        message = g.value(node, SH.message)
        shape = CompiledShape(
            node,
            None if path is None else str(path),
            str(message) if message is not None else "does not match the shapes",
        )
        self._compiled[node] = shape
        low, high = g.value(node, SH.minCount), g.value(node, SH.maxCount)
        shape.count = (int(low) if low is not None else None, int(high) if high is not None else None)
        shape.unique_lang = bool(g.value(node, SH.uniqueLang))
        shape.has_value = _plain(g.value(node, SH.hasValue))
        shape.value_checks = self._value_checks(node)
        shape.properties = [self.compile(p) for p in sorted(g.objects(node, SH.property))]
        return shape

    def _value_checks(self, node: Any) -> list[Check]:
        g: Any = self.shapes
        checks: list[Check] = []
        datatype = g.value(node, SH.datatype)
        if datatype is not None:
            checks.append(("datatype", str(datatype)))
        kind = g.value(node, SH.nodeKind)
        if kind is not None:
            allowed = {SH.IRI: (True, False, False), SH.BlankNodeOrIRI: (True, True, False)}.get(kind)
            if allowed is None:
                raise Unsupported(f"sh:nodeKind {kind}")
            checks.append(("node_kind", allowed))
        members = g.value(node, SH["in"])
        if members is not None:
            checks.append(("in", frozenset(_plain(m) for m in self.listed(members))))
        langs = g.value(node, SH.languageIn)
        if langs is not None:
            checks.append(("language_in", tuple(str(x).lower() for x in self.listed(langs))))
        for term, name in ((SH.minLength, "min_length"), (SH.maxLength, "max_length")):
            bound = g.value(node, term)
            if bound is not None:
                checks.append((name, int(bound)))
        pattern = g.value(node, SH.pattern)
        if pattern is not None:
            checks.append(("pattern", re.compile(str(pattern))))
        for cls in g.objects(node, SH["class"]):
            checks.append(("class", str(cls)))
        for term, rule in ((SH["or"], "or"), (SH.xone, "xone"), (SH["and"], "and")):
            listed = g.value(node, term)
            if listed is not None:
                checks.append((rule, [self.compile(a) for a in self.listed(listed)]))
        negated = g.value(node, SH["not"])
        if negated is not None:
            checks.append(("not", self.compile(negated)))
        return checks


# ------------------------------------------------------------------ the shapes as generated Python


def _has_datatype(datatype: str, value: Any) -> bool:
    return type(value) is Lit and _datatype(value) == datatype and value.well_formed


def _language_in(langs: tuple[str, ...], value: Any) -> bool:
    if type(value) is not Lit or value.lang is None:
        return False
    lang = value.lang.lower()
    return any(lang == x or lang.startswith(x + "-") for x in langs)


def _matches(regex: re.Pattern[str], value: Any) -> bool:
    return not _blank(value) and bool(regex.search(_lexical(value)))


def _has_value(values: Sequence[Any], expected: Any) -> bool:
    return any(v == expected and type(v) is type(expected) for v in values)


def _unique_langs(values: Sequence[Any]) -> bool:
    langs = [v.lang for v in values if type(v) is Lit and v.lang]
    return len(langs) == len(set(langs))


def _plain(term: Any) -> Any:
    """A shapes-graph term as the view writes it: an IRI as str, a literal as Lit."""
    if term is None:
        return None
    return Lit.of(term) if isinstance(term, Literal) else str(term)


LANG_STRING, STRING = str(RDF.langString), str(XSD.string)


def _datatype(value: Lit) -> str:
    if value.datatype is not None:
        return value.datatype
    return LANG_STRING if value.lang else STRING


def _lexical(value: Any) -> str:
    if isinstance(value, Lit):
        return value.lexical
    if isinstance(value, NodeFocus | Iri):
        return value.iri
    return str(value)


def _blank(value: Any) -> bool:
    return isinstance(value, Focus) and not value.is_iri()


def _node_kind(value: Any, allowed: tuple[bool, bool, bool]) -> bool:
    iri, blank, literal = allowed
    if isinstance(value, Lit):
        return literal
    if isinstance(value, str):
        return iri
    if isinstance(value, Focus):
        return iri if value.is_iri() else blank
    return False


def _identity(value: Any) -> Any:
    """What makes a value the same SHACL focus node: its IRI, or the literal itself."""
    if isinstance(value, NodeFocus | Iri):
        return value.iri
    return value


Shape = Callable[[Any, list[Violation]], None]
"""A generated shape function: appends the violations of its shape at a focus."""


class _Generator:
    """Writes one Python function per shape, its checks inlined as expressions over each value `v`.

    The source is compiled with `exec` once per process; constants (paths, messages, shape
    terms, enumerations) are passed in `K`, never spelled into the source.
    """

    def __init__(self, compiler: _Compiler) -> None:
        self.compiler = compiler
        self.constants: list[Any] = []
        self.names: dict[int, str] = {}
        self.shapes: list[CompiledShape] = []
        self.chunks: list[str] = []

    def const(self, value: Any) -> str:
        self.constants.append(value)
        return f"K[{len(self.constants) - 1}]"

    def name(self, shape: CompiledShape) -> str:
        found = self.names.get(id(shape))
        if found is None:
            found = self.names[id(shape)] = f"shape_{len(self.names)}"
            self.shapes.append(shape)
            self.chunks.append(self._function(shape, found))
        return found

    def _check(self, check: Check) -> str:
        kind, argument = check
        if kind == "datatype":
            return f"_has_datatype({self.const(argument)}, v)"
        if kind == "node_kind":
            return f"_node_kind(v, {self.const(argument)})"
        if kind == "in":
            return f"(v in {self.const(argument)})"
        if kind == "language_in":
            return f"_language_in({self.const(argument)}, v)"
        if kind in ("min_length", "max_length"):
            compare = ">=" if kind == "min_length" else "<="
            return f"(not _blank(v) and len(_lexical(v)) {compare} {int(argument)})"
        if kind == "pattern":
            return f"_matches({self.const(argument)}, v)"
        if kind == "class":
            return f"({self.const(argument)} in _types(v))"
        if kind == "not":
            return f"(not _ok({self.name(argument)}, v))"
        parts = [f"_ok({self.name(part)}, v)" for part in argument]
        if kind == "or":
            return f"({' or '.join(parts) or 'False'})"
        if kind == "and":
            return f"({' and '.join(parts) or 'True'})"
        if kind == "xone":
            return f"(({' + '.join(parts) or '0'}) == 1)"
        raise Unsupported(f"check {kind}")

    def _function(self, shape: CompiledShape, name: str) -> str:
        where = f"{self.const(shape.node)}, {self.const(shape.path)}"
        message = self.const(shape.message)
        lines = [f"def {name}(focus, found):  # {shape.node if isinstance(shape.node, URIRef) else shape.path}"]
        if shape.path is None:
            lines.append("    values = (focus,)")
        else:
            lines.append(f"    values = focus.values({self.const(shape.path)}) if isinstance(focus, Focus) else ()")
        low, high = shape.count
        bounds = [f"len(values) < {low}" if low is not None else "", f"len(values) > {high}" if high else ""]
        if high == 0:
            bounds[1] = "len(values) > 0"
        if any(bounds):
            lines.append(f"    if {' or '.join(b for b in bounds if b)}:")
            lines.append(f"        found.append(Violation(focus, {where}, None, {message}))")
        if shape.unique_lang:
            lines.append("    if not _unique_langs(values):")
            lines.append(f"        found.append(Violation(focus, {where}, None, {message}))")
        if shape.has_value is not None:
            lines.append(f"    if not _has_value(values, {self.const(shape.has_value)}):")
            lines.append(f"        found.append(Violation(focus, {where}, None, {message}))")
        if shape.value_checks:
            condition = " and ".join(self._check(check) for check in shape.value_checks)
            lines.append("    for v in values:")
            lines.append(f"        if not ({condition}):")
            lines.append(f"            found.append(Violation(focus, {where}, v, {message}))")
        if shape.properties:
            calls = [f"{self.name(prop)}(v, found)" for prop in shape.properties]
            lines.append("    for v in values:")
            lines.extend(f"        {call}" for call in calls)
        if len(lines) == 2:
            lines.append("    pass")
        return "\n".join(lines) + "\n"

    def build(self) -> dict[str, Any]:
        """Compile every function written so far; their namespace (functions by name)."""

        def ok(shape: Shape, value: Any) -> bool:
            found: list[Violation] = []
            shape(value, found)
            return not found

        namespace: dict[str, Any] = {
            "K": self.constants,
            "Focus": Focus,
            "Violation": Violation,
            "_ok": ok,
            "_types": self.compiler.types,
            "_has_datatype": _has_datatype,
            "_node_kind": _node_kind,
            "_language_in": _language_in,
            "_blank": _blank,
            "_lexical": _lexical,
            "_matches": _matches,
            "_has_value": _has_value,
            "_unique_langs": _unique_langs,
        }
        exec(compile(self.source(), "<plankg compiled shapes>", "exec"), namespace)  # our own generated source
        return namespace

    def source(self) -> str:
        return "\n\n".join(self.chunks)


class CompiledShapes:
    """Every top-level shape as a generated function, with its targets: classes, subjects-of, objects-of."""

    def __init__(self, compiler: _Compiler, targeted: list[tuple[CompiledShape, list[str], list[str], list[str]]]):
        self.compiler = compiler
        self.targeted = targeted
        generator = _Generator(compiler)
        names = [generator.name(shape) for shape, _c, _s, _o in targeted]
        namespace = generator.build()
        self.source = generator.source()
        """The generated Python (for reading; tests/test_fast_checks.py runs it against pyshacl)."""
        self.functions: list[Shape] = [namespace[name] for name in names]
        self.classes = {cls for _s, classes, _subj, _obj in targeted for cls in classes}
        self.subjects_of: dict[str, list[tuple[int, Shape]]] = defaultdict(list)
        self.objects_of: dict[str, list[tuple[int, Shape]]] = defaultdict(list)
        for index, (_shape, _classes, subjects_of, objects_of) in enumerate(targeted):
            for predicate in subjects_of:
                self.subjects_of[predicate].append((index, self.functions[index]))
            for predicate in objects_of:
                self.objects_of[predicate].append((index, self.functions[index]))
        self.by_predicate = {
            p: (self.subjects_of.get(p, []), self.objects_of.get(p, [])) for p in {*self.subjects_of, *self.objects_of}
        }
        self._by_types: dict[tuple[Any, ...], tuple[Shape, frozenset[int]]] = {}

    def for_types(self, declared: tuple[Any, ...]) -> tuple[Shape, frozenset[int]]:
        """One generated function per set of declared types (a node type, a statement, a source…): it runs
        the shapes targeting those classes or their superclasses; and the indices of those shapes."""
        found = self._by_types.get(declared)
        if found is None:
            classes = self.compiler.closure(declared) & self.classes
            indices = [i for i, (_s, targets, _subj, _obj) in enumerate(self.targeted) if classes & set(targets)]
            calls = "".join(f"    F[{i}](focus, found)\n" for i in indices) or "    pass\n"
            namespace: dict[str, Any] = {"F": self.functions}
            exec(f"def for_types(focus, found):\n{calls}", namespace)  # our own generated source
            found = self._by_types[declared] = (namespace["for_types"], frozenset(indices))
        return found

    def violations(self, batch: GraphBatch) -> list[Violation]:
        view = self.view(batch)
        try:
            return self.check(view)
        finally:
            view.close()

    def view(self, batch: GraphBatch) -> _View:
        """The batch as the checks see it (close it after: it holds a cycle)."""
        return _View(batch, self.compiler.schema)

    def check(self, view: _View, start: int = 0, stop: int | None = None) -> list[Violation]:
        """The violations at the view's entities and statements numbered start..stop (entities first), and at
        the concept schemes these name. Two slices find, between them, what the whole does (a focus
        targeted by objects-of shapes from both is checked in each: the same violation twice)."""
        found: list[Violation] = []
        seen: set[tuple[int, Any]] = set()
        for focus in itertools.islice(view.foci(), start, stop):
            self._visit(focus, found, seen)
        for scheme in list(view.schemes.values()):
            self._visit(scheme, found, seen)
        return found

    def _visit(self, focus: Focus, found: list[Violation], seen: set[tuple[int, Any]]) -> None:
        """The shapes targeting one subject of the view, then the blank nodes it owns (sources, selectors)."""
        run, done = self.for_types(focus.declared())
        run(focus, found)
        by_predicate = self.by_predicate
        extra: set[int] | None = None
        for predicate in focus.predicates():
            targets = by_predicate.get(predicate)
            if targets is None:
                continue
            by_subject, by_object = targets
            for index, shape in by_subject:
                if index in done or (extra is not None and index in extra):
                    continue
                extra = extra or set()
                extra.add(index)
                shape(focus, found)
            if by_object:
                for value in focus.values(predicate):
                    blank = isinstance(value, Focus) and not value.is_iri()  # a blank node has one subject: this one
                    for index, shape in by_object:
                        if not blank:
                            mark = (index, _identity(value))
                            if mark in seen:
                                continue
                            seen.add(mark)
                        shape(value, found)
        if isinstance(focus, Described):
            for owned in focus.owned():
                self._visit(owned, found, seen)
            focus.forget()


@cache
def compiled_shapes() -> CompiledShapes | None:
    """The shapes compiled once per process, or None when they use a feature not compiled here."""
    return compile_shapes(shapes_graph(), load_schema())


def compile_shapes(shapes: Graph, schema: Schema) -> CompiledShapes | None:
    """Compile every shape that has a target; None if any uses an unsupported SHACL feature."""
    compiler = _Compiler(shapes, schema)
    roots = set(shapes.subjects(SH.targetClass, None)) | set(shapes.subjects(SH.targetSubjectsOf, None))
    roots |= set(shapes.subjects(SH.targetObjectsOf, None))
    if set(shapes.subjects(SH.targetNode, None)):
        return None
    targeted = []
    try:
        for root in sorted(roots, key=str):
            targeted.append(
                (
                    compiler.compile(root),
                    sorted(str(o) for o in shapes.objects(root, SH.targetClass)),
                    sorted(str(o) for o in shapes.objects(root, SH.targetSubjectsOf) if isinstance(o, URIRef)),
                    sorted(str(o) for o in shapes.objects(root, SH.targetObjectsOf) if isinstance(o, URIRef)),
                )
            )
        return CompiledShapes(compiler, targeted)
    except Unsupported:
        return None


# ------------------------------------------------------------------ violations → input problems


def _term(value: Any, places: dict[Identifier, Place], counter: list[int]) -> Identifier:
    """The RDF term standing for a view value, registering where it belongs (as model.rdf's places do)."""
    if isinstance(value, Lit):
        return Literal(value.lexical, lang=value.lang, datatype=None if value.lang else value.datatype)
    if isinstance(value, NodeFocus):
        term: Identifier = URIRef(value.iri)
        places[term] = Place(value.node.id)
        return term
    if isinstance(value, Iri):
        return URIRef(value.iri)
    if isinstance(value, str):
        return URIRef(value)
    counter[0] += 1
    term = BNode(f"v{counter[0]}")
    if isinstance(value, StatementFocus):
        places[term] = Place(value.edge.key_text)
    elif isinstance(value, SourceFocus):  # a source or its quote selector: both point at sources[i]
        places[term] = Place(value.owner, f"sources[{value.index}]")
    return term


def problems(batch: GraphBatch, violations: list[Violation], shapes: Graph | None = None) -> list[InputProblem]:
    """Violations as InputProblems, through loaders/shacl.py's own mapping of SHACL results (so both read alike)."""
    from plankg.loaders.shacl import _Mapper

    places: dict[Identifier, Place] = {}
    results = Graph()
    counter = [0]
    for violation in violations:
        result = BNode()
        results.add((result, RDF.type, SH.ValidationResult))
        results.add((result, SH.focusNode, _term(violation.focus, places, counter)))
        results.add((result, SH.sourceShape, violation.shape))
        results.add((result, SH.resultMessage, Literal(violation.message)))
        if violation.path is not None:
            results.add((result, SH.resultPath, URIRef(violation.path)))
        if violation.value is not None and violation.value is not violation.focus:
            results.add((result, SH.value, _term(violation.value, places, counter)))
    mapper = _Mapper(batch, places, load_schema())
    shapes = shapes_graph() if shapes is None else shapes
    found: list[InputProblem] = []
    for entry in sorted(results.subjects(RDF.type, SH.ValidationResult), key=str):
        for problem in mapper.problems(entry, results, shapes):  # type: ignore[arg-type]
            if problem not in found:
                found.append(problem)
    found.sort(key=lambda p: (p.file, p.line or 0, p.message, p.field or ""))
    return found


def check_batch(batch: GraphBatch, *, oracle: bool = False) -> None:
    """The shapes over the batch, fast; InputError as loaders.shacl.check_shapes would raise.

    pyshacl runs instead when asked (`oracle`) or when the shapes use a feature not compiled here.
    """
    compiled = None if oracle else compiled_shapes()
    if compiled is None:
        from plankg.loaders.shacl import check_shapes

        check_shapes(batch)
        return
    with gc_paused():  # a bulk step: see loaders/reading.py
        if _forks(batch):
            found = _problems_in_two(compiled, batch)
        else:
            violations = compiled.violations(batch)
            found = problems(batch, violations) if violations else []
    if found:
        raise InputError(found)


FORK_FROM_ELEMENTS = 50_000
"""Shape checks of batches this large (nodes + edges) are split over two processes when allowed (`_forks`)."""
FORK_UP_TO_ELEMENTS = 250_000
"""…and smaller than this: the child copies the pages it touches (reference counts), measured 818 MB for the
half of a million-element batch, which would take a load's memory past 2 GB; ~200 MB at this size."""
forked_checks = 0
"""How many shape checks ran split over two processes (tests read it to know the split path ran)."""


def _forks(batch: GraphBatch) -> bool:
    """Whether to fork a second process for the shape checks: a large batch but not a huge one (memory),
    PLANKG_CHECK_WORKERS ≥ 2 (its default counts the cores this process may use), a core to spare (the
    load average, this process included, below the workers: on a busy machine the child only queues —
    measured at 200,000 with a load average of 3–4 on 2 cores, 19.0 s split against 16.6 s in process),
    fork available, and one thread only (a fork while other threads hold locks — the API's — could
    deadlock the child)."""
    from plankg.settings import Settings

    if not FORK_FROM_ELEMENTS <= len(batch.nodes) + len(batch.edges) < FORK_UP_TO_ELEMENTS:
        return False
    workers = Settings.from_env().check_workers
    return (
        workers >= 2
        and hasattr(os, "fork")
        and threading.active_count() == 1
        and (not hasattr(os, "getloadavg") or os.getloadavg()[0] < workers)
    )


def _sorted_problems(found: Iterable[InputProblem]) -> list[InputProblem]:
    """Each problem once, in `problems`' order."""
    unique = list(dict.fromkeys(found))
    unique.sort(key=lambda p: (p.file, p.line or 0, p.message, p.field or ""))
    return unique


def _problems_in_two(compiled: CompiledShapes, batch: GraphBatch) -> list[InputProblem]:
    """The shape checks' problems, the second half of the elements checked by a forked child.

    The view is built once before the fork (the child reads it copy-on-write, nothing is pickled
    but the child's problems, usually none). The two halves' problems are merged, deduplicated and
    sorted as `problems` does for one list, so messages and their order are those of one process.
    If the child fails, its half is checked here: the verdict never depends on the fork.
    """
    global forked_checks
    view = compiled.view(batch)
    total = len(view.nodes) + len(view.edges)
    middle = total // 2
    read_end, write_end = os.pipe()
    child = os.fork()
    if child == 0:  # the child: its half, its problems down the pipe, and out without cleanup
        code = 1
        try:
            os.close(read_end)
            theirs = compiled.check(view, middle, total)
            payload = pickle.dumps(problems(batch, theirs) if theirs else [])
            with os.fdopen(write_end, "wb") as out:
                out.write(payload)
            code = 0
        finally:
            os._exit(code)
    os.close(write_end)
    try:
        with os.fdopen(read_end, "rb") as pipe:
            mine = compiled.check(view, 0, middle)
            payload = pipe.read()
    finally:
        _, status = os.waitpid(child, 0)
    try:
        if status != 0 or not payload:
            raise ValueError("the child's shape checks did not finish")
        child_problems: list[InputProblem] = pickle.loads(payload)  # our own child's list of InputProblems
        forked_checks += 1
    except (ValueError, pickle.UnpicklingError, EOFError):
        missing = compiled.check(view, middle, total)
        child_problems = problems(batch, missing) if missing else []
    finally:
        view.close()
    return _sorted_problems([*(problems(batch, mine) if mine else []), *child_problems])


__all__ = ["check_batch", "compile_shapes", "compiled_shapes"]
