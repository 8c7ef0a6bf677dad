"""Fast ontology checks: the SHACL shapes compiled once into plain-Python checks over a batch.

pyshacl needs the batch as an rdflib graph (~0.5 ms per element to build) and then walks it
(~4 ms per element); at a million elements that is hours. Here the same shapes
(`shapes_graph()`: ontology/shapes.ttl plus the endpoint shapes generated from the
ontology) are read once and evaluated over a *view* of each element: the RDF terms
model/rdf.py writes for it, produced on demand for the paths the shapes ask about, never
as a graph. Nothing here restates a rule: targets, paths, counts, datatypes, languages,
enumerations, classes and messages all come from the shapes graph.

The one thing mirrored here is the RDF shape of an element (which predicate holds which
field: `_View`), so tests/test_fast_checks.py runs pyshacl as the oracle on the bad-input
corpus and on random batches and demands the same verdicts and problems. A shapes graph
that uses a SHACL feature or path this compiler does not know is refused (`compile_shapes`
returns None) and loaders fall back to pyshacl, so a new kind of rule is never skipped.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache, partial
from typing import Any

from rdflib import PROV, RDF, RDFS, SH, SKOS, XSD, BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.term import Identifier

from plankg.model import Edge, GraphBatch, Node, Source
from plankg.model.errors import InputError, InputProblem
from plankg.model.rdf import OA, Place, alignment, property_literal
from plankg.ontology.schema import ID_BASE, LANGUAGES, PK, Schema, load_schema
from plankg.ontology.shapes import PKS, shapes_graph

# ------------------------------------------------------------------ the view of a batch as RDF
# Terms as plain strings (an IRI is a str, a literal a Lit): rdflib terms hash and compare slowly.
TYPE = str(RDF.type)
LABEL = str(RDFS.label)
COMMENT = str(RDFS.comment)
PREF_LABEL = str(SKOS.prefLabel)
ALT_LABEL = str(SKOS.altLabel)
IN_SCHEME = str(SKOS.inScheme)
STATUS = str(PK.status)
LOCATOR = str(PK.locator)
DERIVED_FROM = str(PROV.wasDerivedFrom)
HAS_SOURCE = str(OA.hasSource)
HAS_SELECTOR = str(OA.hasSelector)
EXACT = str(OA.exact)
SUBJECT = str(RDF.subject)
PREDICATE = str(RDF.predicate)
OBJECT = str(RDF.object)
STATEMENT = str(RDF.Statement)
CONCEPT = str(SKOS.Concept)
CONCEPT_SCHEME = str(SKOS.ConceptScheme)
SPECIFIC_RESOURCE = str(OA.SpecificResource)
QUOTE_SELECTOR = str(OA.TextQuoteSelector)


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


class Focus:
    """A resource of the view: an entity, a statement (edge), a source, a quote selector or an IRI."""

    __slots__ = ()
    kind = "iri"

    def values(self, path: str) -> list[Any]:
        return []

    def predicates(self) -> Iterable[str]:
        return ()

    def is_iri(self) -> bool:
        return True


@dataclass(eq=False, slots=True)
class Iri(Focus):
    """A plain IRI (a document outside the batch, a class, a relation): no properties of its own."""

    iri: str
    types: tuple[str, ...] = ()

    def values(self, path: str) -> list[Any]:
        return list(self.types) if path == TYPE else []

    def predicates(self) -> Iterable[str]:
        return (TYPE,) if self.types else ()


class _View:
    """What model/rdf.py writes for each element, answered per (focus, predicate) without a graph."""

    def __init__(self, batch: GraphBatch, schema: Schema) -> None:
        self.schema = schema
        self.aligned = alignment()
        self.properties = {p.iri: key for key, p in schema.property_types.items()}
        self.classes = {name: t.iri for name, t in schema.node_types.items()}
        self.relations = {key: r.iri for key, r in schema.relation_types.items()}
        self.nodes: dict[str, NodeFocus] = {n.id: NodeFocus(self, n) for n in batch.nodes}
        self.statements = [StatementFocus(self, e) for e in batch.edges]
        self.schemes_by_type = {name: str(scheme) for name, scheme in self.aligned.schemes.items()}
        self.supers = {key: tuple(str(p) for p in ps) for key, ps in self.aligned.super_properties.items()}
        self.inverses = {str(a): str(b) for a, b in self.aligned.inverses.items()}
        self.out: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        for edge in batch.edges:
            if edge.source in self.nodes and edge.target in self.nodes:  # as loaders/shacl.py: stored ends left out
                prop = self.relations[edge.relation]
                self.out[edge.source][prop].append(edge.target)
                for standard in self.supers.get(edge.relation, ()):
                    self.out[edge.source][standard].append(edge.target)
                    if standard in self.inverses:
                        self.out[edge.target][self.inverses[standard]].append(edge.source)
        self.schemes = {
            str(s): Iri(str(s), (CONCEPT_SCHEME,))
            for n in batch.nodes
            if (s := self.schemes_by_type.get(n.type)) is not None
        }
        self.iris: dict[str, Focus] = {ID_BASE + node_id: focus for node_id, focus in self.nodes.items()}
        self.iris.update(self.schemes)

    def resource(self, iri: str) -> Focus:
        return self.iris.get(iri) or Iri(iri)

    def foci(self) -> Iterator[Focus]:
        """Every subject of the view (schemes' own labels are taken from the ontology, not checked here)."""
        for node in self.nodes.values():
            yield node
            yield from node.source_foci()
        for statement in self.statements:
            yield statement
            yield from statement.source_foci()
        yield from self.schemes.values()


def _sources(view: _View, owner: str, sources: list[Source]) -> list[SourceFocus]:
    return [SourceFocus(view, owner, index, source) for index, source in enumerate(sorted(sources))]


@dataclass(eq=False, slots=True)
class NodeFocus(Focus):
    view: _View
    node: Node
    _sources: list[SourceFocus] | None = None
    kind = "node"

    @property
    def iri(self) -> str:
        return ID_BASE + self.node.id

    def source_foci(self) -> list[SourceFocus]:
        if self._sources is None:
            self._sources = _sources(self.view, self.node.id, self.node.sources)
        return self._sources

    def source_foci_all(self) -> Iterator[Focus]:
        for source in self.source_foci():
            yield source
            yield from source.selector()

    def concept(self) -> bool:
        return self.node.type in self.view.aligned.schemes

    def values(self, path: str) -> list[Any]:
        node, view = self.node, self.view
        if path == TYPE:
            return [view.classes[node.type], *((CONCEPT,) if self.concept() else ())]
        if path == LABEL or (path == PREF_LABEL and self.concept()):
            return [Lit(node.labels[lang], None, lang) for lang in LANGUAGES if node.labels.get(lang)]
        if path == IN_SCHEME:
            return [view.schemes[view.schemes_by_type[node.type]]] if self.concept() else []
        if path == ALT_LABEL:
            return [Lit(name, None, lang) for lang, names in sorted(node.aliases.items()) for name in names]
        if path == STATUS:
            return [Lit(node.status)]
        if path == DERIVED_FROM:
            return list(self.source_foci())
        key = view.properties.get(path)
        if key is not None:
            value = node.properties.get(key)
            return [] if value is None else [Lit.of(property_literal(view.schema, key, value))]
        targets = view.out.get(node.id, {}).get(path)
        return [view.nodes[t] for t in targets] if targets else []

    def predicates(self) -> Iterable[str]:
        node, view = self.node, self.view
        yield TYPE
        if any(node.labels.get(lang) for lang in LANGUAGES):
            yield LABEL
            if self.concept():
                yield PREF_LABEL
        if self.concept():
            yield IN_SCHEME
        if node.aliases:
            yield ALT_LABEL
        yield STATUS
        if node.sources:
            yield DERIVED_FROM
        for key in node.properties:
            if key in view.schema.property_types:
                yield view.schema.property_types[key].iri
        yield from view.out.get(node.id, {})


@dataclass(eq=False, slots=True)
class StatementFocus(Focus):
    view: _View
    edge: Edge
    _sources: list[SourceFocus] | None = None
    kind = "statement"

    def is_iri(self) -> bool:
        return False

    def source_foci(self) -> list[SourceFocus]:
        if self._sources is None:
            self._sources = _sources(self.view, self.edge.key_text, self.edge.sources)
        return self._sources

    def values(self, path: str) -> list[Any]:
        edge, view = self.edge, self.view
        if path == TYPE:
            return [STATEMENT]
        if path == SUBJECT:
            return [view.resource(ID_BASE + edge.source)]
        if path == PREDICATE:
            return [view.relations[edge.relation]]
        if path == OBJECT:
            return [view.resource(ID_BASE + edge.target)]
        if path == STATUS:
            return [Lit(edge.status)]
        if path == DERIVED_FROM:
            return list(self.source_foci())
        return []

    def predicates(self) -> Iterable[str]:
        yield from (TYPE, SUBJECT, PREDICATE, OBJECT, STATUS)
        if self.edge.sources:
            yield DERIVED_FROM


@dataclass(eq=False, slots=True)
class SourceFocus(Focus):
    view: _View
    owner: str
    index: int
    source: Source
    _selector: list[SelectorFocus] | None = None
    kind = "source"

    def is_iri(self) -> bool:
        return False

    def selector(self) -> list[SelectorFocus]:
        if self._selector is None:
            self._selector = [] if self.source.is_note else [SelectorFocus(self)]
        return self._selector

    def values(self, path: str) -> list[Any]:
        if path == TYPE:
            return [SPECIFIC_RESOURCE]
        if path == HAS_SOURCE:
            return [self.view.resource(ID_BASE + self.source.document)]
        if path == LOCATOR:
            return [Lit(self.source.locator)]
        if path == COMMENT:
            return [Lit(self.source.quote)] if self.source.is_note else []
        if path == HAS_SELECTOR:
            return self.selector()
        return []

    def predicates(self) -> Iterable[str]:
        yield from (TYPE, HAS_SOURCE, LOCATOR)
        yield COMMENT if self.source.is_note else HAS_SELECTOR


@dataclass(eq=False, slots=True)
class SelectorFocus(Focus):
    parent: SourceFocus
    kind = "selector"

    def is_iri(self) -> bool:
        return False

    def values(self, path: str) -> list[Any]:
        if path == TYPE:
            return [QUOTE_SELECTOR]
        if path == EXACT:
            return [Lit(self.parent.source.quote)]
        return []

    def predicates(self) -> Iterable[str]:
        return (TYPE, EXACT)


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

Check = Callable[[Any], bool]


@dataclass
class Violation:
    """One failed constraint: the focus, the shape that failed, the path and the offending value (if any)."""

    focus: Focus
    shape: Identifier
    path: str | None
    value: Any
    message: str


@dataclass
class CompiledShape:
    """A node or property shape: its own checks on each value, and nested property shapes."""

    node: Identifier
    path: str | None
    message: str
    count: tuple[int | None, int | None] = (None, None)
    unique_lang: bool = False
    has_value: Any = None
    value_checks: list[Check] = field(default_factory=list)
    properties: list[CompiledShape] = field(default_factory=list)

    def conforms(self, focus: Any, compiler: _Compiler) -> bool:
        found: list[Violation] = []
        self.collect(focus, found)
        return not found

    def violations(self, focus: Any, compiler: _Compiler) -> list[Violation]:
        found: list[Violation] = []
        self.collect(focus, found)
        return found

    def collect(self, focus: Any, found: list[Violation]) -> None:
        """Append this shape's violations at `focus` (a plain loop: this runs a few dozen times per element)."""
        path = self.path
        if path is None:
            values = [focus]
        elif isinstance(focus, Focus):
            values = focus.values(path)
        else:
            values = []
        low, high = self.count
        if (low is not None and len(values) < low) or (high is not None and len(values) > high):
            found.append(Violation(focus, self.node, path, None, self.message))
        if self.unique_lang:
            langs = [v.lang for v in values if isinstance(v, Lit) and v.lang]
            if len(langs) != len(set(langs)):
                found.append(Violation(focus, self.node, path, None, self.message))
        expected = self.has_value
        if expected is not None and not any(v == expected and type(v) is type(expected) for v in values):
            found.append(Violation(focus, self.node, path, None, self.message))
        checks = self.value_checks
        if checks:
            for value in values:
                for check in checks:
                    if not check(value):
                        found.append(Violation(focus, self.node, path, value, self.message))
                        break
        for prop in self.properties:
            for value in values:
                prop.collect(value, found)


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
        self._closures: dict[tuple[str, ...], frozenset[str]] = {}

    def closure(self, classes: Iterable[str]) -> set[str]:
        seen: set[str] = set()
        stack = list(classes)
        while stack:
            cls = stack.pop()
            if cls not in seen:
                seen.add(cls)
                stack.extend(self.supers.get(cls, ()))
        return seen

    def types(self, value: Any) -> set[str] | frozenset[str]:
        if not isinstance(value, Focus):
            return frozenset()
        declared = tuple(value.values(TYPE))
        known = self._closures.get(declared)
        if known is None:
            known = self._closures[declared] = frozenset(self.closure(declared))
        return known

    @staticmethod
    def same(value: Any, expected: str | Lit) -> bool:
        return value == expected and type(value) is type(expected)

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
            checks.append(partial(_has_datatype, str(datatype)))
        kind = g.value(node, SH.nodeKind)
        if kind is not None:
            allowed = {SH.IRI: (True, False, False), SH.BlankNodeOrIRI: (True, True, False)}.get(kind)
            if allowed is None:
                raise Unsupported(f"sh:nodeKind {kind}")
            checks.append(partial(_node_kind_is, allowed))
        members = g.value(node, SH["in"])
        if members is not None:
            checks.append(partial(_one_of, [_plain(m) for m in self.listed(members)]))
        langs = g.value(node, SH.languageIn)
        if langs is not None:
            checks.append(partial(_language_in, [str(x).lower() for x in self.listed(langs)]))
        for term, compare in ((SH.minLength, int.__ge__), (SH.maxLength, int.__le__)):
            bound = g.value(node, term)
            if bound is not None:
                checks.append(partial(_length, compare, int(bound)))
        pattern = g.value(node, SH.pattern)
        if pattern is not None:
            checks.append(partial(_matches, re.compile(str(pattern))))
        for cls in g.objects(node, SH["class"]):
            checks.append(partial(_instance_of, self, str(cls)))
        for term, rule in ((SH["or"], "or"), (SH.xone, "xone"), (SH["and"], "and")):
            listed = g.value(node, term)
            if listed is not None:
                checks.append(partial(_combined, self, rule, [self.compile(a) for a in self.listed(listed)]))
        negated = g.value(node, SH["not"])
        if negated is not None:
            checks.append(partial(_negated, self, self.compile(negated)))
        return checks


def _has_datatype(datatype: str, value: Any) -> bool:
    return isinstance(value, Lit) and _datatype(value) == datatype and value.well_formed


def _node_kind_is(allowed: tuple[bool, bool, bool], value: Any) -> bool:
    return _node_kind(value, allowed)


def _one_of(options: list[Any], value: Any) -> bool:
    return any(value == option and type(value) is type(option) for option in options)


def _language_in(langs: list[str], value: Any) -> bool:
    if not isinstance(value, Lit) or value.lang is None:
        return False
    lang = value.lang.lower()
    return any(lang == x or lang.startswith(x + "-") for x in langs)


def _length(compare: Callable[[int, int], bool], bound: int, value: Any) -> bool:
    return not _blank(value) and compare(len(_lexical(value)), bound)  # a blank node has no length


def _matches(regex: re.Pattern[str], value: Any) -> bool:
    return not _blank(value) and bool(regex.search(_lexical(value)))


def _instance_of(compiler: _Compiler, cls: str, value: Any) -> bool:
    return cls in compiler.types(value)


def _combined(compiler: _Compiler, rule: str, parts: list[CompiledShape], value: Any) -> bool:
    return _combine(rule, [part.conforms(value, compiler) for part in parts])


def _negated(compiler: _Compiler, inner: CompiledShape, value: Any) -> bool:
    return not inner.conforms(value, compiler)


def _combine(rule: str, passed: list[bool]) -> bool:
    if rule == "or":
        return any(passed)
    if rule == "xone":
        return sum(passed) == 1
    return all(passed)


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
    if isinstance(value, NodeFocus):
        return value.iri
    if isinstance(value, Iri):
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


@dataclass
class CompiledShapes:
    """Every top-level shape with its targets: classes, subjects-of and objects-of predicates."""

    compiler: _Compiler
    targeted: list[tuple[CompiledShape, list[str], list[str], list[str]]]

    def violations(self, batch: GraphBatch) -> list[Violation]:
        view = _View(batch, self.compiler.schema)
        by_predicate: dict[str, list[Focus]] = defaultdict(list)
        by_class: dict[str, list[Focus]] = defaultdict(list)
        wanted = {p for _s, _c, subj, obj in self.targeted for p in (*subj, *obj)}
        classes_wanted = {c for _s, classes, _subj, _obj in self.targeted for c in classes}
        type_cache: dict[tuple[str, ...], set[str]] = {}
        for focus in _all_foci(view):
            for predicate in focus.predicates():
                if predicate in wanted:
                    by_predicate[predicate].append(focus)
            declared = tuple(focus.values(TYPE))
            types = type_cache.get(declared)
            if types is None:
                types = type_cache[declared] = self.compiler.closure(declared) & classes_wanted
            for cls in types:
                by_class[cls].append(focus)
        found: list[Violation] = []
        for shape, classes, subjects_of, objects_of in self.targeted:
            targets: dict[int, Any] = {}
            for cls in classes:
                targets.update((id(f), f) for f in by_class.get(cls, ()))
            for predicate in subjects_of:
                targets.update((id(f), f) for f in by_predicate.get(predicate, ()))
            for predicate in objects_of:
                for subject in by_predicate.get(predicate, ()):
                    targets.update((id(v), v) for v in subject.values(predicate))
            for focus in targets.values():
                shape.collect(focus, found)
        return found


def _all_foci(view: _View) -> Iterator[Focus]:
    for node in view.nodes.values():
        yield node
        yield from node.source_foci_all()
    for statement in view.statements:
        yield statement
        for source in statement.source_foci():
            yield source
            yield from source.selector()
    yield from view.schemes.values()


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
    except Unsupported:
        return None
    return CompiledShapes(compiler, targeted)


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
    elif isinstance(value, SourceFocus):
        places[term] = Place(value.owner, f"sources[{value.index}]")
    elif isinstance(value, SelectorFocus):
        places[term] = Place(value.parent.owner, f"sources[{value.parent.index}]")
    return term


def problems(batch: GraphBatch, violations: list[Violation]) -> list[InputProblem]:
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
    shapes = shapes_graph()
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
    violations = compiled.violations(batch)
    if violations:
        raise InputError(problems(batch, violations))


__all__ = ["check_batch", "compile_shapes", "compiled_shapes"]
