"""GraphStore over a Neo4j server (bolt:// or neo4j:// routing URIs, including Aura).

Answers must be identical to graph/memory.py, so this module only supplies primitives
(edges_of, descendants, get_many, citations, search, paths) and graph/engine.py runs the
named queries over them. For a named query or a neighbourhood the engine asks once
(`prefetch_named_query`, `prefetch_neighborhood`): one statement compiled from the declaration
returns every row the algorithm will read (graph/prefetched.py), so a question costs a fixed
two round trips in a managed read, one with PLANKG_NEO4J_READS=autocommit (graph/neo4j_reads.py).
The statements live in graph/cypher.py; the shape is described in graph/NEO4J.md.

Ownership. plankg's nodes carry a label only plankg writes (`Plankg`, or $PLANKG_NEO4J_LABEL)
besides their ontology type label; its relationships have an ontology type, join two such
nodes and carry `graph: <that label>`. Every read starts from that label and checks that
property, so other applications' nodes and relationships in the same database — whatever
their labels or properties — never reach an answer.

Revision. `revision()` is the bookmark Neo4j returns for a fresh read transaction: it names
the database's last committed transaction, so any commit by any writer (plankg, Browser,
another application) changes it, and the next call sees it — the bound is one round trip on
a single server, a follower's replication lag in a cluster. Reads and rolled-back loads leave
it alone (labels, types and property keys are created up front, because token creation
commits on its own). Commits to foreign data change it too: caches are dropped more often
than needed, never kept too long. A server that returns no bookmark gets a new revision on
every call (no caching).

Writes. One upsert is one write transaction (above `stage_elements`, PLANKG_NEO4J_STAGE_ELEMENTS:
staged in bounded transactions and published in one, graph/neo4j_staged.py). It first
write-locks the nodes it touches (in id order), MERGEing a bare node for each new id, so
concurrent loads of overlapping data — stored or new — serialise on those nodes and each merges
with what the other committed; deadlocks are transient errors the driver retries.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import operator
import os
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from itertools import pairwise
from typing import Any, ClassVar, TypeVar

import neo4j
import neo4j.time
from neo4j import GraphDatabase, ManagedTransaction, Session, unit_of_work
from neo4j.exceptions import (
    AuthError,
    ConfigurationError,
    DriverError,
    Neo4jError,
    ServiceUnavailable,
    SessionExpired,
)

from plankg.graph import cypher as cy
from plankg.graph.cypher import Cypher, safe_name
from plankg.graph.neo4j_reads import autocommit_read
from plankg.graph.prefetched import Prefetched
from plankg.graph.queries import NAMED_QUERIES
from plankg.graph.retract import Retraction, doomed_nodes, plan_retraction
from plankg.graph.store import ProgressCallback, RetractSummary, SearchResult, StoreError
from plankg.model import QUOTE, Edge, GraphBatch, LoadSummary, Node, Source, Subgraph, merge_aliases, merge_sources
from plankg.model.text import normalize
from plankg.ontology.schema import ID_PATTERN, NEO4J_NAME, load_schema
from plankg.settings import DEFAULT_NEO4J_READS, DEFAULT_NEO4J_STAGE_ELEMENTS, NEO4J_READ_MODES, Settings

T = TypeVar("T")

# The driver logs each retry as a warning; without a handler of the application's own, Python's
# last-resort handler would print them to users. Applications that configure logging still see them.
logging.getLogger("neo4j").addHandler(logging.NullHandler())

DEFAULT_OWNER_LABEL = "Plankg"
DEFAULT_STAGE_ELEMENTS = DEFAULT_NEO4J_STAGE_ELEMENTS
OWNER_LABEL_ENV = "PLANKG_NEO4J_LABEL"
WRITE_ROWS = 10_000
"""Rows per UNWIND write statement inside the one write transaction of an upsert."""
READ_ROWS = 20_000
"""Ids per UNWIND existence read inside that transaction."""
RETRY_DELAY_MULTIPLIER = 2.0
"""Growth of the wait between retries (the driver's, and graph/neo4j_reads.py's for auto-commit reads)."""
READ_PAGE = 2_000
"""Nodes per page when streaming iter_nodes / iter_edges."""
CLEAR_BATCH = 5_000
MAX_FULLTEXT_TOKEN = 200
"""Lucene's whitespace tokenizer splits tokens longer than 255 chars; longer ids fall back to a scan."""


# ---------------------------------------------------------------- values in and out
def _date_keys() -> frozenset[str]:
    return frozenset(key for key, prop in load_schema().property_types.items() if prop.value_kind == "date")


def _to_neo4j(key: str, value: Any, date_keys: frozenset[str]) -> Any:
    """An ontology date written as an ISO text becomes a Neo4j `date`; everything else as it is."""
    if key in date_keys and isinstance(value, str):
        try:
            if dt.date.fromisoformat(value).isoformat() == value:
                return dt.date.fromisoformat(value)
        except ValueError:
            pass
    return value


def _from_neo4j(value: Any) -> Any:
    """Temporal values back to the ISO text the model uses."""
    if isinstance(value, neo4j.time.Date | neo4j.time.DateTime | neo4j.time.Time | neo4j.time.Duration):
        return value.iso_format()
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return value.isoformat()
    return value


def _source_lists(sources: Sequence[Source]) -> tuple[list[str], list[str], list[str], list[str]]:
    """Provenance as four parallel lists: documents, locators, quote/note texts, kinds (quote or note)."""
    return (
        [s.document for s in sources],
        [s.locator for s in sources],
        [s.quote for s in sources],
        [s.kind for s in sources],
    )


def _sources_from(documents: Any, locators: Any, quotes: Any, kinds: Any = None) -> list[Source]:
    texts = list(zip(documents or [], locators or [], quotes or [], strict=False))
    kinds = list(kinds or []) + [QUOTE] * (len(texts) - len(kinds or []))
    return [Source(d, loc, q, kind) for (d, loc, q), kind in zip(texts, kinds, strict=False)]


def _record_sources(record: Any) -> list[Source]:
    """The sources of a record that returned documents, locators, quotes and kinds."""
    return _sources_from(record["documents"], record["locators"], record["quotes"], record["kinds"])


def _search_key(node: Node) -> str:
    """Normalised labels and aliases, one per line (normalised text never holds a newline)."""
    return "\n".join(normalize(name) for name in node.all_names())


def _names(names: list[str] | None) -> list[str] | None:
    return list(names) if names else None


def node_properties(node: Node, sources: Sequence[Source] | None = None) -> dict[str, Any]:
    """The property map plankg stores for a node (besides its labels)."""
    documents, locators, quotes, kinds = _source_lists(node.sources if sources is None else sources)
    date_keys = _date_keys()
    props = {key: _to_neo4j(key, value, date_keys) for key, value in node.properties.items()}
    core = {
        cy.ID: node.id,
        cy.LABEL_EN: node.labels.get("en") or None,
        cy.LABEL_ZH: node.labels.get("zh") or None,
        cy.STATUS: node.status,
        cy.SEARCH: _search_key(node),
        cy.DOCUMENTS: documents,
        cy.LOCATORS: locators,
        cy.QUOTES: quotes,
        cy.KINDS: kinds,
        cy.ALIASES_EN: _names(node.aliases.get("en")),
        cy.ALIASES_ZH: _names(node.aliases.get("zh")),
    }
    return {**props, **{k: v for k, v in core.items() if v is not None}}


def edge_properties(edge: Edge, owner: str, sources: Sequence[Source] | None = None) -> dict[str, Any]:
    """The property map plankg stores for a relationship."""
    documents, locators, quotes, kinds = _source_lists(edge.sources if sources is None else sources)
    return {
        cy.GRAPH: owner,
        cy.STATUS: edge.status,
        cy.DOCUMENTS: documents,
        cy.LOCATORS: locators,
        cy.QUOTES: quotes,
        cy.KINDS: kinds,
    }


def _node_row(
    node: Node, sources: Sequence[Source], aliases: dict[str, list[str]], date_keys: frozenset[str]
) -> list[Any]:
    """[id, label_en, label_zh, search, documents, locators, quotes, aliases_en, aliases_zh, props, kinds]."""
    documents, locators, quotes, kinds = _source_lists(sources)
    return [
        node.id,
        node.labels.get("en") or None,
        node.labels.get("zh") or None,
        _search_key(Node(node.id, node.type, node.labels, aliases=aliases)),
        documents,
        locators,
        quotes,
        _names(aliases.get("en")),
        _names(aliases.get("zh")),
        {key: _to_neo4j(key, value, date_keys) for key, value in node.properties.items()},
        kinds,
    ]


def _edge_row(edge: Edge, sources: Sequence[Source]) -> list[Any]:
    """[source id, target id, documents, locators, quotes, kinds]."""
    return [edge.source, edge.target, *_source_lists(sources)]


# ---------------------------------------------------------------- the batch, checked and merged
def _checked_nodes(batch: GraphBatch, labels: dict[str, str]) -> dict[str, Node]:
    """Nodes by id, later duplicates winning with sources and aliases united (as the memory store does)."""
    nodes: dict[str, Node] = {}
    for node in batch.nodes:
        if node.type not in labels:
            raise ValueError(f"{node.type!r:.60} is not a node type of the ontology")
        if not isinstance(node.id, str):
            raise ValueError(f"node id must be a text, got {node.id!r:.60}")
        reserved = sorted(cy.NODE_KEYS & set(node.properties))
        if reserved:
            raise ValueError(f"property {reserved[0]!r} of {node.id!r:.60} is a name the Neo4j store reserves")
        previous = nodes.get(node.id)
        nodes[node.id] = node if previous is None else _merged(previous, node)
    return nodes


def _merged(old: Node, new: Node) -> Node:
    """`new` merged into `old` as the store writes it: new properties, sources and aliases united."""
    return Node(
        new.id,
        new.type,
        new.labels,
        new.properties,
        merge_sources(old.sources, new.sources),
        new.status,
        merge_aliases(old.aliases, new.aliases),
    )


def _checked_edges(batch: GraphBatch, rel_types: Mapping[str, str]) -> dict[tuple[str, str, str], Edge]:
    edges: dict[tuple[str, str, str], Edge] = {}
    for edge in batch.edges:
        if edge.relation not in rel_types:
            raise ValueError(f"{edge.relation!r:.60} is not a relation of the ontology")
        if not isinstance(edge.source, str) or not isinstance(edge.target, str):
            raise ValueError(f"edge ends must be texts, got {edge.key!r:.80}")
        previous = edges.get(edge.key)
        if previous is not None:
            sources = merge_sources(previous.sources, edge.sources)
            edge = Edge(edge.source, edge.relation, edge.target, sources, edge.status)
        edges[edge.key] = edge
    return edges


def _chunks(items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


class _Load:
    """One upsert's write transaction, step by step (see Neo4jStore.upsert)."""

    def __init__(
        self,
        store: Neo4jStore,
        tx: ManagedTransaction,
        nodes: dict[str, Node],
        edges: dict[tuple[str, str, str], Edge],
        on_progress: ProgressCallback | None,
    ) -> None:
        self.cypher = store.cypher
        self.labels = store.labels
        self.owner = store.owner
        self.tx = tx
        self.nodes = nodes
        self.edges = edges
        self.on_progress = on_progress
        self.total = len(nodes) + len(edges)
        self.done = 0
        self.date_keys = _date_keys()
        self.stored: dict[str, neo4j.Record] = {}
        self.stored_edges: dict[tuple[str, str, str], list[Source]] = {}

    def run(self) -> None:
        self.lock_stored_nodes()
        self.read_stored_edges()
        self.drop_old_type_labels()
        self.write_nodes()
        self.check_edges(self.write_edges())

    def _sent(self, count: int) -> None:
        self.done += count
        if self.on_progress:
            self.on_progress(self.done, self.total)

    def lock_stored_nodes(self) -> None:
        """Lock the batch's nodes (creating bare new ones) and its other edge ends, each set in id order.

        A node counts as stored when it has a type label; a bare one is this load's own new node.
        """
        node_ids = sorted(self.nodes)
        end_ids = sorted(
            {end for edge in self.edges.values() for end in (edge.source, edge.target)} - self.nodes.keys()
        )
        for statement, ids in ((self.cypher.lock_nodes(), node_ids), (self.cypher.lock_ends(), end_ids)):
            for chunk in _chunks(ids, READ_ROWS):
                for record in self.tx.run(statement, ids=list(chunk)):
                    if self.cypher.type_labels.intersection(record["labels"]):
                        self.stored[record["locked"]] = record

    def read_stored_edges(self) -> None:
        """Only an edge between two stored nodes can exist already."""
        candidates: dict[str, list[list[str]]] = {}
        for edge in self.edges.values():
            if edge.source in self.stored and edge.target in self.stored:
                candidates.setdefault(edge.relation, []).append([edge.source, edge.target])
        for relation, pairs in candidates.items():
            statement = self.cypher.stored_edges(self.cypher.rel_types[relation])
            for chunk in _chunks(pairs, READ_ROWS):
                for r in self.tx.run(statement, rows=list(chunk), graph=self.owner):
                    key = (r["s"], relation, r["t"])
                    self.stored_edges[key] = _record_sources(r)

    def drop_old_type_labels(self) -> None:
        """A node whose type changed loses its old type label (the memory store replaces the type)."""
        retyped: dict[str, list[str]] = {}
        for node_id, record in self.stored.items():
            node = self.nodes.get(node_id)
            if node is None:
                continue
            for label in record["labels"]:
                if label in self.cypher.type_labels and label != self.labels[node.type]:
                    retyped.setdefault(label, []).append(node_id)
        for label, ids in retyped.items():
            self.tx.run(self.cypher.remove_label(label), ids=ids).consume()

    def _merged_row(self, node: Node) -> list[Any]:
        record = self.stored.get(node.id)
        if record is None:
            return _node_row(node, node.sources, merge_aliases(node.aliases), self.date_keys)
        old_sources = _record_sources(record)
        old_aliases = {"en": record["aliases_en"] or [], "zh": record["aliases_zh"] or []}
        sources = merge_sources(old_sources, node.sources)
        return _node_row(node, sources, merge_aliases(old_aliases, node.aliases), self.date_keys)

    def write_nodes(self) -> None:
        """Every node (locked, so existing) gets its properties and type label; grouped by (type, status)."""
        groups: dict[tuple[str, str], list[Node]] = {}
        for node in self.nodes.values():
            groups.setdefault((node.type, node.status), []).append(node)
        for (type_name, status), group in groups.items():
            statement = self.cypher.update_nodes(self.labels[type_name])
            for chunk in _chunks(group, WRITE_ROWS):
                self.tx.run(statement, rows=[self._merged_row(n) for n in chunk], status=status)
                self._sent(len(chunk))

    def write_edges(self) -> list[tuple[neo4j.Result, int, str]]:
        """Statements are sent without waiting for their answers (how many each wrote), checked after."""
        groups: dict[tuple[bool, str, str], list[Edge]] = {}
        for edge in self.edges.values():
            groups.setdefault((edge.key in self.stored_edges, edge.relation, edge.status), []).append(edge)
        checks = []
        for (known, relation, status), group in groups.items():
            rel_type = self.cypher.rel_types[relation]
            statement = self.cypher.update_edges(rel_type) if known else self.cypher.create_edges(rel_type)
            for chunk in _chunks(group, WRITE_ROWS):
                if known:
                    rows = [_edge_row(e, merge_sources(self.stored_edges[e.key], e.sources)) for e in chunk]
                else:
                    rows = [_edge_row(e, e.sources) for e in chunk]
                checks.append(
                    (self.tx.run(statement, rows=rows, status=status, graph=self.owner), len(chunk), relation)
                )
                self._sent(len(chunk))
        return checks

    @staticmethod
    def check_edges(checks: list[tuple[neo4j.Result, int, str]]) -> None:
        """An edge whose end exists nowhere matches no row: the whole load is refused."""
        for result, expected, relation in checks:
            written = result.single(strict=True)["written"]
            if written != expected:
                raise StoreError(
                    f"{expected - written} {relation} edge(s) point at entities that do not exist; nothing was written"
                )


class _Retract:
    """One retraction inside a write transaction: find, lock, plan (graph/retract.py), apply."""

    def __init__(
        self, store: Neo4jStore, tx: ManagedTransaction, documents: list[str], keep: Iterable[str] = ()
    ) -> None:
        self.keep = frozenset(keep)
        self.store = store
        self.cypher = store.cypher
        self.tx = tx
        self.documents = documents
        self.docs = frozenset(documents)

    def _citing(self, document: str) -> tuple[list[str], list[tuple[str, str]]]:
        """Ids of nodes, and (source, target) of edges, whose sources cite the document."""
        term = self.store._fulltext_term(document)
        index: dict[str, Any] = {"term": term, "doc": document}
        node_ids = [
            record["p"][cy.ID]
            for record in self.tx.run(
                self.cypher.nodes_citing(term is not None), index=self.cypher.node_docs_index, **index
            )
        ]
        ends = [
            (record["s"], record["o"])
            for record in self.tx.run(
                self.cypher.edges_citing(term is not None),
                index=self.cypher.edge_docs_index,
                graph=self.store.owner,
                **index,
            )
        ]
        return node_ids, ends

    def _edges(self, ids: list[str], direction: str) -> list[Edge]:
        found: list[Edge] = []
        for chunk in _chunks(ids, WRITE_ROWS):
            result = self.tx.run(
                self.cypher.edges_of(self.cypher.any_rel, direction), ids=list(chunk), graph=self.store.owner
            )
            found.extend(self.store._edge_from(record) for record in result)
        return found

    def run(self) -> RetractSummary:
        """Read what cites the documents, write-lock those nodes and edge ends (id order), re-read them, apply."""
        node_ids: set[str] = set()
        end_ids: set[str] = set()
        for document in self.documents:
            found_nodes, found_ends = self._citing(document)
            node_ids.update(found_nodes)
            end_ids.update(end for pair in found_ends for end in pair)
        citing: list[tuple[str, list[Source]]] = []
        for chunk in _chunks(sorted(node_ids | end_ids), READ_ROWS):
            for record in self.tx.run(self.cypher.lock_ends(), ids=list(chunk)):
                sources = _record_sources(record)
                if any(source.document in self.docs for source in sources):
                    citing.append((record["locked"], sources))
        edges = [e for e in self._edges(sorted(end_ids), "out") if any(s.document in self.docs for s in e.sources)]
        doomed = doomed_nodes(self.docs, citing, self.keep)
        touching = self._edges(doomed, "out") + self._edges(doomed, "in")
        plan = plan_retraction(self.docs, citing, edges, touching, self.keep)
        self.apply(plan)
        return plan.summary()

    def apply(self, plan: Retraction) -> None:
        by_relation: dict[str, list[list[Any]]] = {}
        for (source, relation, target), sources in plan.trimmed_edges.items():
            by_relation.setdefault(relation, []).append([source, target, *_source_lists(sources)])
        for relation, rows in by_relation.items():
            statement = self.cypher.set_edge_sources(self.cypher.rel_types[relation])
            for chunk in _chunks(rows, WRITE_ROWS):
                self.tx.run(statement, rows=list(chunk), graph=self.store.owner).consume()
        removed: dict[str, list[list[str]]] = {}
        for source, relation, target in plan.removed_edges:
            removed.setdefault(relation, []).append([source, target])
        for relation, pairs in removed.items():
            statement = self.cypher.delete_edges(self.cypher.rel_types[relation])
            for chunk in _chunks(pairs, WRITE_ROWS):
                self.tx.run(statement, rows=list(chunk), graph=self.store.owner).consume()
        rows = [[node_id, *_source_lists(sources)] for node_id, sources in plan.trimmed_nodes.items()]
        for chunk in _chunks(rows, WRITE_ROWS):
            self.tx.run(self.cypher.set_node_sources(), rows=list(chunk)).consume()
        for id_chunk in _chunks(plan.removed_nodes, WRITE_ROWS):
            self.tx.run(self.cypher.delete_nodes(), ids=list(id_chunk)).consume()


def _records(result: neo4j.Result) -> list[neo4j.Record]:
    """All records of a result (execute_query's transformer)."""
    return list(result)


class Neo4jStore:
    """GraphStore over the official neo4j driver; managed transactions (the driver retries), but for the
    compiled questions under PLANKG_NEO4J_READS=autocommit (graph/neo4j_reads.py, retried the same way)."""

    kind = "neo4j"
    _schema_done: ClassVar[set[tuple[str, str, str]]] = set()
    """(uri, database, owner) triples whose schema this process has already ensured."""

    def __init__(
        self,
        uri: str,
        user: str,
        password: str,
        database: str = "neo4j",
        *,
        owner_label: str = DEFAULT_OWNER_LABEL,
        query_timeout: float = 30.0,
        load_timeout: float | None = 900.0,
        connection_timeout: float = 1.0,
        retry_time: float = 0.5,
        stage_elements: int = DEFAULT_STAGE_ELEMENTS,
        stage_chunk: int = 50_000,
        reads: str = DEFAULT_NEO4J_READS,
    ) -> None:
        schema = load_schema()
        if reads not in NEO4J_READ_MODES:
            raise StoreError(f"PLANKG_NEO4J_READS must be one of {', '.join(NEO4J_READ_MODES)}, got {reads!r}")
        self.reads = reads
        """How compiled questions are sent (settings.NEO4J_READ_MODES; graph/NEO4J.md, "Read modes")."""
        self.stage_elements = stage_elements
        """Upserts of more elements than this are staged (graph/neo4j_staged.py), not one transaction."""
        self.stage_chunk = stage_chunk
        self.uri = uri
        self.user = user
        self.database = database or "neo4j"
        self.query_timeout = query_timeout
        self.load_timeout = load_timeout
        self.labels = {name: safe_name(t.neo4j_label) for name, t in schema.node_types.items()}
        rel_types = {key: safe_name(r.neo4j_type) for key, r in schema.relation_types.items()}
        self.owner = self._checked_owner(owner_label, schema.entity_label, schema.state_label)
        self.cypher = Cypher(self.owner, self.labels, rel_types)
        self._rel_keys = {neo4j_type: key for key, neo4j_type in rel_types.items()}
        self._types_by_label = {label: name for name, label in self.labels.items()}
        self._schema_ready = False
        self._retry_time = retry_time
        self._initial_retry_delay = min(0.2, retry_time)
        self._compiled: dict[tuple[Any, ...], str] = {}
        try:
            self._driver = GraphDatabase.driver(
                uri,
                auth=(user, password),
                connection_timeout=connection_timeout,
                max_transaction_retry_time=retry_time,
                initial_retry_delay=self._initial_retry_delay,
                retry_delay_multiplier=RETRY_DELAY_MULTIPLIER,
                connection_acquisition_timeout=connection_timeout + retry_time + 5.0,
            )
        except (ConfigurationError, ValueError) as error:
            raise StoreError(f"cannot use the Neo4j URI {uri!r}: {error}") from error

    def _checked_owner(self, owner: str, *reserved: str) -> str:
        """The owner label must be a plain name and not one the ontology (or old versions) use."""
        taken = {name.lower() for name in [*self.labels.values(), *reserved]}
        if not isinstance(owner, str) or not NEO4J_NAME.match(owner) or owner.lower() in taken:
            raise StoreError(
                f"{OWNER_LABEL_ENV} must be a label of letters, digits and _ that the ontology does not use"
            )
        return owner

    @classmethod
    def from_env(cls) -> Neo4jStore:
        """NEO4J_URI (required), NEO4J_USER (neo4j), NEO4J_PASSWORD, NEO4J_DATABASE (neo4j), PLANKG_NEO4J_LABEL,
        PLANKG_NEO4J_STAGE_ELEMENTS, PLANKG_NEO4J_READS."""
        uri = os.environ.get("NEO4J_URI", "").strip()
        if not uri:
            raise StoreError(
                "NEO4J_URI is not set; expected e.g. bolt://localhost:7687 or neo4j+s://xxxx.databases.neo4j.io"
            )
        settings = Settings.from_env()
        return cls(
            uri,
            os.environ.get("NEO4J_USER") or "neo4j",
            os.environ.get("NEO4J_PASSWORD", ""),
            os.environ.get("NEO4J_DATABASE") or "neo4j",
            owner_label=os.environ.get(OWNER_LABEL_ENV) or DEFAULT_OWNER_LABEL,
            stage_elements=settings.neo4j.stage_elements,
            reads=settings.neo4j.reads,
        )

    # ------------------------------------------------------------ plumbing
    def _session(self, call: Callable[[Session], T], *, read: bool = False) -> T:
        """Run `call` in a session (routed to a reader when `read`); connection and server problems
        become StoreError."""
        mode = neo4j.READ_ACCESS if read else neo4j.WRITE_ACCESS
        with self._store_errors(), self._driver.session(database=self.database, default_access_mode=mode) as session:
            return call(session)

    @contextmanager
    def _store_errors(self) -> Iterator[None]:
        """Connection, credential and server problems of the driver become StoreError."""
        try:
            yield
        except AuthError as error:
            raise StoreError(
                f"Neo4j at {self.uri} refused the credentials of user {self.user!r}: {error.message}"
            ) from error
        except (ServiceUnavailable, SessionExpired) as error:
            raise StoreError(f"Neo4j at {self.uri} is unreachable: {error}") from error
        except Neo4jError as error:
            raise StoreError(f"Neo4j refused the request ({error.code}): {error.message}") from error
        except DriverError as error:
            raise StoreError(f"Neo4j driver error talking to {self.uri}: {error}") from error

    def _execute(
        self,
        work: Callable[[ManagedTransaction], T],
        *,
        write: bool = False,
        timeout: float | None = None,
        ensure: bool = True,
    ) -> T:
        """Run one managed transaction (read or write)."""
        if ensure:
            self._ensure_schema()
        function = unit_of_work(timeout=timeout if timeout is not None else self.query_timeout)(work)
        if write:
            return self._session(lambda session: session.execute_write(function))
        return self._session(lambda session: session.execute_read(function))

    def _read(self, statement: str, **params: Any) -> list[neo4j.Record]:
        """One statement in its own read transaction, all records."""

        def work(tx: ManagedTransaction) -> list[neo4j.Record]:
            return list(tx.run(statement, params))

        return self._execute(work)

    def _fetch(self, statement: str, **params: Any) -> list[neo4j.Record]:
        """One compiled statement: a single statement per question, sent as `self.reads` says.

        `managed`: one managed read transaction through `execute_query`, which sends BEGIN with the
        statement (two round trips with the COMMIT, where `execute_read` waits for BEGIN first: three);
        the driver retries transient failures. `autocommit`: one auto-commit query (RUN and PULL in one
        flight: one round trip), retried on the driver's retryable errors for the driver's retry time
        (graph/neo4j_reads.py). Both routed to a reader, both with no bookmark manager, as every other
        read of this store (graph/NEO4J.md, "Read modes")."""
        self._ensure_schema()
        query = neo4j.Query(statement, timeout=self.query_timeout)  # type: ignore[arg-type]
        with self._store_errors():
            if self.reads == "autocommit":
                return autocommit_read(
                    self._driver,
                    self.database,
                    query,
                    params,
                    bookmark_manager=None,
                    budget=self._retry_time,
                    initial_delay=self._initial_retry_delay,
                    multiplier=RETRY_DELAY_MULTIPLIER,
                )
            return self._driver.execute_query(
                query,
                params,
                routing_=neo4j.RoutingControl.READ,
                database_=self.database,
                bookmark_manager_=None,
                result_transformer_=_records,
            )

    def _write(self, statement: str, **params: Any) -> None:
        def work(tx: ManagedTransaction) -> None:
            tx.run(statement, params).consume()

        self._execute(work, write=True, ensure=False)

    def _ensure_schema(self) -> None:
        """Old schema objects dropped; constraint, indexes and tokens created; once per process."""
        key = (self.uri, self.database, self.owner)
        if self._schema_ready or key in Neo4jStore._schema_done:
            return
        for name in cy.OLD_CONSTRAINTS:
            self._ddl(self.cypher.drop_constraint(name))
        existing = [r["name"] for r in self._read_unensured(self.cypher.schema_names())]
        own_edge_docs = f"{self.cypher.prefix}_rel_docs_"
        for name in existing:
            stale_edge_docs = name.startswith(own_edge_docs) and name != self.cypher.edge_docs_index
            if name in cy.OLD_INDEXES or name.startswith(cy.OLD_INDEX_PREFIX) or stale_edge_docs:
                self._ddl(self.cypher.drop_index(name))
        for statement in self.cypher.schema():
            self._ddl(statement)
        self._create_tokens()
        self._execute(lambda tx: tx.run(self.cypher.await_indexes()).consume(), ensure=False, timeout=330)
        self._schema_ready = True
        Neo4jStore._schema_done.add(key)

    def _read_unensured(self, statement: str) -> list[neo4j.Record]:
        return self._execute(lambda tx: list(tx.run(statement)), ensure=False)

    def _create_tokens(self) -> None:
        schema = load_schema()
        keys = sorted({*cy.NODE_KEYS, *cy.EDGE_KEYS, *schema.property_types})
        self._write(
            self.cypher.create_tokens(),
            labels=sorted({self.owner, *self.labels.values()}),
            types=sorted(self.cypher.rel_types.values()),
            keys=keys,
        )

    def _ddl(self, statement: str) -> None:
        try:
            self._write(statement)
        except StoreError as error:
            cause = error.__cause__
            if isinstance(cause, Neo4jError) and "AlreadyExists" in (cause.code or ""):
                return  # created at the same moment by another process, or an equivalent one exists
            raise

    def _type_of(self, labels: Iterable[str]) -> str | None:
        """The node type named by a node's ontology label (the first, should others have added one)."""
        for label in sorted(labels):
            type_name = self._types_by_label.get(label)
            if type_name is not None:
                return type_name
        return None

    def _node_from(self, record: neo4j.Record) -> Node | None:
        props: dict[str, Any] = record["p"]
        type_name = self._type_of(record["labels"])
        if type_name is None:
            return None
        return Node(
            id=props[cy.ID],
            type=type_name,
            labels={"en": props.get(cy.LABEL_EN) or "", "zh": props.get(cy.LABEL_ZH) or ""},
            properties={k: _from_neo4j(v) for k, v in sorted(props.items()) if k not in cy.NODE_KEYS},
            sources=_sources_from(
                props.get(cy.DOCUMENTS), props.get(cy.LOCATORS), props.get(cy.QUOTES), props.get(cy.KINDS)
            ),
            status=props.get(cy.STATUS, "confirmed"),
            aliases=merge_aliases({"en": props.get(cy.ALIASES_EN) or [], "zh": props.get(cy.ALIASES_ZH) or []}),
        )

    def _nodes_from(self, records: Iterable[neo4j.Record]) -> list[Node]:
        return [node for node in map(self._node_from, records) if node is not None]

    def _edge_from(self, record: neo4j.Record) -> Edge:
        return Edge(
            source=record["s"],
            relation=self._rel_keys[record["rel"]],
            target=record["o"],
            sources=_record_sources(record),
            status=record["status"],
        )

    @staticmethod
    def _by_key(edges: Iterable[Edge]) -> list[Edge]:
        found = {edge.key: edge for edge in edges}
        return [found[key] for key in sorted(found)]

    # ------------------------------------------------------------ writes
    def upsert(self, batch: GraphBatch, on_progress: ProgressCallback | None = None) -> LoadSummary:
        """Merge a batch in ONE write transaction: properties replaced, sources and aliases united
        (more than `stage_elements` elements: load_staged, all-or-nothing in bounded transactions).

        Steps (see _Load): lock the nodes the batch touches and read the stored ones; read which
        of its edges exist (only those between two stored nodes can); drop type labels of retyped
        nodes; write the nodes; update stored edges and create new ones, the statements pipelined
        and their counts checked at the end. Anything outside the ontology is refused before any
        Cypher is built.
        """
        nodes = _checked_nodes(batch, self.labels)
        edges = _checked_edges(batch, self.cypher.rel_types)
        if len(nodes) + len(edges) > self.stage_elements:
            return self.load_staged(batch, on_progress)
        self._execute(
            lambda tx: _Load(self, tx, nodes, edges, on_progress).run(), write=True, timeout=self.load_timeout
        )
        if on_progress:
            on_progress(len(nodes) + len(edges), len(nodes) + len(edges))
        return LoadSummary(len(batch.nodes), len(batch.edges), list(batch.warnings))

    def load_staged(
        self,
        batch: GraphBatch,
        on_progress: ProgressCallback | None = None,
        *,
        lease_seconds: float | None = None,
        between_chunks: Callable[[str, int], None] | None = None,
    ) -> LoadSummary:
        """Merge a batch as upsert does, all-or-nothing, in transactions of at most `stage_chunk` elements
        plus one publishing transaction (graph/neo4j_staged.py); upsert uses it above `stage_elements`.
        `between_chunks(step, count)` runs after each committed staging transaction (tests read there)."""
        from plankg.graph import neo4j_staged

        nodes = _checked_nodes(batch, self.labels)
        edges = _checked_edges(batch, self.cypher.rel_types)
        self._ensure_schema()
        neo4j_staged.StagedLoad(
            self,
            nodes,
            edges,
            on_progress,
            chunk=self.stage_chunk,
            lease_seconds=neo4j_staged.LEASE_SECONDS if lease_seconds is None else lease_seconds,
            between_chunks=between_chunks,
        ).run()
        if on_progress:
            on_progress(len(nodes) + len(edges), len(nodes) + len(edges))
        return LoadSummary(len(batch.nodes), len(batch.edges), list(batch.warnings))

    def retract(self, documents: Iterable[str], replacement: GraphBatch | None = None) -> RetractSummary:
        """Drop the documents' citations and merge `replacement`, in ONE write transaction (see _Retract)."""
        docs = sorted({d for d in documents if isinstance(d, str)})
        nodes = _checked_nodes(replacement, self.labels) if replacement is not None else {}
        edges = _checked_edges(replacement, self.cypher.rel_types) if replacement is not None else {}

        def work(tx: ManagedTransaction) -> RetractSummary:
            summary = _Retract(self, tx, docs, nodes).run()
            if replacement is not None:
                _Load(self, tx, nodes, edges, None).run()
                summary.loaded = LoadSummary(len(replacement.nodes), len(replacement.edges), list(replacement.warnings))
            return summary

        return self._execute(work, write=True, timeout=self.load_timeout)

    def clear(self) -> None:
        """Delete plankg's nodes and their relationships, in batches of write transactions."""

        def delete_some(tx: ManagedTransaction) -> int:
            result = tx.run(self.cypher.delete_some(), limit=CLEAR_BATCH)
            return int(result.single(strict=True)["deleted"])

        while self._execute(delete_some, write=True, timeout=self.load_timeout):
            pass

        def delete_staged(tx: ManagedTransaction) -> int:
            result = tx.run(self.cypher.delete_staged_nodes(), limit=CLEAR_BATCH)
            return int(result.single(strict=True)["deleted"])

        while self._execute(delete_staged, write=True, timeout=self.load_timeout):
            pass  # a staged load's leftovers (graph/neo4j_staged.py), then its lease
        self._write(self.cypher.delete_lease(), owner=self.owner)

    # ------------------------------------------------------------ reads
    def _nodes_by_id(self, ids: Iterable[str]) -> dict[str, Node]:
        wanted = [i for i in dict.fromkeys(ids) if isinstance(i, str)]
        if not wanted:
            return {}

        def work(tx: ManagedTransaction) -> list[Node]:
            found = []
            for chunk in _chunks(wanted, WRITE_ROWS):
                found += self._nodes_from(tx.run(self.cypher.nodes_by_id(), ids=list(chunk)))
            return found

        found = {node.id: node for node in self._execute(work)}
        return {i: found[i] for i in wanted if i in found}

    def known_types(self, ids: Iterable[str]) -> dict[str, str]:
        return {key: node.type for key, node in self._nodes_by_id(ids).items()}

    def get(self, entity_id: str) -> Node | None:
        return self._nodes_by_id([entity_id]).get(entity_id)

    def get_many(self, ids: Iterable[str]) -> dict[str, Node]:
        return self._nodes_by_id(ids)

    def edges_of(self, ids: Iterable[str], relation: str | None = None, direction: str = "both") -> list[Edge]:
        wanted = [i for i in dict.fromkeys(ids) if isinstance(i, str)]
        if relation is not None and relation not in self.cypher.rel_types:
            return []  # the memory store matches nothing for a relation outside the ontology
        rel = self.cypher.rel_types[relation] if relation is not None else self.cypher.any_rel
        directions = [d for d in ("out", "in") if direction in (d, "both")]
        if not wanted or not directions:
            return []

        def work(tx: ManagedTransaction) -> list[Edge]:
            edges: list[Edge] = []
            for way in directions:
                for chunk in _chunks(wanted, WRITE_ROWS):
                    result = tx.run(self.cypher.edges_of(rel, way), ids=list(chunk), graph=self.owner)
                    edges.extend(self._edge_from(record) for record in result)
            return edges

        return self._by_key(self._execute(work))

    def descendants(self, entity_id: str, relation: str) -> list[Edge]:
        if relation not in self.cypher.rel_types:
            return []
        records = self._read(self.cypher.descendants(self.cypher.rel_types[relation]), id=entity_id, graph=self.owner)
        return self._by_key(map(self._edge_from, records))

    def _statement(self, key: tuple[Any, ...], build: Callable[[], str]) -> str:
        statement = self._compiled.get(key)
        if statement is None:
            statement = self._compiled[key] = build()
        return statement

    def prefetch_named_query(
        self, name: str, start_id: str, include_unconfirmed: bool, page: tuple[int, int | None] | None = None
    ) -> Prefetched | Neo4jStore:
        """Everything graph/engine.py reads for a named query, from ONE statement compiled from the
        declaration (graph/cypher.py named_query / statements_of): one round trip whatever the steps.
        A `page` (offset, limit) is cut in the statement (the view's `page_total` says so)."""
        query = NAMED_QUERIES.get(name)
        if query is None:
            return self
        label = self.labels[query.param_type]
        offset, limit = page if page is not None else (0, None)
        # Cypher slices lists with 32-bit ints: "no limit" is 2**30 items, and an offset past that is as empty.
        offset, limit = min(offset, 2**30), min(limit if limit is not None else 2**30, 2**30)
        cut = {"offset": offset, "limit": limit, "all": bool(include_unconfirmed)}
        if query.by_provenance:
            term = self._fulltext_term(start_id)
            paged = page is not None
            statement = self._statement(
                ("statements", label, term is not None, paged),
                lambda: self.cypher.statements_of(label, term is not None, paged),
            )
            records = self._fetch(
                statement,
                id=start_id,
                term=term,
                node_index=self.cypher.node_docs_index,
                edge_index=self.cypher.edge_docs_index,
                graph=self.owner,
                **cut,
            )
            if not records:
                return Prefetched([])
            row = records[0]
            return Prefetched(
                self._nodes_from([row["start"], *row["nodes"]]),
                citing_nodes=self._nodes_from(row["citing_nodes"]),
                citing_edges=map(self._edge_from, row["citing_edges"]),
                page_total=row["total"],
            )
        steps = tuple((self.cypher.rel_types[step.relation], step.direction) for step in query.steps)
        hierarchy = self.cypher.rel_types[load_schema().hierarchy_relation] if query.expand_hierarchy else None
        paged = page is not None and bool(steps)
        statement = self._statement(
            ("named", label, steps, hierarchy, paged), lambda: self.cypher.named_query(label, steps, hierarchy, paged)
        )
        records = self._fetch(statement, id=start_id, graph=self.owner, **cut)
        if not records:
            return Prefetched([])
        row = records[0]
        return Prefetched(
            self._nodes_from([row["start"], *row["nodes"]]),
            map(self._edge_from, row["edges"]),
            closure=map(self._edge_from, row["closure"]),
            page_total=row["total"],
        )

    def prefetch_neighborhood(
        self, entity_id: str, relation: str | None, direction: str, depth: int, limit: int
    ) -> Prefetched | Neo4jStore:
        """Every node a neighbourhood reaches and every edge among them, from ONE statement
        (graph/cypher.py neighborhood); the store itself when the arguments are outside what it compiles."""
        if relation is not None and relation not in self.cypher.rel_types:
            return self
        if not isinstance(depth, int) or not isinstance(limit, int) or direction not in ("out", "in", "both"):
            return self
        rel = self.cypher.rel_types[relation] if relation is not None else self.cypher.any_rel
        statement = self._statement(
            ("neighborhood", rel, direction, depth), lambda: self.cypher.neighborhood(rel, direction, depth)
        )
        records = self._fetch(statement, id=entity_id, graph=self.owner, limit=limit)
        if not records:
            return Prefetched([])
        row = records[0]
        return Prefetched(self._nodes_from(row["nodes"]), map(self._edge_from, row["edges"]))

    @staticmethod
    def _fulltext_term(document: str) -> str | None:
        if ID_PATTERN.match(document) and len(document) <= MAX_FULLTEXT_TOKEN:
            return f'"{document}"'
        return None

    def edges_citing(self, document: str) -> list[Edge]:
        term = self._fulltext_term(document)
        records = self._read(
            self.cypher.edges_citing(term is not None),
            index=self.cypher.edge_docs_index,
            term=term,
            doc=document,
            graph=self.owner,
        )
        return self._by_key(map(self._edge_from, records))

    def nodes_citing(self, document: str) -> list[Node]:
        term = self._fulltext_term(document)
        records = self._read(
            self.cypher.nodes_citing(term is not None), index=self.cypher.node_docs_index, term=term, doc=document
        )
        return sorted(self._nodes_from(records), key=lambda node: node.id)

    def search(
        self, text: str = "", type_name: str | None = None, status: str | None = None, limit: int = 20, offset: int = 0
    ) -> SearchResult:
        """Name (label, alias) matches before id matches; exact before prefix before substring; then by id."""
        query = normalize(text)
        if type_name and type_name not in self.labels:
            return SearchResult([], 0)
        label = self.labels[type_name] if type_name else None
        params = {
            "q": query,
            "nl": "\n",
            "exact": f"\n{query}\n",
            "prefix": f"\n{query}",
            "status": status or None,
        }
        pageable = isinstance(limit, int) and isinstance(offset, int) and limit >= 0 and offset >= 0
        statements = self.cypher

        def work(tx: ManagedTransaction) -> tuple[list[Node] | list[str], int]:
            total = tx.run(statements.search_total(label, bool(query)), params).single(strict=True)["total"]
            if pageable:
                page = tx.run(statements.search_page(label, bool(query)), params, offset=offset, limit=limit)
                return self._nodes_from(page), int(total)
            result = tx.run(statements.search_ids(label, bool(query)), params)
            return [record["id"] for record in result], int(total)

        items, total = self._execute(work)
        if pageable:
            return SearchResult(items, total)  # type: ignore[arg-type]
        page_ids = items[offset : offset + limit]  # Python slicing, as the memory store does for odd values
        nodes = self._nodes_by_id(page_ids)  # type: ignore[arg-type]
        return SearchResult([nodes[i] for i in page_ids if i in nodes], total)  # type: ignore[index]

    def shortest_paths(self, source: str, target: str, max_length: int = 6, limit: int = 10) -> list[Subgraph]:
        """All shortest paths ignoring direction (up to max_length edges), by node sequence: one statement
        (graph/cypher.py shortest_paths), so one round trip."""
        try:
            bound = operator.index(max_length)
        except TypeError:
            raise ValueError(f"max_length must be an integer, got {max_length!r:.40}") from None
        if source == target:
            ends = self._nodes_by_id([source])
            return [Subgraph([ends[source]], [])][:limit] if source in ends and bound >= 0 else []
        if bound < 1:
            return []
        wanted = limit if isinstance(limit, int) and limit >= 0 else None
        statement = self._statement(("paths", bound), lambda: self.cypher.shortest_paths(bound))
        records = self._fetch(statement, s=source, t=target, graph=self.owner, limit=wanted)
        if not records:
            return []
        row = records[0]
        nodes = {node.id: node for node in self._nodes_from(row["nodes"])}
        if source not in nodes or target not in nodes:
            return []
        chosen = [s for s in sorted({tuple(s) for s in row["sequences"]}) if len(s) - 1 <= bound][:limit]
        by_pair: dict[frozenset[str], list[Edge]] = {}
        for edge in map(self._edge_from, row["edges"]):
            by_pair.setdefault(frozenset((edge.source, edge.target)), []).append(edge)
        paths = []
        for sequence in chosen:
            edges = [e for a, b in pairwise(sequence) for e in by_pair.get(frozenset((a, b)), [])]
            paths.append(Subgraph([nodes[n] for n in sequence], sorted(edges, key=lambda e: e.key)))
        return paths

    def iter_nodes(self, type_name: str | None = None) -> Iterator[Node]:
        """Every node by id, fetched in pages (keyset on the unique id) so large graphs stream."""
        if type_name is not None and type_name not in self.labels:
            return
        label = self.labels[type_name] if type_name is not None else None
        statement = self.cypher.node_page(label)
        after: str | None = None
        while True:
            records = self._read(statement, after=after, limit=READ_PAGE)
            nodes = self._nodes_from(records)
            yield from (node for node in nodes if type_name is None or node.type == type_name)
            if len(records) < READ_PAGE:
                return
            after = records[-1]["p"][cy.ID]

    def iter_edges(self) -> Iterator[Edge]:
        """Every edge by (source, relation, target): pages of source nodes by id, their out-edges sorted."""
        after: str | None = None
        while True:

            def page(tx: ManagedTransaction, after: str | None = after) -> tuple[list[str], list[Edge]]:
                ids = [r["id"] for r in tx.run(self.cypher.source_page(), after=after, limit=READ_PAGE)]
                result = tx.run(self.cypher.out_edges(), ids=ids, graph=self.owner)
                return ids, [self._edge_from(record) for record in result]

            ids, edges = self._execute(page)
            yield from sorted(edges, key=lambda e: e.key)
            if len(ids) < READ_PAGE:
                return
            after = ids[-1]

    def stats(self) -> dict[str, Any]:
        schema = load_schema()

        def work(tx: ManagedTransaction) -> tuple[list[neo4j.Record], list[neo4j.Record]]:
            nodes = list(tx.run(self.cypher.node_counts(), labels=sorted(self._types_by_label)))
            return nodes, list(tx.run(self.cypher.edge_counts(), graph=self.owner))

        node_counts, edge_counts = self._execute(work)
        node_types = dict.fromkeys(schema.node_types, 0)
        relation_types = dict.fromkeys(schema.relation_types, 0)
        for record in node_counts:
            type_name = self._type_of(record["labels"])
            if type_name is not None:
                node_types[type_name] += record["c"]
        for record in edge_counts:
            relation_types[self._rel_keys[record["rel"]]] += record["c"]
        return {
            "nodes": sum(node_types.values()),
            "edges": sum(relation_types.values()),
            "node_types": node_types,
            "relation_types": relation_types,
        }

    def revision(self) -> str:
        """The database's last committed transaction, as the bookmark of a fresh read (see the module doc)."""

        def last_commit(session: Session) -> frozenset[str]:
            session.execute_read(
                unit_of_work(timeout=self.query_timeout)(lambda tx: tx.run(cy.Cypher.ping()).consume())
            )
            return session.last_bookmarks().raw_values

        bookmarks = self._session(last_commit)
        if not bookmarks:
            return "live-" + uuid.uuid4().hex
        return "tx-" + hashlib.sha1("\n".join(sorted(bookmarks)).encode()).hexdigest()[:16]

    def ping(self) -> bool:
        """True when a trivial read works; StoreError (with the reason) otherwise."""

        def work(tx: ManagedTransaction) -> int:
            return int(tx.run(self.cypher.ping()).single(strict=True)["one"])

        return self._execute(work, ensure=False) == 1

    def close(self) -> None:
        self._driver.close()
