"""What the rules propose: entities and relations, each with its evidence (span, quote,
locator), the rule that proposed it and a confidence, collected in one place so that
duplicates merge and the draft writer sees the whole picture."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from plankg.loaders.extract.structure import Block
from plankg.model.resolver import name_key

LOW_CONFIDENCE = 0.6


@dataclass
class Evidence:
    """Where in the text a proposal comes from: span, verbatim quote, heading-path locator."""

    start: int
    end: int
    quote: str
    locator: str
    rule: str
    confidence: float


@dataclass
class Proposal:
    """A proposed entity: type, labels (zh/en), properties, evidence; `existing` once linked to the graph."""

    key: str
    type: str
    labels: dict[str, str]
    evidence: list[Evidence]
    properties: dict[str, Any] = field(default_factory=dict)
    section: str = ""
    block: int | None = None
    existing: str | None = None
    flags: list[str] = field(default_factory=list)
    candidates: list[str] = field(default_factory=list)
    id: str = ""
    order: int = 0

    @property
    def confidence(self) -> float:
        return max(e.confidence for e in self.evidence)

    @property
    def rule(self) -> str:
        return self.evidence[0].rule


@dataclass
class Link:
    """A proposed relation between two proposals (by key), with its evidence."""

    source: str
    relation: str
    target: str
    evidence: Evidence


class Proposals:
    """The entities and relations proposed for one text, merged by type and normalised name."""

    def __init__(self, text: str, lang: str, blocks: list[Block]) -> None:
        self.text = text
        self.lang = lang
        self.blocks = blocks
        self.items: dict[str, Proposal] = {}
        self.links: dict[tuple[str, str, str], Link] = {}
        self.problems: list[str] = []
        self.item_projects: set[str] = set()
        """Normalised names of projects that a task item carries out itself ('实施X工程'): the item, not a programme."""
        self.mentions: dict[int, list[str]] = {}
        """Keys of the entities mentioned in each block (by block index), for relation rules."""

    def evidence(self, block: Block | None, start: int, end: int, rule: str, confidence: float) -> Evidence:
        quote = self.text[start:end].strip()
        locator = f"opening text [chars {start}-{end}]" if block is None else block.locator(start, end)
        return Evidence(start, end, quote, locator, rule, confidence)

    def add(
        self,
        type_name: str,
        label: str,
        block: Block | None,
        start: int,
        end: int,
        rule: str,
        confidence: float,
        *,
        properties: dict[str, Any] | None = None,
        key: str | None = None,
        en: str = "",
        zh: str = "",
    ) -> Proposal:
        """Propose an entity (or add evidence to the same one already proposed)."""
        label = label.strip(" ，,。；;：:、")
        key = key or f"{type_name}:{name_key(label)}"
        ev = self.evidence(block, start, end, rule, confidence)
        found = self.items.get(key)
        if found is not None:
            if all((e.start, e.end) != (start, end) for e in found.evidence):
                found.evidence.append(ev)
            if block is not None:
                self.mentions.setdefault(block.index, []).append(key)
            return found
        labels = {self.lang: label}
        if en and "en" not in labels:
            labels["en"] = en
        if zh and "zh" not in labels:
            labels["zh"] = zh
        item = Proposal(
            key,
            type_name,
            labels,
            [ev],
            dict(properties or {}),
            section=" / ".join(block.path[:2]) if block else "",
            block=block.index if block else None,
            order=len(self.items),
        )
        self.items[key] = item
        if block is not None:
            self.mentions.setdefault(block.index, []).append(key)
        return item

    def link(self, source: Proposal, relation: str, target: Proposal, evidence: Evidence) -> None:
        if source.key == target.key:
            return
        self.links.setdefault((source.key, relation, target.key), Link(source.key, relation, target.key, evidence))

    def in_block(self, index: int, *types: str) -> list[Proposal]:
        keys = dict.fromkeys(self.mentions.get(index, []))
        return [self.items[k] for k in keys if k in self.items and (not types or self.items[k].type in types)]
