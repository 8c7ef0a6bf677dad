"""Link a name as written (a mention) to the entities the graph already has.

One index over any iterable of `Node`s — labels in English and Chinese plus aliases
(MIIT, 工信部) — answers exact, normalised (case, width, simplified/traditional
Chinese, punctuation) and fuzzy (rapidfuzz) matches with a score, and flags a match
as ambiguous when two different entities score alike. It is store-independent so that
extraction, search and question answering share one notion of "the same name".
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from rapidfuzz import fuzz, process

from plankg.model.elements import Node

_PUNCT = re.compile(r"[\s\"'“”‘’「」『』《》〈〉()（）\[\]【】,，.。、;；:：!！?？·・\-–—_/]+")
_LEADING = re.compile(r"^(?:the|a|an)\s+", re.IGNORECASE)

EXACT = 1.0
NORMALISED = 0.95
FUZZY_THRESHOLD = 88.0
AMBIGUITY_MARGIN = 3.0


@lru_cache(maxsize=1)
def _t2s() -> Any:
    try:
        import opencc

        return opencc.OpenCC("t2s")
    except Exception:  # pragma: no cover - opencc is a declared dependency; stay usable without it
        return None


def to_simplified(text: str) -> str:
    """Traditional Chinese characters as simplified ones (醫療 → 医疗); other text unchanged."""
    converter = _t2s()
    if converter is None or not any("\u4e00" <= ch <= "\u9fff" for ch in text):
        return text
    return str(converter.convert(text))


@lru_cache(maxsize=65536)
def name_key(text: str) -> str:
    """The form two names share when they are the same name: NFKC (full/half width), case-folded,
    simplified Chinese, without punctuation, quotes, brackets, spaces or a leading article."""
    text = unicodedata.normalize("NFKC", text).casefold().strip()
    text = _LEADING.sub("", text)
    converter = _t2s()
    if converter is not None and any("\u4e00" <= ch <= "\u9fff" for ch in text):
        text = converter.convert(text)
    return _PUNCT.sub("", text)


_STOP_WORDS = {"the", "of", "and", "for", "a", "an"}


def _sorted_words(text: str) -> str:
    """English names compared as sets of words ("industry (manufacturing)" ~ "manufacturing industry").
    Only a free-standing stop word is dropped: the A of 5G-A is part of the name (5G-A is not 5G)."""
    words: set[str] = set()
    for token in unicodedata.normalize("NFKC", text).casefold().split():
        parts = re.findall(r"[a-z0-9]+", token)
        if not (len(parts) == 1 and parts[0] in _STOP_WORDS):
            words.update(parts)
    return " ".join(sorted(words))


@dataclass(frozen=True)
class Candidate:
    """One entity a mention may mean, with the score (0..1) and how it was found."""

    id: str
    type: str
    score: float
    method: str
    name: str


@dataclass(frozen=True)
class Resolution:
    """The answer for one mention: the best candidate (if any), all candidates, and whether it is ambiguous."""

    mention: str
    candidates: tuple[Candidate, ...] = field(default_factory=tuple)
    ambiguous: bool = False

    @property
    def best(self) -> Candidate | None:
        return self.candidates[0] if self.candidates and not self.ambiguous else None

    @property
    def id(self) -> str | None:
        best = self.best
        return best.id if best else None


class Resolver:
    """An index of entity names: labels (en, zh) and aliases of the given nodes."""

    def __init__(self, nodes: Iterable[Node] = ()) -> None:
        self.nodes: dict[str, Node] = {}
        self._exact: dict[str, set[str]] = {}
        self._keyed: dict[str, set[str]] = {}
        self._words: dict[str, set[str]] = {}
        self._fuzzy_names: list[str] = []
        self._fuzzy_ids: list[str] = []
        for node in nodes:
            self.add(node)

    def add(self, node: Node) -> None:
        """Index one node under every name it has."""
        self.nodes[node.id] = node
        names = [label for label in node.labels.values() if label]
        for group in (getattr(node, "aliases", None) or {}).values():
            names.extend(alias for alias in group if alias)
        for name in names:
            self._exact.setdefault(name.strip(), set()).add(node.id)
            key = name_key(name)
            if not key:
                continue
            self._keyed.setdefault(key, set()).add(node.id)
            if name.isascii():
                words = _sorted_words(name)
                if words:
                    self._words.setdefault(words, set()).add(node.id)
            self._fuzzy_names.append(key)
            self._fuzzy_ids.append(node.id)

    def __len__(self) -> int:
        return len(self.nodes)

    def _allowed(self, ids: Iterable[str], types: set[str] | None) -> list[str]:
        return sorted(i for i in ids if types is None or self.nodes[i].type in types)

    def _answer(self, mention: str, ids: list[str], score: float, method: str) -> Resolution:
        candidates = tuple(Candidate(i, self.nodes[i].type, score, method, self.nodes[i].label("zh")) for i in ids)
        return Resolution(mention, candidates, ambiguous=len(ids) > 1)

    def resolve(self, mention: str, types: Iterable[str] | None = None, *, fuzzy: bool = True) -> Resolution:
        """The entity a mention names, among nodes of `types` (any type when None).

        Exact name, then normalised name, then word-set (English), then fuzzy; two different
        entities within the ambiguity margin make the answer ambiguous (no best), never merged.
        """
        allowed = set(types) if types is not None else None
        mention = mention.strip()
        if not mention:
            return Resolution(mention)
        ids = self._allowed(self._exact.get(mention, ()), allowed)
        if ids:
            return self._answer(mention, ids, EXACT, "exact")
        key = name_key(mention)
        ids = self._allowed(self._keyed.get(key, ()), allowed)
        if ids:
            return self._answer(mention, ids, NORMALISED, "normalised")
        if mention.isascii():
            ids = self._allowed(self._words.get(_sorted_words(mention), ()), allowed)
            if ids:
                return self._answer(mention, ids, 0.9, "words")
        if not fuzzy or not key or len(key) < 3 or not self._fuzzy_names:
            return Resolution(mention)
        return self._fuzzy(mention, key, allowed)

    def _fuzzy(self, mention: str, key: str, allowed: set[str] | None) -> Resolution:
        best: dict[str, float] = {}
        for _name, score, index in process.extract(
            key, self._fuzzy_names, scorer=fuzz.ratio, score_cutoff=FUZZY_THRESHOLD, limit=20
        ):
            node_id = self._fuzzy_ids[index]
            if allowed is not None and self.nodes[node_id].type not in allowed:
                continue
            best[node_id] = max(best.get(node_id, 0.0), float(score))
        if not best:
            return Resolution(mention)
        ranked = sorted(best.items(), key=lambda item: (-item[1], item[0]))
        candidates = tuple(
            Candidate(i, self.nodes[i].type, round(s / 100.0, 3), "fuzzy", self.nodes[i].label("zh")) for i, s in ranked
        )
        ambiguous = len(ranked) > 1 and ranked[0][1] - ranked[1][1] < AMBIGUITY_MARGIN
        return Resolution(mention, candidates, ambiguous=ambiguous)
