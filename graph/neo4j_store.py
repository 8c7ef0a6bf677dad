"""GraphStore over a Neo4j server (bolt:// or neo4j:// routing URIs, including Aura).

Answers must be identical to graph/memory.py, so this module only supplies primitives
(edges_of, descendants, get_many, citations, search, paths) and graph/engine.py runs the
named queries over them. Layout: every entity is a node labelled `Entity` plus its
ontology type label, with properties id, type, label_en, label_zh, status, normalised
search keys (search_en, search_zh), sources (JSON), docs (cited document ids, a list) and
cited (the same ids space-joined, for a whitespace full-text index), and each scalar
property as `p_<key>`. Relationships carry status, sources, docs and cited. Labels and
relationship types come only from the ontology and are checked before any Cypher is
built; every value is a query parameter. One upsert is one write transaction.
"""

from __future__ import annotations

import hashlib
import json
import logging
import operator
import os
import uuid
from collections.abc import Callable, Iterable, Iterator
from itertools import pairwise
from typing import Any, ClassVar, TypeVar

import neo4j
from neo4j import GraphDatabase, ManagedTransaction, unit_of_work
from neo4j.exceptions import (
    AuthError,
    ConfigurationError,
    DriverError,
    Neo4jError,
    ServiceUnavailable,
    SessionExpired,
)

from plankg.graph.store import ProgressCallback, SearchResult, StoreError
from plankg.model import Edge, GraphBatch, LoadSummary, Node, Source, Subgraph, merge_sources
from plankg.model.text import normalize
from plankg.ontology.schema import ID_PATTERN, NEO4J_NAME, load_schema

T = TypeVar("T")

# The driver logs each retry as a warning; without a handler of the application's own, Python's
# last-resort handler would print them to users. Applications that configure logging still see them.
logging.getLogger("neo4j").addHandler(logging.NullHandler())

PROPERTY_PREFIX = "p_"
STATE_KEY = "plankg"
WRITE_ROWS = 10_000
"""Rows per UNWIND write statement inside the one write transaction of an upsert."""
READ_ROWS = 20_000
"""Ids per UNWIND existence read inside that transaction."""
READ_PAGE = 2_000
"""Nodes per page when streaming iter_nodes / iter_edges."""
CLEAR_BATCH = 5_000
NODE_DOCS_INDEX = "plankg_node_docs"
EDGE_DOCS_INDEX_PREFIX = "plankg_edge_docs_"
LABELS_INDEX = "plankg_labels"
MAX_FULLTEXT_TOKEN = 200
"""Lucene's whitespace tokenizer splits tokens longer than 255 chars; longer ids fall back to a scan."""


def _safe_name(name: str) -> str:
    """A label / relationship type that may be interpolated into Cypher (already from the ontology)."""
    if not NEO4J_NAME.match(name):
        raise ValueError(f"refusing Neo4j name {name!r:.60}")
    return name


_JSON = json.JSONEncoder(ensure_ascii=False)
"""One encoder for all rows (json.dumps with options builds a new encoder per call)."""


def _sources_json(sources: Iterable[Source]) -> str:
    return _JSON.encode([[s.document, s.locator, s.quote] for s in sources])


def _sources_from(text: str | None) -> list[Source]:
    return [Source(d, loc, q) for d, loc, q in json.loads(text or "[]")]


def _docs(sources: Iterable[Source]) -> list[str]:
    return sorted({s.document for s in sources})


def _node_from(props: dict[str, Any]) -> Node:
    properties = {k[len(PROPERTY_PREFIX) :]: v for k, v in sorted(props.items()) if k.startswith(PROPERTY_PREFIX)}
    return Node(
        id=props["id"],
        type=props["type"],
        labels={"en": props.get("label_en", ""), "zh": props.get("label_zh", "")},
        properties=properties,
        sources=_sources_from(props.get("sources")),
        status=props.get("status", "confirmed"),
    )


class Neo4jStore:
    """GraphStore over the official neo4j driver; managed transactions only (the driver retries)."""

    kind = "neo4j"
    _schema_done: ClassVar[set[tuple[str, str]]] = set()
    """(uri, database) pairs whose constraints and indexes this process has already ensured."""

    def __init__(
        self,
        uri: str,
        user: str,
        password: str,
        database: str = "neo4j",
        *,
        query_timeout: float = 30.0,
        load_timeout: float | None = 900.0,
        connection_timeout: float = 1.0,
        retry_time: float = 0.5,
    ) -> None:
        schema = load_schema()
        self.uri = uri
        self.user = user
        self.database = database or "neo4j"
        self.query_timeout = query_timeout
        self.load_timeout = load_timeout
        self._labels = {name: _safe_name(t.neo4j_label) for name, t in schema.node_types.items()}
        self._rel_types = {key: _safe_name(r.neo4j_type) for key, r in schema.relation_types.items()}
        self._rel_keys = {neo4j_type: key for key, neo4j_type in self._rel_types.items()}
        self._entity = _safe_name(schema.entity_label)
        self._state = _safe_name(schema.state_label)
        self._any_rel = "|".join(sorted(self._rel_types.values()))
        digest = hashlib.sha1(self._any_rel.encode()).hexdigest()[:10]
        self._edge_docs_index = EDGE_DOCS_INDEX_PREFIX + digest
        self._schema_ready = False
        try:
            self._driver = GraphDatabase.driver(
                uri,
                auth=(user, password),
                connection_timeout=connection_timeout,
                max_transaction_retry_time=retry_time,
                initial_retry_delay=min(0.2, retry_time),
                retry_delay_multiplier=2.0,
                connection_acquisition_timeout=connection_timeout + retry_time + 5.0,
            )
        except (ConfigurationError, ValueError) as error:
            raise StoreError(f"cannot use the Neo4j URI {uri!r}: {error}") from error

    @classmethod
    def from_env(cls) -> Neo4jStore:
        """NEO4J_URI (required), NEO4J_USER (neo4j), NEO4J_PASSWORD, NEO4J_DATABASE (neo4j)."""
        uri = os.environ.get("NEO4J_URI", "").strip()
        if not uri:
            raise StoreError(
                "NEO4J_URI is not set; expected e.g. bolt://localhost:7687 or neo4j+s://xxxx.databases.neo4j.io"
            )
        return cls(
            uri,
            os.environ.get("NEO4J_USER") or "neo4j",
            os.environ.get("NEO4J_PASSWORD", ""),
            os.environ.get("NEO4J_DATABASE") or "neo4j",
        )

    # ------------------------------------------------------------ plumbing
    def _execute(
        self,
        work: Callable[[ManagedTransaction], T],
        *,
        write: bool = False,
        timeout: float | None = None,
        ensure: bool = True,
    ) -> T:
        """Run one managed transaction; connection and server problems become StoreError."""
        if ensure:
            self._ensure_schema()
        function = unit_of_work(timeout=timeout if timeout is not None else self.query_timeout)(work)
        try:
            with self._driver.session(database=self.database) as session:
                if write:
                    return session.execute_write(function)
                return session.execute_read(function)
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

    def _ensure_schema(self) -> None:
        """Constraints and indexes, created once per store object (idempotently)."""
        if self._schema_ready or (self.uri, self.database) in Neo4jStore._schema_done:
            return
        entity = self._entity
        statements = [
            f"CREATE CONSTRAINT plankg_entity_id IF NOT EXISTS FOR (n:{entity}) REQUIRE n.id IS UNIQUE",
            f"CREATE CONSTRAINT plankg_state_key IF NOT EXISTS FOR (n:{self._state}) REQUIRE n.key IS UNIQUE",
            f"CREATE TEXT INDEX plankg_search_en IF NOT EXISTS FOR (n:{entity}) ON (n.search_en)",
            f"CREATE TEXT INDEX plankg_search_zh IF NOT EXISTS FOR (n:{entity}) ON (n.search_zh)",
            f"CREATE TEXT INDEX plankg_search_id IF NOT EXISTS FOR (n:{entity}) ON (n.id)",
            f"CREATE FULLTEXT INDEX {LABELS_INDEX} IF NOT EXISTS FOR (n:{entity}) ON EACH [n.label_en, n.label_zh] "
            "OPTIONS {indexConfig: {`fulltext.analyzer`: 'cjk'}}",
            f"CREATE FULLTEXT INDEX {NODE_DOCS_INDEX} IF NOT EXISTS FOR (n:{entity}) ON EACH [n.cited] "
            "OPTIONS {indexConfig: {`fulltext.analyzer`: 'whitespace'}}",
            f"CREATE FULLTEXT INDEX {self._edge_docs_index} IF NOT EXISTS FOR ()-[r:{self._any_rel}]-() "
            "ON EACH [r.cited] OPTIONS {indexConfig: {`fulltext.analyzer`: 'whitespace'}}",
        ]
        # Indexes of earlier versions that no query plan used (iter_nodes and search scan a type's
        # label; stats aggregates), while every load paid for their upkeep.
        labels = sorted(set(self._labels.values()))
        obsolete = ["plankg_entity_type", *(f"plankg_{label.lower()}_id" for label in labels)]

        def stale(tx: ManagedTransaction) -> list[str]:
            result = tx.run(
                "SHOW FULLTEXT INDEXES YIELD name WHERE name STARTS WITH $prefix RETURN name",
                prefix=EDGE_DOCS_INDEX_PREFIX,
            )
            return [r["name"] for r in result if r["name"] != self._edge_docs_index]

        for name in [*self._execute(stale, ensure=False), *obsolete]:
            if NEO4J_NAME.match(name):  # an index over an older set of relationship types, or unused
                self._ddl(f"DROP INDEX {name} IF EXISTS")
        for statement in statements:
            self._ddl(statement)

        def wait(tx: ManagedTransaction) -> None:
            tx.run("CALL db.awaitIndexes(300)").consume()

        self._execute(wait, ensure=False, timeout=330)
        self._schema_ready = True
        Neo4jStore._schema_done.add((self.uri, self.database))

    def _ddl(self, statement: str) -> None:
        def work(tx: ManagedTransaction) -> None:
            tx.run(statement).consume()

        try:
            self._execute(work, write=True, ensure=False)
        except StoreError as error:
            cause = error.__cause__
            if isinstance(cause, Neo4jError) and "AlreadyExists" in (cause.code or ""):
                return  # another process created it at the same moment
            raise

    def _label(self, type_name: str) -> str:
        label = self._labels.get(type_name)
        if label is None:
            raise ValueError(f"{type_name!r:.60} is not a node type of the ontology")
        return label

    def _rel_type(self, relation: str) -> str:
        rel_type = self._rel_types.get(relation)
        if rel_type is None:
            raise ValueError(f"{relation!r:.60} is not a relation of the ontology")
        return rel_type

    def _edge_from(self, record: neo4j.Record) -> Edge:
        return Edge(
            source=record["s"],
            relation=self._rel_keys[record["rel"]],
            target=record["o"],
            sources=_sources_from(record["sources"]),
            status=record["status"],
        )

    _EDGE_RETURN = "startNode(r).id AS s, type(r) AS rel, endNode(r).id AS o, r.status AS status, r.sources AS sources"

    # ------------------------------------------------------------ writes
    # Rows travel as lists, not maps: the driver encodes every map key of every row again, and
    # encoding is most of an upsert's client time. Type and status are statement parameters (rows are
    # grouped by them) and `cited` is joined by the server, so they cost nothing per row either.
    _CITED = "reduce(c = coalesce(head(row[{i}]), ''), d IN tail(row[{i}]) | c + ' ' + d)"
    _NODE_PROPS = (
        "{id: row[0], type: $type, label_en: row[1], label_zh: row[2], status: $status, "
        "search_en: row[3], search_zh: row[4], sources: row[5], docs: row[6], cited: " + _CITED.format(i=6) + "}"
    )
    _EDGE_PROPS = "{status: $status, sources: row[2], docs: row[3], cited: " + _CITED.format(i=3) + "}"

    @staticmethod
    def _node_row(node: Node, sources: list[Source]) -> list[Any]:
        """[id, label_en, label_zh, search_en, search_zh, sources JSON, docs, {p_key: value}]."""
        en, zh = node.labels.get("en", ""), node.labels.get("zh", "")
        return [
            node.id,
            en,
            zh,
            normalize(en),
            normalize(zh),
            _sources_json(sources),
            _docs(sources),
            {PROPERTY_PREFIX + str(key): value for key, value in node.properties.items()},
        ]

    @staticmethod
    def _edge_row(edge: Edge, sources: list[Source]) -> list[Any]:
        """[source id, target id, sources JSON, docs]."""
        return [edge.source, edge.target, _sources_json(sources), _docs(sources)]

    def upsert(self, batch: GraphBatch, on_progress: ProgressCallback | None = None) -> LoadSummary:
        """Merge a batch in ONE write transaction: properties replaced, sources united; all or nothing.

        Inside the transaction, after the revision bump has locked out other loads, one read finds
        which ids (and, among edges between two stored nodes, which edges) exist already. Only those
        are MATCHed and merged with their stored sources; the rest are CREATEd, which spares MERGE's
        lookups. Statements are sent without waiting for their answers, so the server runs one chunk
        while the next is being encoded; the edge counts are checked once all is sent.
        """
        # Refuse anything outside the ontology before any Cypher is built.
        labels, rel_types = self._labels, self._rel_types
        for node in batch.nodes:
            if node.type not in labels:
                self._label(node.type)
            if not isinstance(node.id, str):
                raise ValueError(f"node id must be a text, got {node.id!r:.60}")
        for edge in batch.edges:
            if edge.relation not in rel_types:
                self._rel_type(edge.relation)
            if not isinstance(edge.source, str) or not isinstance(edge.target, str):
                raise ValueError(f"edge ends must be texts, got {edge.key!r:.80}")
        # Later duplicates in the batch win, their sources united (as the memory store does).
        nodes: dict[str, Node] = {}
        for node in batch.nodes:
            previous = nodes.get(node.id)
            if previous is not None:
                node = Node(
                    node.id,
                    node.type,
                    node.labels,
                    node.properties,
                    merge_sources(previous.sources, node.sources),
                    node.status,
                )
            nodes[node.id] = node
        edges: dict[tuple[str, str, str], Edge] = {}
        for edge in batch.edges:
            old_edge = edges.get(edge.key)
            if old_edge is not None:
                edge = Edge(
                    edge.source, edge.relation, edge.target, merge_sources(old_edge.sources, edge.sources), edge.status
                )
            edges[edge.key] = edge
        total = len(batch)
        entity = self._entity

        def work(tx: ManagedTransaction) -> None:
            # The revision bump comes first: its lock on the state node serialises concurrent loads,
            # so what the reads below find stays true until this transaction ends.
            tx.run(
                f"MERGE (s:{self._state} {{key: $key}}) SET s.revision = coalesce(s.revision, 0) + 1, s.token = $token",
                key=STATE_KEY,
                token=uuid.uuid4().hex[:12],
            ).consume()
            # Index hints: a plan cached while the graph was empty may otherwise scan instead of seek.
            ends = (
                f"MATCH (a:{entity} {{id: row[0]}}) USING INDEX a:{entity}(id) "
                f"MATCH (b:{entity} {{id: row[1]}}) USING INDEX b:{entity}(id) "
            )
            # Stored ids among the batch's nodes and its edges' ends (an edge may join stored nodes only).
            ids = list(dict.fromkeys([*nodes, *(end for edge in edges.values() for end in (edge.source, edge.target))]))
            stored: dict[str, tuple[str, str]] = {}
            for start in range(0, len(ids), READ_ROWS):
                result = tx.run(
                    f"UNWIND $ids AS id MATCH (n:{entity} {{id: id}}) USING INDEX n:{entity}(id) "
                    "RETURN n.id AS id, n.type AS type, n.sources AS sources",
                    ids=ids[start : start + READ_ROWS],
                )
                stored.update((r["id"], (r["type"], r["sources"])) for r in result)
            # Only an edge between two stored nodes can exist already. Expand(Into) from both ends
            # (the subquery) checks from the end with fewer relationships, so hubs cost nothing.
            stored_edges: dict[tuple[str, str, str], str] = {}
            candidates: dict[str, list[list[str]]] = {}
            for edge in edges.values():
                if edge.source in stored and edge.target in stored:
                    candidates.setdefault(edge.relation, []).append([edge.source, edge.target])
            for relation, pairs in candidates.items():
                for start in range(0, len(pairs), READ_ROWS):
                    result = tx.run(
                        f"UNWIND $rows AS row {ends}"
                        f"CALL (a, b) {{ MATCH (a)-[r:{rel_types[relation]}]->(b) RETURN r }} "
                        "RETURN row[0] AS s, row[1] AS t, r.sources AS sources",
                        rows=pairs[start : start + READ_ROWS],
                    )
                    stored_edges.update(((r["s"], relation, r["t"]), r["sources"]) for r in result)
            # A node whose type changed loses its old type label (the memory store replaces the type).
            retyped: dict[str, list[str]] = {}
            for node_id, (old_type, _sources) in stored.items():
                if node_id in nodes and old_type != nodes[node_id].type and old_type in labels:
                    retyped.setdefault(labels[old_type], []).append(node_id)
            for old_label, group_ids in retyped.items():
                tx.run(
                    f"UNWIND $ids AS id MATCH (n:{entity} {{id: id}}) USING INDEX n:{entity}(id) REMOVE n:{old_label}",
                    ids=group_ids,
                ).consume()

            done = 0

            def sent(count: int) -> None:
                nonlocal done
                done += count
                if on_progress:
                    on_progress(done, total)

            # Nodes, grouped by (stored?, type, status).
            node_groups: dict[tuple[bool, str, str], list[Node]] = {}
            for node in nodes.values():
                node_groups.setdefault((node.id in stored, node.type, node.status), []).append(node)
            for (known, type_name, status), group in node_groups.items():
                label = labels[type_name]
                if known:
                    query = (
                        f"UNWIND $rows AS row MATCH (n:{entity} {{id: row[0]}}) USING INDEX n:{entity}(id) "
                        f"SET n = {self._NODE_PROPS} SET n += row[7] SET n:{label}"
                    )
                else:
                    query = (
                        f"UNWIND $rows AS row CREATE (n:{entity}:{label}) SET n = {self._NODE_PROPS} SET n += row[7]"
                    )
                for start in range(0, len(group), WRITE_ROWS):
                    chunk = group[start : start + WRITE_ROWS]
                    if known:
                        rows = [
                            self._node_row(n, merge_sources(_sources_from(stored[n.id][1]), n.sources)) for n in chunk
                        ]
                    else:
                        rows = [self._node_row(n, n.sources) for n in chunk]
                    tx.run(query, rows=rows, type=type_name, status=status)
                    sent(len(chunk))
            # Edges, grouped by (stored?, relation, status); each statement answers how many it wrote
            # (an edge whose end exists nowhere matches no row).
            edge_groups: dict[tuple[bool, str, str], list[Edge]] = {}
            for edge in edges.values():
                edge_groups.setdefault((edge.key in stored_edges, edge.relation, edge.status), []).append(edge)
            checks: list[tuple[neo4j.Result, int, str]] = []
            for (known, relation, status), group in edge_groups.items():
                rel_type = rel_types[relation]
                if known:
                    query = (
                        f"UNWIND $rows AS row {ends}CALL (a, b) {{ MATCH (a)-[r:{rel_type}]->(b) RETURN r }} "
                        f"SET r = {self._EDGE_PROPS} RETURN count(r) AS written"
                    )
                else:
                    query = (
                        f"UNWIND $rows AS row {ends}CREATE (a)-[r:{rel_type} {self._EDGE_PROPS}]->(b) "
                        "RETURN count(r) AS written"
                    )
                for start in range(0, len(group), WRITE_ROWS):
                    chunk = group[start : start + WRITE_ROWS]
                    if known:
                        rows = [
                            self._edge_row(e, merge_sources(_sources_from(stored_edges[e.key]), e.sources))
                            for e in chunk
                        ]
                    else:
                        rows = [self._edge_row(e, e.sources) for e in chunk]
                    checks.append((tx.run(query, rows=rows, status=status), len(chunk), relation))
                    sent(len(chunk))
            for result, expected, relation in checks:
                written = result.single(strict=True)["written"]
                if written != expected:
                    raise StoreError(
                        f"{expected - written} {relation} edge(s) point at entities that do not "
                        "exist; nothing was written"
                    )

        self._execute(work, write=True, timeout=self.load_timeout)
        if on_progress:
            on_progress(total, total)
        return LoadSummary(len(batch.nodes), len(batch.edges), list(batch.warnings))

    def clear(self) -> None:
        """Delete every entity and relation, in batches of write transactions, then bump the revision."""
        entity = self._entity

        def delete_some(tx: ManagedTransaction) -> int:
            result = tx.run(
                f"MATCH (n:{entity}) WITH n LIMIT $limit DETACH DELETE n RETURN count(*) AS deleted", limit=CLEAR_BATCH
            )
            return int(result.single(strict=True)["deleted"])

        while self._execute(delete_some, write=True, timeout=self.load_timeout):
            pass

        def bump(tx: ManagedTransaction) -> None:
            tx.run(
                f"MERGE (s:{self._state} {{key: $key}}) SET s.revision = coalesce(s.revision, 0) + 1, s.token = $token",
                key=STATE_KEY,
                token=uuid.uuid4().hex[:12],
            ).consume()

        self._execute(bump, write=True)

    # ------------------------------------------------------------ reads
    def _nodes_by_id(self, ids: Iterable[str]) -> dict[str, Node]:
        wanted = [i for i in dict.fromkeys(ids) if isinstance(i, str)]
        if not wanted:
            return {}
        entity = self._entity

        def work(tx: ManagedTransaction) -> dict[str, Node]:
            found: dict[str, Node] = {}
            for start in range(0, len(wanted), WRITE_ROWS):
                result = tx.run(
                    f"UNWIND $ids AS id MATCH (n:{entity} {{id: id}}) USING INDEX n:{entity}(id) "
                    "RETURN properties(n) AS p",
                    ids=wanted[start : start + WRITE_ROWS],
                )
                for record in result:
                    node = _node_from(record["p"])
                    found[node.id] = node
            return found

        found = self._execute(work)
        return {i: found[i] for i in wanted if i in found}

    def known_types(self, ids: Iterable[str]) -> dict[str, str]:
        return {key: node.type for key, node in self._nodes_by_id(ids).items()}

    def get(self, entity_id: str) -> Node | None:
        return self._nodes_by_id([entity_id]).get(entity_id)

    def get_many(self, ids: Iterable[str]) -> dict[str, Node]:
        return self._nodes_by_id(ids)

    def edges_of(self, ids: Iterable[str], relation: str | None = None, direction: str = "both") -> list[Edge]:
        wanted = [i for i in dict.fromkeys(ids) if isinstance(i, str)]
        if relation is not None and relation not in self._rel_types:
            return []  # the memory store matches nothing for a relation outside the ontology
        rel = self._rel_types[relation] if relation is not None else self._any_rel
        patterns = []
        if direction in ("out", "both"):
            patterns.append(f"(n)-[r:{rel}]->(:{self._entity})")
        if direction in ("in", "both"):
            patterns.append(f"(n)<-[r:{rel}]-(:{self._entity})")
        if not wanted or not patterns:
            return []
        entity = self._entity

        def work(tx: ManagedTransaction) -> list[Edge]:
            edges = []
            for pattern in patterns:
                for start in range(0, len(wanted), WRITE_ROWS):
                    result = tx.run(
                        f"UNWIND $ids AS id MATCH (n:{entity} {{id: id}}) MATCH {pattern} RETURN {self._EDGE_RETURN}",
                        ids=wanted[start : start + WRITE_ROWS],
                    )
                    edges.extend(self._edge_from(record) for record in result)
            return edges

        found = {edge.key: edge for edge in self._execute(work)}
        return [found[key] for key in sorted(found)]

    def descendants(self, entity_id: str, relation: str) -> list[Edge]:
        if relation not in self._rel_types:
            return []
        rel = self._rel_types[relation]
        entity = self._entity

        def work(tx: ManagedTransaction) -> list[Edge]:
            result = tx.run(
                f"MATCH (t:{entity} {{id: $id}}) "
                f"OPTIONAL MATCH (x:{entity})-[:{rel}*1..]->(t) "
                "WITH t, collect(DISTINCT x) AS below "
                "UNWIND below + [t] AS b "
                f"MATCH (:{entity})-[r:{rel}]->(b) "
                f"RETURN DISTINCT {self._EDGE_RETURN}",
                id=entity_id,
            )
            return [self._edge_from(record) for record in result]

        found = {edge.key: edge for edge in self._execute(work)}
        return [found[key] for key in sorted(found)]

    def _fulltext_term(self, document: str) -> str | None:
        if ID_PATTERN.match(document) and len(document) <= MAX_FULLTEXT_TOKEN:
            return f'"{document}"'
        return None

    def edges_citing(self, document: str) -> list[Edge]:
        term = self._fulltext_term(document)
        entity = self._entity

        def work(tx: ManagedTransaction) -> list[Edge]:
            if term is not None:
                query = (
                    "CALL db.index.fulltext.queryRelationships($index, $term) YIELD relationship AS r "
                    f"WITH r WHERE $doc IN r.docs MATCH (:{entity})-[r]->(:{entity}) RETURN {self._EDGE_RETURN}"
                )
            else:
                query = (
                    f"MATCH (:{entity})-[r:{self._any_rel}]->(:{entity}) WHERE $doc IN r.docs "
                    f"RETURN {self._EDGE_RETURN}"
                )
            result = tx.run(query, index=self._edge_docs_index, term=term, doc=document)
            return [self._edge_from(record) for record in result]

        found = {edge.key: edge for edge in self._execute(work)}
        return [found[key] for key in sorted(found)]

    def nodes_citing(self, document: str) -> list[Node]:
        term = self._fulltext_term(document)
        entity = self._entity

        def work(tx: ManagedTransaction) -> list[Node]:
            if term is not None:
                query = (
                    "CALL db.index.fulltext.queryNodes($index, $term) YIELD node AS n "
                    "WITH n WHERE $doc IN n.docs RETURN properties(n) AS p"
                )
            else:
                query = f"MATCH (n:{entity}) WHERE $doc IN n.docs RETURN properties(n) AS p"
            result = tx.run(query, index=NODE_DOCS_INDEX, term=term, doc=document)
            return [_node_from(record["p"]) for record in result]

        return sorted(self._execute(work), key=lambda node: node.id)

    _RANK = (
        "CASE WHEN $q = '' THEN 0 ELSE reduce(best = 3, c IN [n.search_en, n.search_zh, n.id] | "
        "CASE WHEN c IS NULL OR c = '' OR NOT c CONTAINS $q THEN best "
        "WHEN c = $q THEN 0 "
        "WHEN c STARTS WITH $q THEN CASE WHEN best < 1 THEN best ELSE 1 END "
        "ELSE CASE WHEN best < 2 THEN best ELSE 2 END END) END"
    )

    def search(
        self, text: str = "", type_name: str | None = None, status: str | None = None, limit: int = 20, offset: int = 0
    ) -> SearchResult:
        """Label (and id) matches, exact before prefix before substring, then by id (as graph/text.py ranks)."""
        query = normalize(text)
        if type_name and type_name not in self._labels:
            return SearchResult([], 0)
        label = self._labels[type_name] if type_name else self._entity
        # Two query texts rather than `$q = '' OR ...`, so the planner can use the text (trigram) indexes.
        contains = "AND (n.search_en CONTAINS $q OR n.search_zh CONTAINS $q OR n.id CONTAINS $q) " if query else ""
        match = f"MATCH (n:{label}) WHERE n:{self._entity} AND ($status IS NULL OR n.status = $status) {contains}"
        params = {"q": query, "status": status or None}
        pageable = isinstance(limit, int) and isinstance(offset, int) and limit >= 0 and offset >= 0

        def work(tx: ManagedTransaction) -> tuple[list[Node] | list[str], int]:
            total = tx.run(match + "RETURN count(n) AS total", params).single(strict=True)["total"]
            if pageable:
                result = tx.run(
                    match + f"WITH n, {self._RANK} AS rank ORDER BY rank, n.id SKIP $offset LIMIT $limit "
                    "RETURN properties(n) AS p",
                    params,
                    offset=offset,
                    limit=limit,
                )
                return [_node_from(record["p"]) for record in result], int(total)
            result = tx.run(match + f"WITH n, {self._RANK} AS rank ORDER BY rank, n.id RETURN n.id AS id", params)
            return [record["id"] for record in result], int(total)

        items, total = self._execute(work)
        if pageable:
            return SearchResult(items, total)  # type: ignore[arg-type]
        page = items[offset : offset + limit]  # Python slicing, as the memory store does for odd values
        nodes = self._nodes_by_id(page)  # type: ignore[arg-type]
        return SearchResult([nodes[i] for i in page], total)  # type: ignore[index]

    def shortest_paths(self, source: str, target: str, max_length: int = 6, limit: int = 10) -> list[Subgraph]:
        """All shortest paths ignoring direction (up to max_length edges), by node sequence."""
        try:
            bound = operator.index(max_length)
        except TypeError:
            raise ValueError(f"max_length must be an integer, got {max_length!r:.40}") from None
        ends = self._nodes_by_id([source, target])
        if source not in ends or target not in ends:
            return []
        if source == target:
            return [Subgraph([ends[source]], [])] if bound >= 0 else []
        if bound < 1:
            return []
        entity = self._entity

        def find(tx: ManagedTransaction) -> list[tuple[str, ...]]:
            result = tx.run(
                f"MATCH (a:{entity} {{id: $s}}), (b:{entity} {{id: $t}}) "
                f"MATCH p = allShortestPaths((a)-[:{self._any_rel}*..{int(bound)}]-(b)) "
                "RETURN DISTINCT [n IN nodes(p) | n.id] AS sequence",
                s=source,
                t=target,
            )
            return [tuple(record["sequence"]) for record in result]

        sequences = sorted(set(self._execute(find)))
        chosen: list[tuple[str, ...]] = []
        for sequence in sequences:
            if len(sequence) - 1 > bound:
                break
            chosen.append(sequence)
            if len(chosen) >= limit:
                break
        if not chosen:
            return []
        pairs = sorted({(a, b) for sequence in chosen for a, b in pairwise(sequence)})

        def between(tx: ManagedTransaction) -> list[Edge]:
            result = tx.run(
                f"UNWIND $pairs AS pair MATCH (a:{entity} {{id: pair[0]}})-[r:{self._any_rel}]-"
                f"(b:{entity} {{id: pair[1]}}) RETURN DISTINCT {self._EDGE_RETURN}",
                pairs=[list(pair) for pair in pairs],
            )
            return [self._edge_from(record) for record in result]

        by_pair: dict[frozenset[str], list[Edge]] = {}
        for edge in self._execute(between):
            by_pair.setdefault(frozenset((edge.source, edge.target)), []).append(edge)
        nodes = self._nodes_by_id(n for sequence in chosen for n in sequence)
        paths = []
        for sequence in chosen:
            edges = [e for a, b in pairwise(sequence) for e in by_pair.get(frozenset((a, b)), [])]
            paths.append(Subgraph([nodes[n] for n in sequence], sorted(edges, key=lambda e: e.key)))
        return paths

    def iter_nodes(self, type_name: str | None = None) -> Iterator[Node]:
        """Every node by id, fetched in pages (keyset on the unique id) so large graphs stream."""
        if type_name is not None and type_name not in self._labels:
            return
        label = self._labels[type_name] if type_name is not None else self._entity
        after: str | None = None
        while True:

            def page(tx: ManagedTransaction, after: str | None = after) -> list[Node]:
                result = tx.run(
                    f"MATCH (n:{label}) WHERE n:{self._entity} AND ($after IS NULL OR n.id > $after) "
                    "RETURN properties(n) AS p ORDER BY n.id LIMIT $limit",
                    after=after,
                    limit=READ_PAGE,
                )
                return [_node_from(record["p"]) for record in result]

            nodes = self._execute(page)
            yield from nodes
            if len(nodes) < READ_PAGE:
                return
            after = nodes[-1].id

    def iter_edges(self) -> Iterator[Edge]:
        """Every edge by (source, relation, target): pages of source nodes by id, their out-edges sorted."""
        entity = self._entity
        after: str | None = None
        while True:

            def page(tx: ManagedTransaction, after: str | None = after) -> tuple[list[str], list[Edge]]:
                ids = [
                    r["id"]
                    for r in tx.run(
                        f"MATCH (a:{entity}) WHERE $after IS NULL OR a.id > $after "
                        "RETURN a.id AS id ORDER BY a.id LIMIT $limit",
                        after=after,
                        limit=READ_PAGE,
                    )
                ]
                result = tx.run(
                    f"UNWIND $ids AS id MATCH (a:{entity} {{id: id}})-[r:{self._any_rel}]->(:{entity}) "
                    f"RETURN {self._EDGE_RETURN}",
                    ids=ids,
                )
                return ids, [self._edge_from(record) for record in result]

            ids, edges = self._execute(page)
            yield from sorted(edges, key=lambda e: e.key)
            if len(ids) < READ_PAGE:
                return
            after = ids[-1]

    def stats(self) -> dict[str, Any]:
        schema = load_schema()
        entity = self._entity

        def work(tx: ManagedTransaction) -> tuple[list[tuple[str, int]], list[tuple[str, int]]]:
            nodes = tx.run(f"MATCH (n:{entity}) RETURN n.type AS t, count(*) AS c")
            node_counts = [(r["t"], r["c"]) for r in nodes]
            edges = tx.run(f"MATCH (:{entity})-[r:{self._any_rel}]->(:{entity}) RETURN type(r) AS t, count(*) AS c")
            return node_counts, [(r["t"], r["c"]) for r in edges]

        node_counts, edge_counts = self._execute(work)
        node_types = dict.fromkeys(schema.node_types, 0)
        relation_types = dict.fromkeys(schema.relation_types, 0)
        for type_name, count in sorted(node_counts):
            node_types[type_name] = node_types.get(type_name, 0) + count
        for rel_type, count in sorted(edge_counts):
            key = self._rel_keys[rel_type]
            relation_types[key] = relation_types.get(key, 0) + count
        return {
            "nodes": sum(node_types.values()),
            "edges": sum(relation_types.values()),
            "node_types": node_types,
            "relation_types": relation_types,
        }

    def revision(self) -> str:
        def work(tx: ManagedTransaction) -> str:
            record = tx.run(
                f"OPTIONAL MATCH (s:{self._state} {{key: $key}}) RETURN s.revision AS r, s.token AS t", key=STATE_KEY
            ).single(strict=True)
            return "empty" if record["r"] is None else f"{record['r']}-{record['t']}"

        return self._execute(work, ensure=False)

    def ping(self) -> bool:
        """True when a trivial read works; StoreError (with the reason) otherwise."""

        def work(tx: ManagedTransaction) -> int:
            return int(tx.run("RETURN 1 AS one").single(strict=True)["one"])

        return self._execute(work, ensure=False) == 1

    def close(self) -> None:
        self._driver.close()
