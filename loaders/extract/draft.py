"""The draft a person reviews: proposals turned into the curated YAML format (loaders/FORMAT.md),
with ids, sources (document, locator with heading path and character span, verbatim quote), and
comments that group items by section and show each item's rule, confidence and review flags."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from plankg.loaders.extract.proposals import LOW_CONFIDENCE, Proposal, Proposals
from plankg.model.elements import Node
from plankg.ontology.schema import load_schema

SHARED_PREFIX = {"Industry": "industry", "Organization": "org", "TechnologyArea": "tech", "StandardCategory": "stdcat"}
SCOPED_KIND = {
    "Goal": "goal", "Indicator": "ind", "Measure": "measure", "Program": "program", "DemonstrationCenter": "center",
    "Standard": "std", "Document": "doc",
}  # fmt: skip
TYPE_ORDER = ["Plan", "Document", "Organization", "Goal", "Indicator", "Measure", "Program", "DemonstrationCenter",
              "Standard", "Industry", "TechnologyArea"]  # fmt: skip


def slug(text: str, max_len: int = 48) -> str:
    """A URL-safe slug: English words as they are, Chinese as pinyin (stable across plans)."""
    if not text.isascii():
        from pypinyin import lazy_pinyin

        text = " ".join(lazy_pinyin(text))
    text = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return text[:max_len].strip("-") or "x"


def plan_slug(title: str) -> str:
    years = re.findall(r"(?:19|20)\d{2}", title)
    base = re.sub(r"[（(].*?[)）]", "", title)
    if base.isascii():
        words = [w for w in re.findall(r"[A-Za-z0-9]+", base) if w.lower() not in {"the", "of", "and", "on", "for"}]
        stem = "-".join(w.lower() for w in words[:5])
    else:
        from pypinyin import Style, lazy_pinyin

        stem = "".join(p[:1] for p in lazy_pinyin(re.sub(r"[^\u4e00-\u9fffA-Za-z0-9]", "", base), style=Style.NORMAL))
        stem = re.sub(r"[^a-z0-9]", "", stem.lower())[:16]
    stem = slug(stem or "plan", 32)
    return f"{stem}-{years[0]}" if years else stem


@dataclass
class Draft:
    """A draft: curated-YAML nodes and edges, review notes per item, and the problems met."""

    nodes: list[dict[str, Any]]
    edges: list[dict[str, Any]]
    review: list[dict[str, Any]]
    problems: list[str]
    header: dict[str, Any]
    sections: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """The loadable part (plankg, nodes, edges) plus `review` and `problems` for a program to read."""
        return {
            "plankg": 1, "nodes": self.nodes, "edges": self.edges, "review": self.review, "problems": self.problems,
            "about": self.header,
        }  # fmt: skip

    def to_yaml(self) -> str:
        """The draft as curated YAML, grouped by section, each item with its rule, confidence and flags as comments."""
        notes = {r["id"]: r for r in self.review}
        lines = [
            "# plankg extraction draft — review before loading (loaders/FORMAT.md)",
            f"# source: {self.header.get('source')} · language {self.header.get('language')} · "
            f"{self.header.get('characters')} characters",
            "# Every item quotes the text it comes from; '# REVIEW' marks low-confidence, ambiguous or fuzzy-linked",
            "# items. Delete what is wrong, fix labels, then: plankg validate THIS.yaml && plankg load THIS.yaml",
        ]
        lines += [f"# problem: {p}" for p in self.problems]
        lines += ["plankg: 1", "nodes:"]
        section = None
        for node in self.nodes:
            note = notes.get(node["id"], {})
            if note.get("section") != section:
                section = note.get("section")
                lines.append(f"  # ── {section or 'plan'} ──")
            lines.extend(_comment(note))
            lines.extend(_dump(node))
        lines.append("edges:" if self.edges else "edges: []")
        for edge in self.edges:
            note = notes.get(f"{edge['from']}|{edge['relation']}|{edge['to']}", {})
            lines.extend(_comment(note))
            lines.extend(_dump(edge))
        return "\n".join(lines) + "\n"


def _comment(note: dict[str, Any]) -> list[str]:
    if not note:
        return []
    text = f"  # {note.get('rule')} · confidence {note.get('confidence')}"
    if note.get("existing"):
        text += f" · already in the graph as {note['existing']}"
    out = [text]
    for flag in note.get("flags", []):
        out.append(f"  # REVIEW: {flag}")
    if note.get("confidence", 1) < LOW_CONFIDENCE and not note.get("flags"):
        out.append("  # REVIEW: low confidence")
    return out


def _dump(data: dict[str, Any]) -> list[str]:
    text = yaml.safe_dump([data], allow_unicode=True, sort_keys=False, width=4096, default_flow_style=False)
    return ["  " + line for line in text.rstrip("\n").split("\n")]


def build(props: Proposals, vocabulary: dict[str, Node], slug_text: str, source: str) -> Draft:
    """Assign ids, build the node and edge records, and check every edge against the ontology."""
    schema = load_schema()
    taken = set(vocabulary)
    counters: dict[str, int] = {}
    items = sorted(
        props.items.values(),
        key=lambda p: (p.key not in ("plan", "document"), p.key != "plan", p.evidence[0].start, p.order),
    )
    for item in items:
        if item.existing:
            item.id = item.existing
            continue
        if item.key == "plan":
            item.id = f"plan.{slug_text}"
        elif item.key == "document":
            item.id = f"{slug_text}.doc.text"
        elif item.type in SHARED_PREFIX:
            item.id = f"{SHARED_PREFIX[item.type]}.{slug(item.labels.get('en') or next(iter(item.labels.values())))}"
        else:
            kind = SCOPED_KIND.get(item.type, item.type.lower())
            if item.type in ("Goal", "Indicator", "Measure"):
                counters[kind] = counters.get(kind, 0) + 1
                item.id = f"{slug_text}.{kind}.{counters[kind]}"
            else:
                item.id = f"{slug_text}.{kind}.{slug(next(iter(item.labels.values())), 40)}"
        base, n = item.id, 2
        while item.id in taken:
            item.id, n = f"{base}-{n}", n + 1
        taken.add(item.id)
    document_id = props.items["document"].id
    nodes, review = [], []
    ordered = sorted(
        items, key=lambda p: (p.key != "plan", p.key != "document", _section_rank(p, props), p.evidence[0].start)
    )
    for item in ordered:
        sources = [
            {"document": document_id, "locator": e.locator, "quote": e.quote}
            for e in sorted({(e.start, e.end): e for e in item.evidence if e.quote}.values(), key=lambda e: e.start)
        ]
        if not sources:
            continue
        known = vocabulary.get(item.existing) if item.existing else None
        node: dict[str, Any] = {"id": item.id, "type": item.type}
        if known is not None:
            node["labels"] = {k: v for k, v in known.labels.items() if v}
            if known.status != "confirmed":
                node["status"] = known.status
            if known.properties:
                node["properties"] = dict(known.properties)
        else:
            node["labels"] = {k: v for k, v in sorted(item.labels.items()) if v}
            properties = {k: v for k, v in item.properties.items() if k in schema.node_properties(item.type)}
            if properties:
                node["properties"] = properties
        node["sources"] = sources
        nodes.append(node)
        review.append({
            "id": item.id, "type": item.type, "section": item.section, "rule": item.rule,
            "confidence": round(item.confidence, 2), "existing": item.existing, "flags": list(item.flags),
            "candidates": list(item.candidates), "spans": [[e.start, e.end] for e in item.evidence],
        })  # fmt: skip
    by_key = {item.key: item for item in items}
    edges = []
    problems = list(props.problems)
    for link in props.links.values():
        start, end = by_key.get(link.source), by_key.get(link.target)
        if start is None or end is None or not link.evidence.quote:
            continue
        relation = schema.relation_types.get(link.relation)
        if relation is None or not relation.allows(start.type, end.type):
            continue
        edges.append({
            "from": start.id, "relation": link.relation, "to": end.id,
            "sources": [{"document": document_id, "locator": link.evidence.locator, "quote": link.evidence.quote}],
        })  # fmt: skip
        review.append({
            "id": f"{start.id}|{link.relation}|{end.id}", "rule": link.evidence.rule,
            "confidence": round(link.evidence.confidence, 2), "flags": [], "spans": [[link.evidence.start, link.evidence.end]],  # noqa: E501
        })  # fmt: skip
    edges.sort(key=lambda e: (e["relation"] != "has_version", e["from"], e["relation"], e["to"]))
    header = {"source": source, "language": props.lang, "characters": len(props.text), "plan": slug_text}
    return Draft(nodes, edges, review, problems, header)


def _section_rank(item: Proposal, props: Proposals) -> int:
    return item.block if item.block is not None else -1
