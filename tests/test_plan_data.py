"""Checks on the curated data of the bundled plans and the shared taxonomies.

Every plan folder under loaders/data/ (documents.yaml etc. plus texts/) is checked: every
quote verbatim in the bundled text of the document it cites, the texts byte-identical to
the sources in /work/shared/sources, ids scoped by plan; then the 5G "Sailing" plan and
the links between plans in detail.

Standalone: reads the YAML with pyyaml and the Turtle with rdflib, and imports no
project code, so that it checks the data even while the loaders change.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest
import yaml
from rdflib import RDF, RDFS, BNode, Graph, Literal, Namespace, URIRef

ROOT = Path(__file__).resolve().parents[1]
DATA_ROOT = ROOT / "loaders" / "data"
PLAN_DIRS = sorted(p for p in DATA_ROOT.iterdir() if p.is_dir() and not p.name.startswith((".", "_")))
DATA = DATA_ROOT / "miit-5g-sailing-2021"
TEXTS = DATA / "texts"
DRAFT_TEXT = TEXTS / "draft-2021-05-summary.txt"
FINAL_TEXT = TEXTS / "final-2021-07-facts.md"
ONTOLOGY = ROOT / "ontology" / "plankg.ttl"
TAXONOMIES = ROOT / "ontology" / "taxonomies.ttl"
SHARED_SOURCES = Path("/work/shared/sources")

PK = Namespace("https://plankg.org/ontology#")
SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")
ID_BASE = "https://plankg.org/id/"
ID_PATTERN = re.compile(r"^[a-z0-9]+(?:[-_.][a-z0-9]+)*$")

PLAN = "plan.miit-5g-sailing-2021"
DRAFT = "miit-5g-sailing-2021.doc.draft"
FINAL = "miit-5g-sailing-2021.doc.final"
VOCAB = "vocab.plankg-taxonomy"
UPGRADE = "miit-5g-upgrade-2024"
INDUSTRIAL_INTERNET = "industrial-internet-2021"
GUANGZHOU = "guangzhou-5g-2021"
PLANS = {"miit-5g-sailing-2021", UPGRADE, INDUSTRIAL_INTERNET, GUANGZHOU}
UPGRADE_SHEET = "miit-5g-scaled-application-upgrade-2024-facts.md"
# texts/<copy> of each plan folder -> the source file in /work/shared/sources it copies.
SOURCE_COPIES = {
    "miit-5g-sailing-2021/texts/draft-2021-05-summary.txt": "miit-5g-sailing-plan-draft-2021-summary.txt",
    "miit-5g-sailing-2021/texts/final-2021-07-facts.md": "miit-5g-sailing-plan-final-2021-facts.md",
    f"{UPGRADE}/texts/{UPGRADE_SHEET}": UPGRADE_SHEET,
    f"{INDUSTRIAL_INTERNET}/texts/industrial-internet-plan-2021-facts.md": "industrial-internet-plan-2021-facts.md",
    f"{GUANGZHOU}/texts/guangzhou-5g-application-plan-2021-facts.md": "guangzhou-5g-application-plan-2021-facts.md",
}
# Deadline of every indicator, by plan: the 2021-2023 plans end in 2023, the upgrade in 2027.
DEADLINES = {"miit-5g-sailing-2021": "2023-12-31", UPGRADE: "2027-12-31", INDUSTRIAL_INTERNET: "2023-12-31"}

SIGNATORIES = {
    "org.miit": "工业和信息化部",
    "org.cac": "中央网络安全和信息化委员会办公室",
    "org.ndrc": "国家发展和改革委员会",
    "org.moe": "教育部",
    "org.mof": "财政部",
    "org.mohurd": "住房和城乡建设部",
    "org.mct": "文化和旅游部",
    "org.nhc": "国家卫生健康委员会",
    "org.sasac": "国务院国有资产监督管理委员会",
    "org.nea": "国家能源局",
}
# The 15 fields the final version pushes (重点推进15个行业); the refreshed fact sheet
# confirms the 15th (smart city, Corrections 1), so all fifteen edges are confirmed.
FIFTEEN_FIELDS = {
    "industry.new-information-consumption": "新型信息消费",
    "industry.converged-media": "融合媒体",
    "industry.industrial-internet": "工业互联网",
    "industry.iov": "车联网",
    "industry.smart-logistics": "智慧物流",
    "industry.smart-ports": "智慧港口",
    "industry.smart-mining": "智慧采矿",
    "industry.smart-power": "智慧电力",
    "industry.smart-oil-gas": "智慧油气",
    "industry.smart-agriculture": "智慧农业",
    "industry.smart-water-conservancy": "智慧水利",
    "industry.smart-education": "智慧教育",
    "industry.smart-healthcare": "智慧医疗",
    "industry.smart-culture-tourism": "智慧文旅",
    "industry.smart-city": "智慧城市",
}
KEY_FIELDS_GOAL = "miit-5g-sailing-2021.goal.key-fields-15"


# ---------------------------------------------------------------- loading
class _NoAliasLoader(yaml.SafeLoader):
    def compose_node(self, parent, index):  # type: ignore[override]
        if self.check_event(yaml.AliasEvent):
            raise AssertionError("YAML aliases are not allowed in plan data")
        if getattr(self.peek_event(), "anchor", None) is not None:
            raise AssertionError("YAML anchors are not allowed in plan data")
        return super().compose_node(parent, index)


def yaml_files() -> list[Path]:
    return [path for folder in PLAN_DIRS for path in sorted(folder.glob("*.yaml")) + sorted(folder.glob("*.yml"))]


def plan_of(path: Path) -> str:
    return path.parent.name


@cache
def yaml_records() -> tuple[list[tuple[str, dict]], list[tuple[str, dict]]]:
    nodes: list[tuple[str, dict]] = []
    edges: list[tuple[str, dict]] = []
    for path in yaml_files():
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_NoAliasLoader)
        assert isinstance(data, dict), path.name
        assert data.get("plankg") == 1, f"{path.name}: missing 'plankg: 1'"
        assert set(data) <= {"plankg", "nodes", "edges"}, path.name
        name = f"{plan_of(path)}/{path.name}"
        nodes += [(name, n) for n in data.get("nodes") or []]
        edges += [(name, e) for e in data.get("edges") or []]
    return nodes, edges


@cache
def yaml_nodes() -> dict[str, dict]:
    merged: dict[str, dict] = {}
    for _, node in yaml_records()[0]:
        merged.setdefault(node["id"], node)
    return merged


@cache
def taxonomy() -> Graph:
    graph = Graph()
    graph.parse(TAXONOMIES, format="turtle")
    return graph


@cache
def ontology() -> Graph:
    graph = Graph()
    graph.parse(ONTOLOGY, format="turtle")
    return graph


def local_id(iri) -> str:
    text = str(iri)
    assert text.startswith(ID_BASE), text
    return text[len(ID_BASE) :]


def taxonomy_entities() -> dict[str, str]:
    """id -> class local name of every entity (IRI under the id base) typed in taxonomies.ttl."""
    entities: dict[str, str] = {}
    for subject, cls in taxonomy().subject_objects(RDF.type):
        if isinstance(subject, URIRef) and str(subject).startswith(ID_BASE) and str(cls).startswith(str(PK)):
            entities[local_id(subject)] = str(cls)[len(str(PK)) :]
    return entities


def rdf_sources(subject) -> list[dict[str, str]]:
    graph = taxonomy()
    found = []
    for source in graph.objects(subject, PK.source):
        document = graph.value(source, PK.document)
        note = graph.value(source, RDFS.comment)
        text = {"note": str(note)} if note is not None else {"quote": str(graph.value(source, PK.quote) or "")}
        found.append(
            {
                "document": local_id(document) if document is not None else "",
                "locator": str(graph.value(source, PK.locator) or ""),
                **text,
            }
        )
    return found


@cache
def all_types() -> dict[str, str]:
    types = {node_id: node["type"] for node_id, node in yaml_nodes().items()}
    types.update(taxonomy_entities())
    return types


def all_sources() -> list[tuple[str, dict]]:
    """(where, source) for every source in the YAML and the taxonomy."""
    found: list[tuple[str, dict]] = []
    for name, node in yaml_records()[0]:
        found += [(f"{name}: node {node.get('id')}", s) for s in node.get("sources") or []]
    for name, edge in yaml_records()[1]:
        where = f"{name}: edge {edge.get('from')} {edge.get('relation')} {edge.get('to')}"
        found += [(where, s) for s in edge.get("sources") or []]
    graph = taxonomy()
    for subject in set(graph.subjects(PK.source, None)):
        found += [(f"taxonomies.ttl: {subject}", s) for s in rdf_sources(subject)]
    return found


# ---------------------------------------------------------------- ontology
def _classes(prop, predicate) -> set[str]:
    graph = ontology()
    names: set[str] = set()
    for value in graph.objects(prop, predicate):
        union = graph.value(value, URIRef("http://www.w3.org/2002/07/owl#unionOf"))
        if union is not None:
            from rdflib.collection import Collection

            names |= {str(m)[len(str(PK)) :] for m in Collection(graph, union)}
        else:
            names.add(str(value)[len(str(PK)) :])
    return names


@cache
def relations() -> dict[str, tuple[set[str], set[str], str]]:
    graph = ontology()
    found = {}
    for prop, key in graph.subject_objects(PK.key):
        if (prop, RDF.type, URIRef("http://www.w3.org/2002/07/owl#ObjectProperty")) in graph:
            found[str(key)] = (_classes(prop, RDFS.domain), _classes(prop, RDFS.range), str(prop))
    return found


@cache
def property_keys() -> dict[str, str]:
    graph = ontology()
    found = {}
    for prop, key in graph.subject_objects(PK.key):
        if (prop, RDF.type, URIRef("http://www.w3.org/2002/07/owl#DatatypeProperty")) in graph:
            found[str(key)] = str(graph.value(prop, PK.valueKind) or "string")
    return found


@cache
def node_classes() -> set[str]:
    graph = ontology()
    return {str(c)[len(str(PK)) :] for c in graph.transitive_subjects(RDFS.subClassOf, PK.Entity)} - {"Entity"}


@cache
def document_texts() -> dict[str, str]:
    """Document id -> its bundled text (text_file relative to the plan folder that declares it)."""
    texts = {VOCAB: TAXONOMIES.read_text(encoding="utf-8")}
    for name, node in yaml_records()[0]:
        if node["type"] == "Document":
            folder = DATA_ROOT / name.split("/")[0]
            texts[node["id"]] = (folder / node["properties"]["text_file"]).read_text(encoding="utf-8")
    return texts


# ---------------------------------------------------------------- plans and texts
def test_every_plan_folder_is_known_and_complete():
    assert {folder.name for folder in PLAN_DIRS} == PLANS
    for folder in PLAN_DIRS:
        assert (folder / "README.md").is_file(), folder.name
        assert list(folder.glob("*.yaml")), folder.name
        assert f"plan.{folder.name}" in yaml_nodes(), folder.name


def test_texts_are_copies_of_the_sources():
    copies = {str(p.relative_to(DATA_ROOT)) for folder in PLAN_DIRS for p in (folder / "texts").iterdir()}
    assert copies == set(SOURCE_COPIES)
    for copy, original_name in SOURCE_COPIES.items():
        original = SHARED_SOURCES / original_name
        if original.is_file():
            assert (DATA_ROOT / copy).read_bytes() == original.read_bytes(), f"{copy} differs from {original}"


def test_every_document_has_its_text_and_version():
    edges = {(e["from"], e["relation"], e["to"]) for _, e in yaml_records()[1]}
    documents = [(name, n) for name, n in yaml_records()[0] if n["type"] == "Document"]
    assert len(documents) == 5
    for name, node in documents:
        plan = name.split("/")[0]
        assert node["id"].startswith(plan + ".doc."), node["id"]
        assert (DATA_ROOT / plan / node["properties"]["text_file"]).is_file(), node["id"]
        assert (f"plan.{plan}", "has_version", node["id"]) in edges, node["id"]


def test_all_quotes_are_verbatim_in_the_cited_documents_text():
    texts = document_texts()
    checked = 0
    for where, source in all_sources():
        if "note" in source:  # a curatorial note is not the document's words; nothing to find
            continue
        text = texts.get(source["document"])
        assert text is not None, f"{where}: {source['document']} has no bundled text"
        assert source["quote"] in text, f"{where}: not verbatim in {source['document']}: {source['quote']!r}"
        checked += 1
    assert checked > 600


def test_documents_point_at_their_texts():
    nodes = yaml_nodes()
    assert nodes[DRAFT]["properties"]["text_file"] == "texts/draft-2021-05-summary.txt"
    assert nodes[FINAL]["properties"]["text_file"] == "texts/final-2021-07-facts.md"
    for doc in (DRAFT, FINAL):
        assert (DATA / nodes[doc]["properties"]["text_file"]).is_file()
    assert nodes[DRAFT]["properties"]["kind"] == "draft"
    assert nodes[FINAL]["properties"]["kind"] == "final"
    assert nodes[FINAL]["properties"]["number"] == "工信部联通信〔2021〕77号"
    assert str(taxonomy().value(URIRef(ID_BASE + VOCAB), PK.textFile)) == "ontology/taxonomies.ttl"


# ---------------------------------------------------------------- provenance
def test_every_yaml_node_and_edge_has_sources():
    nodes, edges = yaml_records()
    assert nodes and edges
    for name, record in nodes + edges:
        what = f"{name}: {record.get('id') or (record.get('from'), record.get('relation'), record.get('to'))}"
        sources = record.get("sources")
        assert isinstance(sources, list) and sources, f"{what} has no sources"
        for source in sources:
            assert set(source) == {"document", "locator", "quote"}, what
            for key in ("document", "locator", "quote"):
                assert isinstance(source[key], str) and source[key].strip(), f"{what}: empty {key}"


def test_every_taxonomy_entity_and_statement_has_sources():
    graph = taxonomy()
    entities = taxonomy_entities()
    assert entities
    for entity_id in entities:
        sources = rdf_sources(URIRef(ID_BASE + entity_id))
        assert sources, f"{entity_id} has no pk:source"
        for source in sources:
            assert all(source.values()), f"{entity_id}: incomplete source {source}"
    statements = list(graph.subjects(RDF.type, RDF.Statement))
    assert statements
    for statement in statements:
        sources = rdf_sources(statement)
        assert sources and all(all(s.values()) for s in sources), f"statement {statement} lacks sources"
        assert str(graph.value(statement, PK.status)) in ("confirmed", "unconfirmed")


def test_every_relation_triple_in_the_taxonomy_is_reified_with_provenance():
    graph = taxonomy()
    relation_iris = {URIRef(iri) for _, _, iri in relations().values()}
    reified = {
        (graph.value(s, RDF.subject), graph.value(s, RDF.predicate), graph.value(s, RDF.object))
        for s in graph.subjects(RDF.type, RDF.Statement)
    }
    triples = [(s, p, o) for s, p, o in graph if p in relation_iris]
    assert triples
    for triple in triples:
        assert triple in reified, f"no rdf:Statement for {triple}"
    for triple in reified:
        assert triple in graph, f"rdf:Statement reifies a triple that is not asserted: {triple}"


def test_broader_provenance_is_the_narrower_scope_note_as_a_curatorial_note():
    graph = taxonomy()
    for statement in graph.subjects(RDF.type, RDF.Statement):
        if graph.value(statement, RDF.predicate) != PK.broader:
            continue
        narrower = graph.value(statement, RDF.subject)
        notes = {str(n) for n in graph.objects(narrower, SKOS.scopeNote)}
        for source in rdf_sources(statement):
            assert source["document"] == VOCAB
            assert "quote" not in source, f"{narrower}: the taxonomy's own words are a note, not a plan quote"
            assert source["note"] in notes, f"{narrower}: note is not its skos:scopeNote"


def test_every_source_document_is_a_document():
    types = all_types()
    for where, source in all_sources():
        assert types.get(source["document"]) == "Document", f"{where}: {source['document']} is not a Document"


def test_draft_quotes_are_verbatim():
    text = DRAFT_TEXT.read_text(encoding="utf-8")
    checked = 0
    for where, source in all_sources():
        if source["document"] == DRAFT:
            checked += 1
            assert source["quote"] in text, f"{where}: not verbatim in the draft summary: {source['quote']!r}"
    assert checked


def test_final_quotes_are_verbatim():
    text = FINAL_TEXT.read_text(encoding="utf-8")
    checked = 0
    for where, source in all_sources():
        if source["document"] == FINAL:
            checked += 1
            assert source["quote"] in text, f"{where}: not verbatim in the fact sheet: {source['quote']!r}"
    assert checked


def test_vocabulary_sources_are_curatorial_notes():
    """What plankg's own taxonomy says is a curator's note, never presented as a quote of a plan."""
    checked = 0
    for where, source in all_sources():
        if source["document"] == VOCAB:
            checked += 1
            assert "note" in source and "quote" not in source, f"{where}: a vocabulary source must be a note"
    assert checked


def test_sources_only_cite_known_documents():
    documents = {node_id for node_id, node in yaml_nodes().items() if node["type"] == "Document"} | {VOCAB}
    assert documents == {
        DRAFT,
        FINAL,
        VOCAB,
        f"{UPGRADE}.doc.final",
        f"{INDUSTRIAL_INTERNET}.doc.final",
        f"{GUANGZHOU}.doc.final",
    }
    for where, source in all_sources():
        assert source["document"] in documents, where


# ---------------------------------------------------------------- identifiers, types, properties
def test_ids_are_slugs():
    nodes, edges = yaml_records()
    ids = [n["id"] for _, n in nodes] + [e[k] for _, e in edges for k in ("from", "to")]
    ids += list(taxonomy_entities())
    for source in all_sources():
        ids.append(source[1]["document"])
    for entity_id in ids:
        assert isinstance(entity_id, str) and ID_PATTERN.match(entity_id), f"bad id {entity_id!r}"


def test_plan_scoped_ids():
    for name, node in yaml_records()[0]:
        plan, node_id = name.split("/")[0], node["id"]
        if node["type"] == "Plan":
            assert node_id == f"plan.{plan}"
        elif node["type"] == "Organization":
            assert node_id.startswith("org.")
        else:
            assert node_id.startswith(plan + "."), node_id
    for entity_id, cls in taxonomy_entities().items():
        prefix = {
            "Industry": "industry.",
            "TechnologyArea": "tech.",
            "StandardCategory": "stdcat.",
            "Document": "vocab.",
        }[cls]
        assert entity_id.startswith(prefix), entity_id


def test_nodes_are_well_formed():
    classes = node_classes()
    keys = property_keys()
    for name, node in yaml_records()[0]:
        assert node["type"] in classes, f"{name}: {node['id']} has unknown type {node['type']}"
        labels = node.get("labels") or {}
        assert set(labels) <= {"en", "zh"} and str(labels.get("en", "")).strip(), (
            f"{name}: {node['id']} needs labels.en"
        )
        assert node.get("status", "confirmed") in ("confirmed", "unconfirmed")
        aliases = node.get("aliases") or {}
        assert set(aliases) <= {"en", "zh"}, f"{name}: {node['id']} aliases must be by language"
        assert all(isinstance(a, list) and all(isinstance(x, str) and x for x in a) for a in aliases.values())
        for key in node.get("properties") or {}:
            assert key in keys and key != "status", f"{name}: {node['id']} has unknown property {key}"


def test_duplicate_ids_agree():
    seen: dict[str, dict] = {}
    for name, node in yaml_records()[0]:
        shape = {k: node.get(k) for k in ("type", "labels", "status", "properties")}
        if node["id"] in seen:
            assert seen[node["id"]] == shape, f"{name}: conflicting duplicate {node['id']}"
        seen[node["id"]] = shape
    overlap = set(seen) & set(taxonomy_entities())
    assert not overlap, f"ids defined both in YAML and taxonomies.ttl: {overlap}"


def test_indicators_have_targets():
    for name, node in yaml_records()[0]:
        if node["type"] != "Indicator":
            continue
        props = node["properties"]
        assert isinstance(props["target_value"], (int, float)), node["id"]
        assert props["unit"] and props["comparator"] in ("gt", "ge", "lt", "le", "eq", "range"), node["id"]
        assert str(props["deadline"]) == DEADLINES[name.split("/")[0]], node["id"]
        if props["comparator"] == "range":
            assert props["target_max"] > props["target_value"], node["id"]


def test_edges_connect_allowed_types():
    rels = relations()
    types = all_types()
    for name, edge in yaml_records()[1]:
        assert edge["relation"] in rels, f"{name}: unknown relation {edge['relation']}"
        domain, range_, _ = rels[edge["relation"]]
        assert edge["from"] in types, f"{name}: unknown node {edge['from']}"
        assert edge["to"] in types, f"{name}: unknown node {edge['to']}"
        assert types[edge["from"]] in domain, f"{name}: {edge['from']} cannot start {edge['relation']}"
        assert types[edge["to"]] in range_, f"{name}: {edge['to']} cannot end {edge['relation']}"
        assert edge.get("status", "confirmed") in ("confirmed", "unconfirmed")
    graph = taxonomy()
    by_iri = {URIRef(iri): key for key, (_, _, iri) in rels.items()}
    for s, p, o in graph:
        if p in by_iri:
            domain, range_, _ = rels[by_iri[p]]
            assert types[local_id(s)] in domain and types[local_id(o)] in range_, (s, p, o)


def test_edges_touching_unconfirmed_nodes_are_unconfirmed():
    status = {node_id: node.get("status", "confirmed") for node_id, node in yaml_nodes().items()}
    for name, edge in yaml_records()[1]:
        if "unconfirmed" in (status.get(edge["from"]), status.get(edge["to"])):
            assert edge.get("status") == "unconfirmed", f"{name}: {edge} touches an unconfirmed node"


def test_taxonomy_concepts_are_labelled_and_in_a_scheme():
    graph = taxonomy()
    schemes = {
        "Industry": PK.IndustryScheme,
        "TechnologyArea": PK.TechnologyAreaScheme,
        "StandardCategory": PK.StandardCategoryScheme,
    }
    for scheme in schemes.values():
        assert (scheme, RDF.type, SKOS.ConceptScheme) in graph
    for entity_id, cls in taxonomy_entities().items():
        subject = URIRef(ID_BASE + entity_id)
        languages = {lbl.language for lbl in graph.objects(subject, RDFS.label) if isinstance(lbl, Literal)}
        assert {"en", "zh"} <= languages, f"{entity_id} needs en and zh labels"
        assert str(graph.value(subject, PK.status)) in ("confirmed", "unconfirmed"), entity_id
        if cls in schemes:
            assert (subject, RDF.type, SKOS.Concept) in graph, entity_id
            assert (subject, SKOS.inScheme, schemes[cls]) in graph, entity_id
    for narrower in graph.subjects(PK.broader, None):
        assert list(graph.objects(narrower, SKOS.scopeNote)), f"{narrower} has pk:broader but no scopeNote"


def test_no_source_without_subject_in_taxonomy():
    graph = taxonomy()
    for source in graph.objects(None, PK.source):
        assert isinstance(source, BNode)


# ---------------------------------------------------------------- completeness
def test_fifteen_fields_are_industries():
    graph = taxonomy()
    entities = taxonomy_entities()
    for field, zh in FIFTEEN_FIELDS.items():
        assert entities.get(field) == "Industry", f"missing industry {field}"
        labels = {str(lbl) for lbl in graph.objects(URIRef(ID_BASE + field), RDFS.label) if lbl.language == "zh"}
        assert zh in labels, f"{field}: zh label {zh} expected"
        assert graph.value(URIRef(ID_BASE + field), PK.broader) is not None, f"{field} has no broader industry"
    targets = {
        e["to"]: e.get("status", "confirmed")
        for _, e in yaml_records()[1]
        if e["from"] == KEY_FIELDS_GOAL and e["relation"] == "targets_industry"
    }
    assert set(targets) == set(FIFTEEN_FIELDS)
    for field, status in targets.items():
        assert status == "confirmed", field


def test_signatories():
    edges = yaml_records()[1]
    final_issuers = {e["to"] for _, e in edges if e["from"] == FINAL and e["relation"] == "issued_by"}
    draft_issuers = {e["to"] for _, e in edges if e["from"] == DRAFT and e["relation"] == "issued_by"}
    assert final_issuers == set(SIGNATORIES)
    assert draft_issuers == {"org.miit"}
    nodes = yaml_nodes()
    for org, zh in SIGNATORIES.items():
        assert nodes[org]["type"] == "Organization" and nodes[org]["labels"]["zh"] == zh
    for _, edge in edges:
        if edge["from"] == FINAL and edge["relation"] == "issued_by":
            assert any(s["document"] == FINAL for s in edge["sources"])


def test_versions():
    edges = {(e["from"], e["relation"], e["to"]) for _, e in yaml_records()[1]}
    assert (PLAN, "has_version", DRAFT) in edges
    assert (PLAN, "has_version", FINAL) in edges
    assert (FINAL, "supersedes", DRAFT) in edges


def test_eight_special_actions():
    nodes = yaml_nodes()
    actions = {
        n["properties"]["number"]: n
        for n in nodes.values()
        if n["type"] == "Measure" and n.get("properties", {}).get("kind") == "special_action"
    }
    assert sorted(actions) == [str(i) for i in range(1, 9)]
    for number, action in actions.items():
        expected = "unconfirmed" if int(number) >= 5 else "confirmed"
        assert action.get("status", "confirmed") == expected, f"action {number}"
    plan_measures = {
        e["to"]: e.get("status", "confirmed")
        for _, e in yaml_records()[1]
        if e["from"] == PLAN and e["relation"] == "has_measure"
    }
    for action in actions.values():
        assert action["id"] in plan_measures
        assert plan_measures[action["id"]] == action.get("status", "confirmed")


def test_action_one_tasks_are_sourced_to_both_versions():
    edges = yaml_records()[1]
    nodes = yaml_nodes()
    action_one = next(
        n["id"]
        for n in nodes.values()
        if n.get("properties", {}).get("kind") == "special_action" and n["properties"]["number"] == "1"
    )
    tasks = [e["to"] for _, e in edges if e["from"] == action_one and e["relation"] == "has_sub_measure"]
    assert len(tasks) == 4
    for task in tasks:
        documents = {s["document"] for s in nodes[task]["sources"]}
        assert documents == {DRAFT, FINAL}, task
        assert nodes[task]["properties"]["kind"] == "task"
    goal = "miit-5g-sailing-2021.goal.standards-system"
    contributing = {e["from"] for _, e in edges if e["relation"] == "contributes_to" and e["to"] == goal}
    assert len(contributing & set(tasks)) == 3


def test_final_unconfirmed_facts_do_not_cite_the_final():
    """The fact sheet marks these unconfirmed for the final: only the draft may be cited."""
    nodes = yaml_nodes()
    draft_only = [
        "miit-5g-sailing-2021.goal.ecosystem",
        "miit-5g-sailing-2021.goal.application-solutions",
        "miit-5g-sailing-2021.ind.application-solutions",
        "miit-5g-sailing-2021.goal.standards-system",
        "miit-5g-sailing-2021.ind.key-industry-standards",
        "miit-5g-sailing-2021.ind.security-centres",
        "miit-5g-sailing-2021.center.security-innovation-demonstration",
        "org.5g-application-industry-array",
    ]
    for node_id in draft_only:
        assert {s["document"] for s in nodes[node_id]["sources"]} == {DRAFT}, node_id
    # IoT growth > 200 % is now also reported for the final (fact sheet, Corrections 2).
    for node_id in ("miit-5g-sailing-2021.ind.iot-terminal-growth", "miit-5g-sailing-2021.goal.iot-terminal-growth"):
        assert {s["document"] for s in nodes[node_id]["sources"]} == {DRAFT, FINAL}, node_id
    # Facts cited only from the fact sheet but unconfirmed there carry that status.
    for node_id in (
        "miit-5g-sailing-2021.ind.regional-benchmarks",
        "miit-5g-sailing-2021.prog.regional-demonstration-benchmarks",
        "org.ccsa",
        "org.imt-2020-5g-promotion-group",
    ):
        assert nodes[node_id]["status"] == "unconfirmed", node_id


def test_key_indicators():
    nodes = yaml_nodes()
    expected = {
        "ind.user-penetration": (40, "gt"),
        "ind.5g-users": (560000000, "gt"),
        "ind.network-traffic-share": (50, "gt"),
        "ind.iot-terminal-growth": (200, "gt"),
        "ind.industry-vpns": (3000, "gt"),
        "ind.large-industrial-enterprise-penetration": (35, "gt"),
        "ind.benchmarks-per-key-industry": (100, "ge"),
        "ind.application-solutions": (100, "ge"),
        "ind.key-industry-standards": (30, "gt"),
        "ind.base-stations-per-10k": (18, "gt"),
        "ind.security-centres": (10, "range"),
        "ind.regional-benchmarks": (3, "range"),
    }
    for suffix, (value, comparator) in expected.items():
        props = nodes["miit-5g-sailing-2021." + suffix]["properties"]
        assert (props["target_value"], props["comparator"]) == (value, comparator), suffix


@pytest.mark.parametrize("industry", ["industry.healthcare", "industry.manufacturing", "industry.media"])
def test_standards_support_the_draft_industries(industry):
    edges = yaml_records()[1]
    assert any(e["relation"] == "supports_industry" and e["to"] == industry for _, e in edges)


# ---------------------------------------------------------------- between plans
S = "miit-5g-sailing-2021."
U = UPGRADE + "."


def test_links_between_plans_documents_and_targets():
    edges = {
        (e["from"], e["relation"], e["to"])
        for _, e in yaml_records()[1]
        if e["relation"] in ("implements", "continues", "cites", "refines")
    }
    assert edges == {
        ("plan." + GUANGZHOU, "implements", PLAN),
        ("plan." + UPGRADE, "continues", PLAN),
        (GUANGZHOU + ".doc.final", "cites", FINAL),
        (GUANGZHOU + ".goal.depth-breadth-breakthrough", "refines", S + "goal.depth-breadth-breakthrough"),
        (U + "ind.base-stations-per-10k", "refines", S + "ind.base-stations-per-10k"),
        (U + "ind.user-penetration", "refines", S + "ind.user-penetration"),
        (U + "ind.network-traffic-share", "refines", S + "ind.network-traffic-share"),
        (U + "ind.industry-vpns", "refines", S + "ind.industry-vpns"),
        (U + "ind.industrial-enterprise-penetration", "refines", S + "ind.large-industrial-enterprise-penetration"),
    }


def test_refined_targets_share_unit_and_come_later():
    nodes = yaml_nodes()
    for _, edge in yaml_records()[1]:
        if edge["relation"] != "refines" or nodes[edge["from"]]["type"] != "Indicator":
            continue
        later, earlier = nodes[edge["from"]]["properties"], nodes[edge["to"]]["properties"]
        assert later["unit"] == earlier["unit"], edge
        assert str(later["deadline"]) > str(earlier["deadline"]), edge
        assert later["target_value"] > earlier["target_value"], edge
    # The 2027 IoT target counts connections, the 2023 one growth per year: not refined.
    iot = nodes[U + "ind.iot-connections"]["properties"]
    assert iot["unit"] != nodes[S + "ind.iot-terminal-growth"]["properties"]["unit"]


def test_shared_vocabulary_meets_across_plans():
    """Global ids used by more than one plan: where the plans meet."""
    used: dict[str, set[str]] = {}
    for name, edge in yaml_records()[1]:
        for end in (edge["from"], edge["to"]):
            if end.split(".")[0] in ("industry", "org", "tech", "stdcat"):
                used.setdefault(end, set()).add(name.split("/")[0])
    shared = {node for node, plans in used.items() if len(plans) > 1}
    assert {
        "org.miit",
        "org.cac",
        "org.ndrc",
        "org.moe",
        "org.mct",
        "industry.manufacturing",
        "industry.iov",
        "industry.industrial-internet",
        "industry.smart-culture-tourism",
        "industry.smart-education",
        "industry.new-consumption",
        "tech.edge-computing",
        "tech.network",
        "tech.security-architecture",
        "stdcat.key-industry-convergence",
    } <= shared


def test_upgrade_issuers_are_the_five_named():
    issuers = {e["to"] for _, e in yaml_records()[1] if e["from"] == U + "doc.final" and e["relation"] == "issued_by"}
    assert issuers == {"org.miit", "org.cac", "org.ndrc", "org.mct", "org.moe"}  # the other seven: unconfirmed


def test_what_the_sheets_say_is_missing_is_not_invented():
    nodes = yaml_nodes()
    # Upgrade: document number not found, signing date unconfirmed (22 vs 26 November).
    assert not {"number", "issued"} & set(nodes[U + "doc.final"]["properties"])
    # Guangzhou: no document number; targets, tasks, industries, standards, centres unconfirmed.
    assert "number" not in nodes[GUANGZHOU + ".doc.final"]["properties"]
    guangzhou = {n["type"] for i, n in nodes.items() if i.startswith(GUANGZHOU + ".")}
    assert guangzhou.isdisjoint({"Indicator", "Standard", "DemonstrationCenter"})
    gz_industries = {
        e["to"]
        for _, e in yaml_records()[1]
        if e["from"].startswith(GUANGZHOU + ".") and e["to"].startswith("industry.")
    }
    assert gz_industries == {"industry.new-consumption"}  # "5G新消费" of the readable basic approach
    # Industrial internet: 3 of 10 key projects confirmed; "more than 60 key standards" unconfirmed.
    projects = [n for n in nodes.values() if n.get("properties", {}).get("kind") == "key_project"]
    assert len(projects) == 3
    assert nodes[INDUSTRIAL_INTERNET + ".ind.key-standards"]["status"] == "unconfirmed"
    # Upgrade: no industry for its standards system, no other sectors than the reported ones.
    assert not [
        e for _, e in yaml_records()[1] if e["from"].startswith(U + "std.") and e["relation"] == "supports_industry"
    ]


def test_fifteen_key_industries_carry_what_the_final_says():
    edges = {(e["from"], e["relation"], e["to"]) for _, e in yaml_records()[1]}
    said = {
        "industry.new-information-consumption": S + "measure.information-consumption-upgrade",
        "industry.converged-media": S + "measure.information-consumption-upgrade",
        "industry.industrial-internet": S + "measure.industry-convergence-deepening",
        "industry.iov": S + "goal.iov-pilot-scope",
        "industry.smart-mining": S + "goal.power-mining-scale",
        "industry.smart-power": S + "goal.power-mining-scale",
        "industry.smart-agriculture": S + "goal.agriculture-water-digital-transformation",
        "industry.smart-water-conservancy": S + "goal.agriculture-water-digital-transformation",
        "industry.smart-education": S + "task.education-terminals-content",
        "industry.smart-healthcare": S + "task.healthcare-networks-edge-cloud",
        "industry.smart-culture-tourism": S + "goal.model-projects",
        "industry.smart-city": S + "goal.smart-city-level",
    }
    for industry, subject in said.items():
        assert (subject, "targets_industry", industry) in edges, industry
    # "named only; tasks unconfirmed": only their place among the fifteen.
    for industry in ("industry.smart-logistics", "industry.smart-ports", "industry.smart-oil-gas"):
        assert {f for f, r, t in edges if t == industry and r == "targets_industry"} == {KEY_FIELDS_GOAL}


def test_organisation_aliases():
    nodes = yaml_nodes()
    assert nodes["org.miit"]["aliases"] == {"en": ["MIIT"], "zh": ["工信部"]}
    assert nodes["org.ndrc"]["aliases"] == {"en": ["NDRC"], "zh": ["国家发改委"]}
    assert nodes["org.cac"]["aliases"] == {"zh": ["中央网信办"]}
    assert nodes["org.guangzhou-miit-bureau"]["aliases"] == {"zh": ["市工业和信息化局"]}


def test_three_standards_support_healthcare_with_draft_quotes():
    supporting = {
        e["from"]: e
        for _, e in yaml_records()[1]
        if e["relation"] == "supports_industry" and e["to"] == "industry.healthcare"
    }
    assert set(supporting) == {
        S + "std.medical-convergence",
        S + "std.key-industry-convergence",
        S + "std.key-industry-key-standards",
    }
    for edge in supporting.values():
        assert any("medical care" in s["quote"] and s["document"] == DRAFT for s in edge["sources"])
