"""Every Cypher statement the Neo4j store sends, as named builders over checked names.

Only names are interpolated: the owner label (configuration, checked against NEO4J_NAME) and
the ontology's labels and relationship types. Every value — ids, texts, the owner marker on
relationships, limits — travels as a parameter. graph/NEO4J.md describes the shape these
statements read and write.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from plankg.ontology.schema import NEO4J_NAME

# Node properties plankg writes besides the ontology's own (which keep their ontology keys).
ID = "id"
LABEL_EN, LABEL_ZH = "label_en", "label_zh"
ALIASES_EN, ALIASES_ZH = "aliases_en", "aliases_zh"
STATUS = "status"
DOCUMENTS, LOCATORS, QUOTES, KINDS = "source_documents", "source_locators", "source_quotes", "source_kinds"
"""Provenance as parallel lists; KINDS says per source whether it is a verbatim quote or a curatorial note."""
SEARCH = "_search"
"""The one internal node property: normalised labels and aliases joined by newlines (search only)."""
GRAPH = "graph"
"""Relationship property naming the graph (the owner label) that wrote it; foreign ones lack it."""
NODE_KEYS = frozenset(
    {ID, LABEL_EN, LABEL_ZH, ALIASES_EN, ALIASES_ZH, STATUS, DOCUMENTS, LOCATORS, QUOTES, KINDS, SEARCH}
)
EDGE_KEYS = frozenset({GRAPH, STATUS, DOCUMENTS, LOCATORS, QUOTES, KINDS})
LEASE_OWNER, LEASE_LOAD, LEASE_EXPIRES = "owner", "load", "expires"
"""Properties of the lease node a staged load holds while it runs (graph/neo4j_staged.py)."""

# Schema objects of the previous shape (`Entity` label, p_ properties, a GraphState node); dropped.
OLD_CONSTRAINTS = ("plankg_entity_id", "plankg_state_key")
OLD_INDEXES = ("plankg_search_en", "plankg_search_zh", "plankg_search_id", "plankg_labels", "plankg_node_docs")
OLD_INDEX_PREFIX = "plankg_edge_docs_"

NODE_ROW = (
    f"{{{ID}: row[0], {LABEL_EN}: row[1], {LABEL_ZH}: row[2], {STATUS}: $status, {SEARCH}: row[3], "
    f"{DOCUMENTS}: row[4], {LOCATORS}: row[5], {QUOTES}: row[6], {ALIASES_EN}: row[7], {ALIASES_ZH}: row[8], "
    f"{KINDS}: row[10]}}"
)
"""A node row [id, label_en, label_zh, search, documents, locators, quotes, aliases_en, aliases_zh, props]."""
NODE_ROW_PROPS = "row[9]"
EDGE_ROW = (
    f"{{{GRAPH}: $graph, {STATUS}: $status, {DOCUMENTS}: row[2], {LOCATORS}: row[3], {QUOTES}: row[4], "
    f"{KINDS}: row[5]}}"
)
"""An edge row [source id, target id, documents, locators, quotes, kinds]."""
EDGE_RETURN = (
    f"startNode(r).id AS s, type(r) AS rel, endNode(r).id AS o, r.{STATUS} AS status, "
    f"r.{DOCUMENTS} AS documents, r.{LOCATORS} AS locators, r.{QUOTES} AS quotes, r.{KINDS} AS kinds"
)
NODE_RETURN = "properties(n) AS p, labels(n) AS labels"
NODE_MAP = "{{p: properties({n}), labels: labels({n})}}"
"""A node as a map with the keys NODE_RETURN names (format with n=the node expression)."""
EDGE_MAP = (
    f"{{s: startNode(r).id, rel: type(r), o: endNode(r).id, {STATUS}: r.{STATUS}, documents: r.{DOCUMENTS}, "
    f"locators: r.{LOCATORS}, quotes: r.{QUOTES}, kinds: r.{KINDS}}}"
)
"""A relationship `r` as a map with the keys EDGE_RETURN names."""
RANK = (
    "CASE WHEN $q = '' THEN 0 "
    f"WHEN n.{SEARCH} CONTAINS $q THEN CASE WHEN $nl + n.{SEARCH} + $nl CONTAINS $exact THEN 0 "
    f"WHEN $nl + n.{SEARCH} CONTAINS $prefix THEN 1 ELSE 2 END "
    "WHEN n.id = $q THEN 3 WHEN n.id STARTS WITH $q THEN 4 ELSE 5 END"
)
"""Names (labels, aliases) rank exact 0, prefix 1, substring 2; id-only matches 3-5 (as graph/memory.py)."""


def safe_name(name: str) -> str:
    """A label / relationship type that may be interpolated into Cypher."""
    if not isinstance(name, str) or not NEO4J_NAME.match(name):
        raise ValueError(f"refusing Neo4j name {name!r:.60}")
    return name


@dataclass(frozen=True)
class Cypher:
    """The statements for one owner label over the ontology's labels and relationship types."""

    owner: str
    labels: Mapping[str, str]
    """Node type -> Neo4j label."""
    rel_types: Mapping[str, str]
    """Relation key -> Neo4j relationship type."""
    any_rel: str = field(init=False)
    type_labels: frozenset[str] = field(init=False)

    def __post_init__(self) -> None:
        safe_name(self.owner)
        for name in [*self.labels.values(), *self.rel_types.values()]:
            safe_name(name)
        object.__setattr__(self, "any_rel", "|".join(sorted(set(self.rel_types.values()))))
        object.__setattr__(self, "type_labels", frozenset(self.labels.values()))

    # ------------------------------------------------------------ schema
    @property
    def prefix(self) -> str:
        return f"plankg_owner_{self.owner.lower()}"

    @property
    def edge_docs_index(self) -> str:
        """Named after the relationship types it covers, so a changed ontology gets a new index."""
        return f"{self.prefix}_rel_docs_{hashlib.sha1(self.any_rel.encode()).hexdigest()[:10]}"

    @property
    def node_docs_index(self) -> str:
        return f"{self.prefix}_docs"

    @staticmethod
    def type_id_index_name(label: str) -> str:
        return f"plankg_{label.lower()}_id"

    def schema(self) -> list[str]:
        """Constraint, indexes: id lookups per type, search, citations, names (for Cypher users)."""
        o, p = self.owner, self.prefix
        return [
            f"CREATE CONSTRAINT {p}_id IF NOT EXISTS FOR (n:{o}) REQUIRE n.{ID} IS UNIQUE",
            *(
                f"CREATE INDEX {self.type_id_index_name(label)} IF NOT EXISTS FOR (n:{label}) ON (n.{ID})"
                for label in sorted(set(self.labels.values()))
            ),
            f"CREATE TEXT INDEX {p}_search IF NOT EXISTS FOR (n:{o}) ON (n.{SEARCH})",
            f"CREATE TEXT INDEX {p}_id_text IF NOT EXISTS FOR (n:{o}) ON (n.{ID})",
            f"CREATE FULLTEXT INDEX {p}_names IF NOT EXISTS FOR (n:{o}) "
            f"ON EACH [n.{LABEL_EN}, n.{LABEL_ZH}, n.{ALIASES_EN}, n.{ALIASES_ZH}] "
            "OPTIONS {indexConfig: {`fulltext.analyzer`: 'cjk'}}",
            f"CREATE FULLTEXT INDEX {self.node_docs_index} IF NOT EXISTS FOR (n:{o}) ON EACH [n.{DOCUMENTS}] "
            "OPTIONS {indexConfig: {`fulltext.analyzer`: 'whitespace'}}",
            f"CREATE FULLTEXT INDEX {self.edge_docs_index} IF NOT EXISTS FOR ()-[r:{self.any_rel}]-() "
            f"ON EACH [r.{DOCUMENTS}] OPTIONS {{indexConfig: {{`fulltext.analyzer`: 'whitespace'}}}}",
            f"CREATE INDEX {p}_staged_id IF NOT EXISTS FOR (n:{self.staged}) ON (n.{ID})",
            f"CREATE CONSTRAINT {p}_lease IF NOT EXISTS FOR (n:{self.lease}) REQUIRE n.{LEASE_OWNER} IS UNIQUE",
        ]

    @staticmethod
    def schema_names() -> str:
        return "SHOW INDEXES YIELD name RETURN name"

    @staticmethod
    def drop_index(name: str) -> str:
        return f"DROP INDEX {safe_name(name)} IF EXISTS"

    @staticmethod
    def drop_constraint(name: str) -> str:
        return f"DROP CONSTRAINT {safe_name(name)} IF EXISTS"

    @staticmethod
    def create_tokens() -> str:
        """Labels, types and property keys made up front: a rolled-back load then commits no new token
        (token creation commits on its own and would move the revision without a change)."""
        return (
            "UNWIND $labels AS l CALL db.createLabel(l) WITH count(*) AS x "
            "UNWIND $types AS t CALL db.createRelationshipType(t) WITH count(*) AS y "
            "UNWIND $keys AS k CALL db.createProperty(k) RETURN count(*) AS made"
        )

    @staticmethod
    def await_indexes() -> str:
        return "CALL db.awaitIndexes(300)"

    # ------------------------------------------------------------ load steps
    def _seek(self, variable: str, key: str, label: str | None = None) -> str:
        """A node by id: an index SEEK, forced. Plain `USING INDEX` also allows a scan of the whole index,
        and for an UNWIND of thousands of ids the planner takes it: NodeIndexScan under Apply plus a
        Filter, |ids| × |nodes| rows (measured: 5,000 ids over 27,381 nodes, 137 M rows, 25 s; with
        SEEK 20,000 ids take 2 s). That plan was the "slow reads after a large commit"."""
        on = label or self.owner
        return f"MATCH ({variable}:{on} {{{ID}: {key}}}) USING INDEX SEEK {variable}:{on}({ID}) "

    _LOCKED = (
        f"RETURN n.{ID} AS locked, labels(n) AS labels, n.{ALIASES_EN} AS aliases_en, n.{ALIASES_ZH} AS aliases_zh, "
        f"n.{DOCUMENTS} AS documents, n.{LOCATORS} AS locators, n.{QUOTES} AS quotes, n.{KINDS} AS kinds"
    )

    def lock_nodes(self) -> str:
        """The batch's nodes, write-locked; a new id gets a bare node (its lock); stored ones are returned.

        MERGE on the unique id makes a concurrent load of the same new id wait for this one and then
        find its node; re-adding the owner label takes the write lock on a stored node.
        """
        return (
            f"UNWIND $ids AS id MERGE (n:{self.owner} {{{ID}: id}}) SET n:{self.owner} "
            "WITH n WHERE size(labels(n)) > 1 " + self._LOCKED
        )

    def lock_ends(self) -> str:
        """Stored edge ends outside the batch, write-locked (an end that exists nowhere stays missing)."""
        return f"UNWIND $ids AS id {self._seek('n', 'id')}SET n:{self.owner} " + self._LOCKED

    def _ends(self) -> str:
        return self._seek("a", "row[0]") + self._seek("b", "row[1]")

    def _owned(self, rel_type: str) -> str:
        # Expand(Into) from whichever end has fewer relationships, so hubs cost nothing.
        return f"CALL (a, b) {{ MATCH (a)-[r:{rel_type} {{{GRAPH}: $graph}}]->(b) RETURN r }} "

    def stored_edges(self, rel_type: str) -> str:
        """Which of the [source, target] pairs in $rows already have plankg's relationship, with sources."""
        return (
            f"UNWIND $rows AS row {self._ends()}{self._owned(rel_type)}"
            f"RETURN row[0] AS s, row[1] AS t, r.{DOCUMENTS} AS documents, r.{LOCATORS} AS locators, "
            f"r.{QUOTES} AS quotes, r.{KINDS} AS kinds, r.{STATUS} AS status"
        )

    def remove_label(self, label: str) -> str:
        """A retyped node loses its old type label."""
        return f"UNWIND $ids AS id {self._seek('n', 'id')}REMOVE n:{label}"

    def update_nodes(self, label: str) -> str:
        return (
            f"UNWIND $rows AS row {self._seek('n', 'row[0]')}SET n = {NODE_ROW} SET n += {NODE_ROW_PROPS} SET n:{label}"
        )

    def update_edges(self, rel_type: str) -> str:
        return f"UNWIND $rows AS row {self._ends()}{self._owned(rel_type)}SET r = {EDGE_ROW} RETURN count(r) AS written"

    def create_edges(self, rel_type: str) -> str:
        return f"UNWIND $rows AS row {self._ends()}CREATE (a)-[r:{rel_type} {EDGE_ROW}]->(b) RETURN count(r) AS written"

    # ------------------------------------------------------------ staged loads (graph/neo4j_staged.py)
    @property
    def staged(self) -> str:
        """The label of nodes a staged load has written but not published: no read starts from it."""
        return safe_name(f"{self.owner}Staged")

    @property
    def lease(self) -> str:
        """The label of the one node that exists while a staged load runs (who, until when)."""
        return safe_name(f"{self.owner}Load")

    def claim_lease(self) -> str:
        """Take the lease for $load unless another load holds an unexpired one; `stale` names an expired holder."""
        return (
            f"MERGE (l:{self.lease} {{{LEASE_OWNER}: $owner}}) "
            f"WITH l, l.{LEASE_LOAD} AS holder, l.{LEASE_EXPIRES} AS until "
            "WITH l, holder, until, holder IS NOT NULL AND holder <> $load AND until >= datetime() AS busy "
            f"SET l.{LEASE_LOAD} = CASE WHEN busy THEN holder ELSE $load END, "
            f"l.{LEASE_EXPIRES} = CASE WHEN busy THEN until ELSE datetime() + duration({{seconds: $seconds}}) END "
            "RETURN busy, toString(until) AS until, CASE WHEN busy OR holder = $load THEN null ELSE holder END AS stale"
        )

    def renew_lease(self) -> str:
        """Extend $load's lease (and write-lock it); 0 rows held means the lease was lost."""
        return (
            f"MATCH (l:{self.lease} {{{LEASE_OWNER}: $owner}}) WHERE l.{LEASE_LOAD} = $load "
            f"SET l.{LEASE_EXPIRES} = datetime() + duration({{seconds: $seconds}}) RETURN count(l) AS held"
        )

    def release_lease(self) -> str:
        return f"MATCH (l:{self.lease} {{{LEASE_OWNER}: $owner}}) WHERE l.{LEASE_LOAD} = $load DELETE l"

    def delete_lease(self) -> str:
        """The lease node, whoever holds it (clear)."""
        return f"MATCH (l:{self.lease} {{{LEASE_OWNER}: $owner}}) DELETE l"

    def stage_nodes(self, label: str) -> str:
        """New nodes under the staging label (not the owner label) with their type label and final properties."""
        return f"UNWIND $rows AS row CREATE (n:{self.staged}:{label}) SET n = {NODE_ROW} SET n += {NODE_ROW_PROPS}"

    def stage_edges(self, rel_type: str, source_stored: bool, target_stored: bool) -> str:
        """New relationships with at least one staged end (hidden: reads require owner-labelled ends)."""
        a = self._seek("a", "row[0]", None if source_stored else self.staged)
        b = self._seek("b", "row[1]", None if target_stored else self.staged)
        return f"UNWIND $rows AS row {a}{b}CREATE (a)-[r:{rel_type} {EDGE_ROW}]->(b) RETURN count(r) AS written"

    def staged_counts(self) -> str:
        """Unpublished staged nodes and plankg-marked relationships touching them (each counted once)."""
        o, s, rel = self.owner, self.staged, self.any_rel
        return (
            f"MATCH (n:{s}) WHERE NOT n:{o} "
            f"CALL (n) {{ MATCH (n)-[r:{rel} {{{GRAPH}: $graph}}]->() RETURN count(r) AS out }} "
            f"CALL (n) {{ MATCH (:{o})-[r:{rel} {{{GRAPH}: $graph}}]->(n) RETURN count(r) AS inward }} "
            "RETURN count(n) AS nodes, coalesce(sum(out + inward), 0) AS rels"
        )

    def publish_staged(self) -> str:
        """Every unpublished staged node becomes plankg's: the owner label on. The staging label comes off
        after the commit (unstage_some): removing it here would cost ~1.2 KB more per node of the
        publishing transaction's state."""
        return f"MATCH (n:{self.staged}) WHERE NOT n:{self.owner} SET n:{self.owner} RETURN count(n) AS published"

    def unstage_some(self) -> str:
        """Up to $limit published nodes lose the staging label (harmless to readers either way)."""
        return (
            f"MATCH (n:{self.staged}:{self.owner}) WITH n LIMIT $limit REMOVE n:{self.staged} RETURN count(*) AS done"
        )

    def delete_staged_rels(self) -> str:
        """Up to $limit relationships touching staged nodes (a discarded load's), deleted."""
        return (
            f"MATCH (n:{self.staged})-[r]-() WHERE NOT n:{self.owner} "
            "WITH DISTINCT r LIMIT $limit DELETE r RETURN count(*) AS deleted"
        )

    def delete_staged_nodes(self) -> str:
        return (
            f"MATCH (n:{self.staged}) WHERE NOT n:{self.owner} "
            "WITH n LIMIT $limit DETACH DELETE n RETURN count(*) AS deleted"
        )

    # ------------------------------------------------------------ retraction steps (graph/retract.py)
    def set_node_sources(self) -> str:
        """Rows [id, documents, locators, quotes, kinds]: a node keeps only these sources."""
        return (
            f"UNWIND $rows AS row {self._seek('n', 'row[0]')}"
            f"SET n.{DOCUMENTS} = row[1], n.{LOCATORS} = row[2], n.{QUOTES} = row[3], n.{KINDS} = row[4]"
        )

    def set_edge_sources(self, rel_type: str) -> str:
        """Rows [source id, target id, documents, locators, quotes, kinds]: the relationship keeps only these."""
        return (
            f"UNWIND $rows AS row {self._ends()}{self._owned(rel_type)}"
            f"SET r.{DOCUMENTS} = row[2], r.{LOCATORS} = row[3], r.{QUOTES} = row[4], r.{KINDS} = row[5] "
            "RETURN count(r) AS written"
        )

    def delete_edges(self, rel_type: str) -> str:
        """Rows [source id, target id]: plankg's relationship between them goes."""
        return f"UNWIND $rows AS row {self._ends()}{self._owned(rel_type)}DELETE r RETURN count(*) AS written"

    def delete_nodes(self) -> str:
        """Plankg's nodes $ids go, with every relationship still touching them."""
        return f"UNWIND $ids AS id {self._seek('n', 'id')}DETACH DELETE n RETURN count(*) AS written"

    def delete_some(self) -> str:
        return f"MATCH (n:{self.owner}) WITH n LIMIT $limit DETACH DELETE n RETURN count(*) AS deleted"

    # ------------------------------------------------------------ reads
    def nodes_by_id(self) -> str:
        return f"UNWIND $ids AS id {self._seek('n', 'id')}RETURN {NODE_RETURN}"

    def edges_of(self, rel: str, direction: str) -> str:
        """Plankg's relationships (of type(s) `rel`) leaving ("out") or entering ("in") the nodes $ids."""
        arrow = f"-[r:{rel} {{{GRAPH}: $graph}}]->" if direction == "out" else f"<-[r:{rel} {{{GRAPH}: $graph}}]-"
        return f"UNWIND $ids AS id {self._seek('n', 'id')}MATCH (n){arrow}(:{self.owner}) RETURN {EDGE_RETURN}"

    def descendants(self, rel_type: str) -> str:
        """Every `rel_type` edge into the node $id or into any node with a chain of them to it."""
        o = self.owner
        return (
            f"MATCH (t:{o} {{{ID}: $id}}) "
            f"OPTIONAL MATCH p = (x:{o})-[:{rel_type}*1.. {{{GRAPH}: $graph}}]->(t) "
            f"WHERE all(m IN nodes(p) WHERE m:{o}) "
            "WITH t, collect(DISTINCT x) AS below UNWIND below + [t] AS b "
            f"MATCH (:{o})-[r:{rel_type} {{{GRAPH}: $graph}}]->(b) RETURN DISTINCT {EDGE_RETURN}"
        )

    def edges_citing(self, indexed: bool) -> str:
        o = self.owner
        if indexed:
            return (
                "CALL db.index.fulltext.queryRelationships($index, $term) YIELD relationship AS r "
                f"WITH r WHERE $doc IN r.{DOCUMENTS} AND r.{GRAPH} = $graph "
                f"MATCH (:{o})-[r]->(:{o}) RETURN {EDGE_RETURN}"
            )
        return (
            f"MATCH (:{o})-[r:{self.any_rel} {{{GRAPH}: $graph}}]->(:{o}) WHERE $doc IN r.{DOCUMENTS} "
            f"RETURN {EDGE_RETURN}"
        )

    def nodes_citing(self, indexed: bool) -> str:
        if indexed:
            return (
                "CALL db.index.fulltext.queryNodes($index, $term) YIELD node AS n "
                f"WITH n WHERE n:{self.owner} AND $doc IN n.{DOCUMENTS} RETURN {NODE_RETURN}"
            )
        return f"MATCH (n:{self.owner}) WHERE $doc IN n.{DOCUMENTS} RETURN {NODE_RETURN}"

    def _search_match(self, label: str | None, text: bool) -> str:
        typed = f"n:{label} AND " if label else ""
        # Two statement texts rather than `$q = '' OR ...`, so the planner can use the text indexes.
        contains = f"AND (n.{SEARCH} CONTAINS $q OR n.{ID} CONTAINS $q) " if text else ""
        return f"MATCH (n:{self.owner}) WHERE {typed}($status IS NULL OR n.{STATUS} = $status) {contains}"

    def search_total(self, label: str | None, text: bool) -> str:
        return self._search_match(label, text) + "RETURN count(n) AS total"

    def search_page(self, label: str | None, text: bool) -> str:
        return (
            self._search_match(label, text) + f"WITH n, {RANK} AS rank ORDER BY rank, n.{ID} SKIP $offset LIMIT $limit "
            f"RETURN {NODE_RETURN}"
        )

    def search_ids(self, label: str | None, text: bool) -> str:
        return self._search_match(label, text) + f"WITH n, {RANK} AS rank ORDER BY rank, n.{ID} RETURN n.{ID} AS id"

    def shortest_paths(self, bound: int) -> str:
        """All shortest undirected paths between $s and $t over plankg's relationships and nodes, in ONE
        statement: the first $limit (all when null) node-id sequences in order, their nodes, and every
        plankg relationship between consecutive nodes of them."""
        o = self.owner
        return (
            f"{self._seek('a', '$s')}{self._seek('b', '$t')}CALL (a, b) {{ "
            f"MATCH p = allShortestPaths((a)-[:{self.any_rel}*..{int(bound)}]-(b)) "
            f"WHERE all(r IN relationships(p) WHERE r.{GRAPH} = $graph) AND all(m IN nodes(p) WHERE m:{o}) "
            f"WITH DISTINCT [m IN nodes(p) | m.{ID}] AS sequence, nodes(p) AS ns ORDER BY sequence "
            "RETURN collect(ns) AS found } "
            "WITH CASE WHEN $limit IS NULL THEN found ELSE found[0..$limit] END AS paths "
            "CALL (paths) { UNWIND paths AS ns UNWIND range(0, size(ns) - 2) AS i "
            "WITH DISTINCT ns[i] AS x, ns[i + 1] AS y "
            f"MATCH (x)-[r:{self.any_rel} {{{GRAPH}: $graph}}]-(y) RETURN collect(DISTINCT r) AS edges }} "
            f"RETURN [ns IN paths | [m IN ns | m.{ID}]] AS sequences, "
            f"[n IN reduce(acc = [], ns IN paths | acc + ns) | {NODE_MAP.format(n='n')}] AS nodes, "
            f"[r IN edges | {EDGE_MAP}] AS edges"
        )

    def node_page(self, label: str | None) -> str:
        """A page of nodes (of one type label, if given) after id $after, by id."""
        match = f"MATCH (n:{label or self.owner}) WHERE " + (f"n:{self.owner} AND " if label else "")
        return match + f"($after IS NULL OR n.{ID} > $after) RETURN {NODE_RETURN} ORDER BY n.{ID} LIMIT $limit"

    def source_page(self) -> str:
        return (
            f"MATCH (a:{self.owner}) WHERE $after IS NULL OR a.{ID} > $after "
            f"RETURN a.{ID} AS id ORDER BY a.{ID} LIMIT $limit"
        )

    def out_edges(self) -> str:
        o = self.owner
        return (
            f"UNWIND $ids AS id {self._seek('a', 'id')}MATCH (a)-[r:{self.any_rel} {{{GRAPH}: $graph}}]->(:{o}) "
            f"RETURN {EDGE_RETURN}"
        )

    def node_counts(self) -> str:
        return f"MATCH (n:{self.owner}) RETURN [l IN labels(n) WHERE l IN $labels] AS labels, count(*) AS c"

    def edge_counts(self) -> str:
        o = self.owner
        return f"MATCH (:{o})-[r:{self.any_rel} {{{GRAPH}: $graph}}]->(:{o}) RETURN type(r) AS rel, count(*) AS c"

    @staticmethod
    def ping() -> str:
        return "RETURN 1 AS one"

    # ------------------------------------------------------------ one statement per question (graph/prefetched.py)
    # Each returns one row holding every node and edge graph/engine.py will read for the question, so a
    # named query or a neighbourhood costs one round trip. The rows may hold more than is read (the
    # engine filters exactly as over a store); they never hold less.
    def named_query(
        self, param_label: str, steps: Sequence[tuple[str, str]], hierarchy: str | None, paged: bool = False
    ) -> str:
        """The start node, the hierarchy closure below it (rel type `hierarchy`, if given) and, step by
        step, plankg's `(rel_type, direction)` edges leaving the frontier and the nodes they reach.

        $id the start, $graph the owner, $all whether unconfirmed facts count (when not, unconfirmed
        edges are not followed and unconfirmed nodes reached by a step do not go on, as in the engine).
        `paged` (with at least one step): the last step's nodes are cut to the page in id order
        (SKIP $offset LIMIT $limit) and its edges to those reaching the page; `total` is the uncut count.
        """
        o = self.owner
        safe_name(param_label)
        parts = [f"MATCH (s:{o} {{{ID}: $id}}) USING INDEX SEEK s:{o}({ID}) WITH s, s:{param_label} AS typed "]
        if hierarchy:
            h = safe_name(hierarchy)
            parts.append(
                "CALL (s, typed) { "
                f"OPTIONAL MATCH p = (x:{o})-[:{h}*1.. {{{GRAPH}: $graph}}]->(s) "
                f"WHERE typed AND all(m IN nodes(p) WHERE m:{o}) "
                "WITH s, typed, collect(DISTINCT x) AS below "
                "UNWIND CASE WHEN typed THEN below + [s] ELSE [] END AS b "
                f"MATCH (:{o})-[r:{h} {{{GRAPH}: $graph}}]->(b) RETURN collect(DISTINCT r) AS closure }} "
                "CALL (s, typed, closure) { "
                "UNWIND CASE WHEN typed THEN [s] + "
                f"[r IN closure WHERE $all OR r.{STATUS} = 'confirmed' | startNode(r)] ELSE [] END AS n "
                "RETURN collect(DISTINCT n) AS f0 } "
            )
        else:
            parts.append("WITH s, [] AS closure, CASE WHEN typed THEN [s] ELSE [] END AS f0 ")
        carried = "s, closure, f0"
        for k, (rel_type, direction) in enumerate(steps):
            arrow = f"-[r:{safe_name(rel_type)} {{{GRAPH}: $graph}}]->"
            if direction == "in":
                arrow = "<" + arrow[:-1]
            parts.append(
                f"CALL (f{k}) {{ UNWIND f{k} AS h MATCH (h){arrow}(m:{o}) WHERE $all OR r.{STATUS} = 'confirmed' "
                f"RETURN collect(DISTINCT r) AS e{k + 1}, collect(DISTINCT m) AS m{k + 1} }} "
                f"WITH {carried}, {', '.join(f'e{i + 1}' for i in range(k + 1))}, "
                f"[m IN m{k + 1} WHERE $all OR coalesce(m.{STATUS}, 'confirmed') = 'confirmed'] AS f{k + 1} "
            )
            carried += f", f{k + 1}"
        n = len(steps)
        total = "null"
        if paged and n:
            far = "startNode(r)" if steps[-1][1] == "in" else "endNode(r)"
            earlier = "".join(f"e{i + 1}, " for i in range(n - 1))
            parts.append(
                f"CALL (f{n}) {{ UNWIND f{n} AS m WITH m ORDER BY m.{ID} SKIP $offset LIMIT $limit "
                "RETURN collect(m) AS page } "
                f"WITH {carried.rsplit(', ', 1)[0]}, {earlier}size(f{n}) AS total, page AS f{n}, "
                f"[r IN e{n} WHERE {far} IN page] AS e{n} "
            )
            total = "total"
        edges = " + ".join(f"e{i + 1}" for i in range(n)) or "[]"
        frontiers = " + ".join(f"f{i}" for i in range(n + 1))
        parts.append(
            f"RETURN {NODE_MAP.format(n='s')} AS start, [r IN closure | {EDGE_MAP}] AS closure, "
            f"[r IN {edges} | {EDGE_MAP}] AS edges, [n IN {frontiers} | {NODE_MAP.format(n='n')}] AS nodes, "
            f"{total} AS total"
        )
        return "".join(parts)

    def statements_of(self, param_label: str, indexed: bool, paged: bool = False) -> str:
        """A document's start node, the nodes and edges citing it, and the edges' source nodes.

        `paged`: the answer (citing nodes, and the sources of citing edges; unconfirmed ones only when
        $all) cut in id order to SKIP $offset LIMIT $limit, with the citing nodes and edges of that page
        only; `total` is the uncut count."""
        o = self.owner
        if indexed:
            nodes = "CALL db.index.fulltext.queryNodes($node_index, $term) YIELD node AS n "
            rels = (
                "CALL db.index.fulltext.queryRelationships($edge_index, $term) YIELD relationship AS r "
                f"WITH r WHERE r.{GRAPH} = $graph MATCH (:{o})-[r]->(:{o}) "
            )
        else:
            nodes = f"MATCH (n:{o}) "
            rels = f"MATCH (:{o})-[r:{self.any_rel} {{{GRAPH}: $graph}}]->(:{o}) "
        page = ""
        if paged:
            page = (
                "CALL (cn, ce) { "
                f"UNWIND [n IN cn WHERE $all OR coalesce(n.{STATUS}, 'confirmed') = 'confirmed'] + "
                f"[r IN ce WHERE $all OR r.{STATUS} = 'confirmed' | startNode(r)] AS a "
                f"WITH DISTINCT a ORDER BY a.{ID} WITH collect(a) AS answer "
                "RETURN size(answer) AS total, answer[$offset..($offset + $limit)] AS page } "
                "WITH s, total, [n IN cn WHERE n IN page] AS cn, [r IN ce WHERE startNode(r) IN page] AS ce "
            )
        return (
            f"MATCH (s:{o} {{{ID}: $id}}) USING INDEX SEEK s:{o}({ID}) WITH s, s:{safe_name(param_label)} AS typed "
            f"CALL (s, typed) {{ WITH s WHERE typed {nodes}WITH n WHERE n:{o} AND s.{ID} IN n.{DOCUMENTS} "
            "RETURN collect(n) AS cn } "
            f"CALL (s, typed) {{ WITH s WHERE typed {rels}WITH r WHERE s.{ID} IN r.{DOCUMENTS} "
            "RETURN collect(r) AS ce } "
            f"{page}RETURN {NODE_MAP.format(n='s')} AS start, [n IN cn | {NODE_MAP.format(n='n')}] AS citing_nodes, "
            f"[r IN ce | {EDGE_MAP}] AS citing_edges, "
            f"[r IN ce | {NODE_MAP.format(n='startNode(r)')}] AS nodes, {'total' if paged else 'null'} AS total"
        )

    def neighborhood(self, rel: str, direction: str, depth: int) -> str:
        """Breadth first from $id over plankg's `rel` edges (out / in / both), `depth` levels, each level's
        new nodes taken by id up to $limit in all (as graph/engine.py), then every `rel` edge among them."""
        o = self.owner
        arrow = {"out": f"-[r:{rel} {{{GRAPH}: $graph}}]->", "in": f"<-[r:{rel} {{{GRAPH}: $graph}}]-"}.get(
            direction, f"-[r:{rel} {{{GRAPH}: $graph}}]-"
        )
        parts = [f"MATCH (c:{o} {{{ID}: $id}}) USING INDEX SEEK c:{o}({ID}) WITH [c] AS reached, [c] AS f "]
        for _ in range(int(depth)):
            parts.append(
                "CALL (f, reached) { UNWIND f AS h "
                f"MATCH (h){arrow}(m:{o}) WHERE NOT m IN reached WITH DISTINCT m ORDER BY m.{ID} "
                "RETURN collect(m) AS found } "
                "WITH reached, CASE WHEN size(reached) >= $limit THEN [] "
                "ELSE found[0..($limit - size(reached))] END AS f "
                "WITH reached + f AS reached, f "
            )
        parts.append(
            "CALL (reached) { UNWIND reached AS a "
            f"MATCH (a)-[r:{rel} {{{GRAPH}: $graph}}]->(b:{o}) WHERE b IN reached RETURN collect(r) AS edges }} "
            f"RETURN [n IN reached | {NODE_MAP.format(n='n')}] AS nodes, [r IN edges | {EDGE_MAP}] AS edges"
        )
        return "".join(parts)
