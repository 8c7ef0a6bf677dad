"""Entity names as unit sequences: exact spans of a question, and fuzzy matches weighted by rarity.

Built once per store revision from every node's labels and aliases (the same names the resolver
indexes, compared with the same normalisation), so a question names entities exactly as search
and extraction do. A name's variants drop bracketed parts ("(2021-2023)") and a leading article.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass

from plankg.graph.ask.lexicon import grammar_units
from plankg.graph.ask.tokens import keys
from plankg.model import Node

_BRACKETS = re.compile(r"[(（\[【][^)）\]】]*[)）\]】]")
_ARTICLES = {"the", "a", "an"}


def _variants(name: str) -> set[tuple[str, ...]]:
    found = {keys(name), keys(_BRACKETS.sub(" ", name))}
    for key in list(found):
        if key and key[0] in _ARTICLES:
            found.add(key[1:])
    return {key for key in found if key}


@dataclass(frozen=True)
class Fuzzy:
    """A node a stretch of the question may name: score 0..1 and the question units it matched."""

    id: str
    type: str
    score: float
    matched: frozenset[str]


class NameIndex:
    """Exact name spans and rarity-weighted fuzzy matching over the nodes of one store revision."""

    def __init__(self, nodes: Iterable[Node]) -> None:
        self.nodes: dict[str, Node] = {}
        self.exact: dict[tuple[str, ...], set[str]] = {}
        self._names: list[tuple[str, frozenset[str]]] = []
        self._postings: dict[str, list[int]] = {}
        frequency: dict[str, int] = {}
        grammar = grammar_units()
        for node in nodes:
            self.nodes[node.id] = node
            seen: set[str] = set()
            for name in node.all_names():
                for variant in _variants(name):
                    self.exact.setdefault(variant, set()).add(node.id)
                    units = frozenset(variant) - grammar
                    if not units:
                        continue
                    seen |= units
                    index = len(self._names)
                    self._names.append((node.id, units))
                    for unit in units:
                        self._postings.setdefault(unit, []).append(index)
            for unit in seen:
                frequency[unit] = frequency.get(unit, 0) + 1
        total = max(1, len(self.nodes))
        self.idf = {unit: math.log(1 + total / count) for unit, count in frequency.items()}
        self._unknown = math.log(1 + total)
        self.longest = max((len(key) for key in self.exact), default=1)

    def weight(self, unit: str) -> float:
        return self.idf.get(unit, self._unknown)

    def common_weight(self, share: float) -> float:
        """The weight of a unit found in `share` of the entities: units weighing less are commoner."""
        return math.log(1 + 1 / share)

    def knows(self, unit: str) -> bool:
        return unit in self.idf

    def fuzzy(self, question: set[str], content: set[str], types: set[str] | None = None) -> list[Fuzzy]:
        """Nodes whose names the question's units cover best, scored by F1 of rarity-weighted overlap.

        `content` are the units no other reading explains; a match must use at least one of them.
        """
        content_weight = sum(self.weight(u) for u in content) or 1.0
        best: dict[str, Fuzzy] = {}
        candidates = {i for unit in content for i in self._postings.get(unit, ())}
        for index in candidates:
            node_id, units = self._names[index]
            node = self.nodes[node_id]
            if types is not None and node.type not in types:
                continue
            matched = units & question
            used = matched & content
            if not used:
                continue
            recall = sum(self.weight(u) for u in matched) / sum(self.weight(u) for u in units)
            precision = sum(self.weight(u) for u in used) / content_weight
            score = 2 * recall * precision / (recall + precision)
            if node_id not in best or score > best[node_id].score:
                best[node_id] = Fuzzy(node_id, node.type, round(score, 4), frozenset(matched))
        return sorted(best.values(), key=lambda f: (-f.score, f.id))
