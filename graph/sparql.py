"""Read-only SPARQL over the RDF view of the store, with a time limit.

The RDF view is `model.rdf.to_rdf` of every node and edge (the export's graph) plus the
pk: shortcuts the ontology defines by standard terms (`add_shortcuts`), so queries written
with pk:source/pk:document/pk:quote or with PROV-O/Web Annotation answer alike; it is
rebuilt only when the store's revision changes. Updates, SERVICE clauses and FROM/FROM NAMED (which could fetch
remote data) are refused before evaluation; evaluation runs in a bounded worker pool
and checks a deadline on every row, so a runaway query stops itself. Python's `re` holds
the GIL for a whole match, so REGEX/REPLACE patterns must be constant and free of
catastrophic backtracking (nested or repeated quantifiers, back-references).
"""

from __future__ import annotations

import re._constants as sre
import re._parser as sre_parse
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from typing import Any

from pyparsing import ParseException
from rdflib import Graph, Literal
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.parser import parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.plugins.sparql.sparql import Query, SPARQLError
from rdflib.plugins.stores.memory import Memory
from rdflib.query import Result

from plankg.graph.store import GraphStore, StoreError
from plankg.model.rdf import PREFIXES, add_shortcuts, bind_prefixes, to_rdf

SPARQL_RESULTS_JSON = "application/sparql-results+json"
TURTLE = "text/turtle"
MAX_QUERY_CHARS = 100_000
WORKERS = 4
MAX_PATTERN_CHARS = 200
MAX_REGEX_CHOICES = 1000
MAX_REGEX_TEXT = 20_000
"""Longer texts are not matched (an error, as for a non-string); no stored text is longer (loaders' MAX_TEXT)."""
REGEX_FUNCTIONS = ("Builtin_REGEX", "Builtin_REPLACE")
_REPEATS = (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT)


@dataclass
class SparqlAnswer:
    """A query's evaluated answer: the rdflib Result of a SELECT/ASK (rows all computed), or the graph of a
    CONSTRUCT/DESCRIBE. Callers serialise it (rdflib's result and graph serializers) in the format they need."""

    form: str
    """SELECT, ASK, CONSTRUCT or DESCRIBE."""
    result: Result | None = None
    graph: Graph | None = None


class SparqlRefused(ValueError):
    """A query that is not a plain, bounded read (syntax, updates, SERVICE, FROM, risky REGEX); the API answers 400."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


class SparqlTimeout(Exception):
    """The query ran past the time limit; the API answers 503 with Retry-After."""


class QueryTimeout(BaseException):
    """The query ran past its deadline (a BaseException, so no evaluation code swallows it)."""


_deadline = threading.local()


class DeadlineMemory(Memory):
    """rdflib's in-memory store, checking the evaluating thread's deadline on every pattern match.

    rdflib evaluates lazily, so an aggregate over a huge join produces no row to check
    between; every join step asks the store for triples, and that is where it stops.
    """

    def triples(self, triple_pattern: Any, context: Any = None) -> Iterator[Any]:
        deadline = getattr(_deadline, "value", None)
        if deadline is None:
            yield from super().triples(triple_pattern, context)
            return
        _check(deadline)
        for count, item in enumerate(super().triples(triple_pattern, context)):
            if count % 512 == 511:
                _check(deadline)
            yield item


def _contains(node: Any, name: str) -> bool:
    """Whether the parsed algebra has a part with this name anywhere inside it."""
    stack = [node]
    seen: set[int] = set()
    while stack:
        item = stack.pop()
        if id(item) in seen:
            continue
        seen.add(id(item))
        if isinstance(item, CompValue):
            if item.name == name:
                return True
            stack.extend(item.values())
        elif isinstance(item, list | tuple):
            stack.extend(item)
    return False


def _parts(node: Any) -> Iterator[CompValue]:
    """Every CompValue inside the parsed algebra (each once)."""
    stack = [node]
    seen: set[int] = set()
    while stack:
        item = stack.pop()
        if id(item) in seen:
            continue
        seen.add(id(item))
        if isinstance(item, CompValue):
            yield item
            stack.extend(item.values())
        elif isinstance(item, list | tuple):
            stack.extend(item)


def _regex_problem(pattern: str) -> str | None:
    """Why a pattern could backtrack catastrophically (None when `re` runs it in about linear time).

    Allowed: one unbounded quantifier and no other variable-length one, or only bounded ones
    whose ranges multiply to at most MAX_REGEX_CHOICES; no quantifier or alternation inside a
    variable-length quantifier; no back-references.
    """
    if len(pattern) > MAX_PATTERN_CHARS:
        return f"is longer than {MAX_PATTERN_CHARS} characters"
    try:
        parsed = sre_parse.parse(pattern)
    except Exception as error:  # re.error, and RecursionError for absurd nesting
        return f"is not a valid regular expression ({str(error)[:100]})"
    unbounded = 0
    choices = 1

    def walk(items: Any, in_repeat: bool) -> str | None:
        nonlocal unbounded, choices
        for op, arg in items:
            found: str | None = None
            if op in (sre.GROUPREF, sre.GROUPREF_EXISTS):
                return "uses a back-reference"
            if op in _REPEATS:
                low, high, body = arg
                variable = high != low
                if variable:
                    if in_repeat:
                        return "nests quantifiers"
                    if high == sre.MAXREPEAT or high - low >= MAX_REGEX_CHOICES:
                        unbounded += 1
                    else:
                        choices *= high - low + 1
                    if unbounded > 1 or (unbounded and choices > 1) or choices > MAX_REGEX_CHOICES:
                        return "has too many variable-length quantifiers"
                found = walk(body, in_repeat or variable)
            elif op is sre.BRANCH:
                if in_repeat:
                    return "repeats an alternation"
                found = next((p for branch in arg[1] if (p := walk(branch, in_repeat))), None)
            elif op in (sre.SUBPATTERN, sre.ATOMIC_GROUP, sre.ASSERT, sre.ASSERT_NOT):
                found = walk(arg[-1], in_repeat)
            if found:
                return found
        return None

    return walk(parsed, False)


def _guard_regex(node: CompValue) -> None:
    """Refuse a REGEX/REPLACE whose pattern is not a safe constant; check the deadline before each call."""
    pattern = node.get("pattern")
    name = "REGEX" if node.name == "Builtin_REGEX" else "REPLACE"
    if not isinstance(pattern, Literal):
        raise SparqlRefused("regex_refused", f"{name} patterns must be constant strings")
    problem = _regex_problem(str(pattern))
    if problem:
        raise SparqlRefused(
            "regex_refused",
            f"the {name} pattern {str(pattern)[:80]!r} {problem}; use a simpler pattern, CONTAINS or STRSTARTS",
        )
    evaluate = node._evalfn

    def guarded(ctx: Any) -> Any:
        deadline = getattr(_deadline, "value", None)
        if deadline is not None:
            _check(deadline)
        subject = node.get("text" if node.name == "Builtin_REGEX" else "arg")  # resolved in ctx while evaluating
        if isinstance(subject, str) and len(subject) > MAX_REGEX_TEXT:
            raise SPARQLError(f"{name} is applied only to texts of at most {MAX_REGEX_TEXT} characters")
        return evaluate(ctx)

    node._evalfn = guarded


def parse_read_query(text: str) -> Query:
    """A prepared read-only query, or a 400 explaining why it is refused."""
    if not text.strip():
        raise SparqlRefused("bad_sparql", "the SPARQL query is empty")
    if len(text) > MAX_QUERY_CHARS:
        raise SparqlRefused("bad_sparql", f"the SPARQL query is longer than {MAX_QUERY_CHARS} characters")
    try:
        query = prepareQuery(text, initNs=PREFIXES)
    except ParseException as error:
        try:
            parseUpdate(text)
        except Exception:
            raise SparqlRefused(
                "bad_sparql",
                f"the SPARQL query does not parse: {error.msg} (line {error.lineno}, column {error.col})",
            ) from None
        raise SparqlRefused(
            "update_refused",
            "SPARQL updates (INSERT, DELETE, LOAD, CLEAR, CREATE, DROP, …) are refused: this endpoint is read-only",
        ) from None
    except Exception as error:
        raise SparqlRefused("bad_sparql", f"the SPARQL query is not valid: {str(error)[:300]}") from None
    if _contains(query.algebra, "ServiceGraphPattern"):
        raise SparqlRefused("service_refused", "SERVICE clauses (federated queries) are refused")
    if query.algebra.get("datasetClause"):
        raise SparqlRefused(
            "dataset_refused", "FROM / FROM NAMED clauses are refused; queries run over this graph only"
        )
    for node in _parts(query.algebra):
        if node.name in REGEX_FUNCTIONS:
            _guard_regex(node)
    return query


def _check(deadline: float) -> None:
    if time.monotonic() > deadline:
        raise QueryTimeout


def _evaluate(graph: Graph, query: Query, deadline: float) -> SparqlAnswer:
    _deadline.value = deadline
    try:
        return _answer(graph, query, deadline)
    finally:
        _deadline.value = None


def _answer(graph: Graph, query: Query, deadline: float) -> SparqlAnswer:
    result = graph.query(query)
    if result.type == "ASK":
        return SparqlAnswer("ASK", result=result)
    if result.type == "SELECT":
        for _row in result:  # computes every row into result.bindings, checking the deadline between rows
            _check(deadline)
        return SparqlAnswer("SELECT", result=result)
    answer = bind_prefixes(Graph())
    for triple in result:
        _check(deadline)
        answer.add(triple)
    return SparqlAnswer(result.type, graph=answer)


class SparqlService:
    """The store's RDF view (cached per revision) and time-limited read-only evaluation."""

    def __init__(self, store: GraphStore, seconds: float) -> None:
        self.store = store
        self.seconds = seconds
        self._lock = threading.Lock()
        self._revision: str | None = None
        self._graph: Graph | None = None
        self._pool = ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix="plankg-sparql")

    def graph(self) -> Graph:
        """to_rdf of the whole store, rebuilt when the store's revision changes."""
        revision = self.store.revision()
        with self._lock:
            if self._graph is None or revision != self._revision:
                view = bind_prefixes(Graph(store=DeadlineMemory()))
                view += to_rdf(self.store.iter_nodes(), self.store.iter_edges())
                add_shortcuts(view)  # pk:source / pk:document / pk:quote, as the ontology defines them
                self._graph = view
                self._revision = revision
            return self._graph

    def run(self, text: str) -> SparqlAnswer:
        """Parse, refuse what is not a plain read, and evaluate within the time limit (503 past it)."""
        query = parse_read_query(text)
        graph = self.graph()
        deadline = time.monotonic() + self.seconds
        future = self._pool.submit(_evaluate, graph, query, deadline)
        try:
            return future.result(timeout=self.seconds + 0.5)
        except (QueryTimeout, FutureTimeout):
            future.cancel()
            raise SparqlTimeout(
                f"the SPARQL query ran longer than the limit of {self.seconds:g} seconds; narrow it down"
            ) from None
        except (SparqlRefused, StoreError):
            raise
        except Exception as error:  # rdflib evaluation errors: the query is at fault, not the server
            raise SparqlRefused(
                "sparql_failed",
                f"the SPARQL query could not be evaluated: {type(error).__name__}: {str(error)[:300]}",
            ) from None

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
