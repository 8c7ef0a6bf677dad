"""ask(store, question): read, answer the best reading, say it back; decline with suggestions otherwise."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field, replace
from typing import Any

from plankg.graph.ask.assemble import Context, NotUnderstood, read
from plankg.graph.ask.execute import answer
from plankg.graph.ask.names import NameIndex
from plankg.graph.ask.reading import Reading, parse
from plankg.graph.ask.words import say
from plankg.graph.derive import DerivedItem, derived_answers
from plankg.graph.queries import NAMED_QUERIES
from plankg.graph.store import GraphStore
from plankg.model import QueryItem

MAX_QUESTION = 500
_cache: dict[int, tuple[str, NameIndex]] = {}
_lock = threading.Lock()


def name_index(store: GraphStore) -> NameIndex:
    """The name index of the store's current revision (rebuilt when the graph changes)."""
    revision = store.revision()
    with _lock:
        cached = _cache.get(id(store))
        if cached is not None and cached[0] == revision:
            return cached[1]
    index = NameIndex(store.iter_nodes())
    with _lock:
        _cache[id(store)] = (revision, index)
    return index


@dataclass
class Answer:
    """A question's answer in the shape of a named query's, plus the reading said back."""

    question: str
    lang: str
    interpreted: bool
    reading: Reading | None = None
    text: str = ""
    items: list[QueryItem] = field(default_factory=list)
    derived: list[DerivedItem] = field(default_factory=list)
    alternatives: list[dict[str, Any]] = field(default_factory=list)
    message: str = ""
    suggestions: list[str] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)

    def to_dict(self, item_json: Any = None) -> dict[str, Any]:
        render = item_json or (lambda item: item.to_dict())
        data: dict[str, Any] = {
            "question": self.question,
            "lang": self.lang,
            "interpreted": self.interpreted,
            "reading": {"text": self.text, **self.reading.to_dict()} if self.reading else None,
            "count": len(self.items),
            "items": [render(item) for item in self.items],
            "derived": [item.to_dict() for item in self.derived],
            "alternatives": self.alternatives,
        }
        if not self.interpreted:
            data["message"] = self.message
            data["suggestions"] = self.suggestions
        if self.ignored:
            data["ignored"] = self.ignored
        return data


def _suggestions(lang: str) -> list[str]:
    """Example questions built from the named queries' titles (what the graph can answer)."""
    return [query.title["zh" if lang == "zh" else "en"] for query in NAMED_QUERIES.values()][:6]


def ask(store: GraphStore, question: str) -> Answer:
    """Read `question` (English or Chinese) and answer it from the graph, or decline clearly."""
    question = question.strip()[:MAX_QUESTION]
    index = name_index(store)
    parsed = parse(question, index)
    lang = parsed.lang
    try:
        readings = read(parsed, Context(store, index))
    except NotUnderstood as why:
        message = {"en": "Could not interpret the question: ", "zh": "无法理解这个问题："}[lang] + why.text(lang)
        return Answer(question, lang, False, message=message, suggestions=_suggestions(lang))
    best = readings[0]
    items = answer(store, best)
    if not items and best.kinds:
        # The graph files no measure of that kind here (a plan whose tasks carry no 'main task' label): the
        # answer is the type's, said back without the kind, and the kind's reading stays an alternative.
        broader = replace(best, kinds=())
        broader_items = answer(store, broader)
        if broader_items:
            readings = [broader, *readings]
            best, items = broader, broader_items
    ids = {c.anchor.ids[0] for r in readings for c in r.constraints if c.anchor is not None}
    nodes = store.get_many(ids)
    alternatives = [{"text": say(r, nodes, lang), **r.to_dict()} for r in readings[1:]]
    ignored = [parsed.units[i].text for i in parsed.content if len(parsed.units[i].key) > 1]
    return Answer(
        question,
        lang,
        True,
        reading=best,
        text=say(best, nodes, lang),
        items=items,
        derived=_derived(store, best, {item.entity.id for item in items}),
        alternatives=alternatives,
        ignored=ignored,
    )


def _derived(store: GraphStore, reading: Reading, direct: set[str]) -> list[DerivedItem]:
    """Answers derived through the graph (graph/derive.py) when the reading is one named query."""
    if reading.named_query is None or len(reading.constraints) != 1:
        return []
    anchor = reading.constraints[0].anchor
    start = store.get(anchor.ids[0]) if anchor is not None else None
    if start is None:
        return []
    found = derived_answers(store, reading.named_query, start, direct)
    return [
        item
        for item in found
        if item.entity.type in reading.types
        and (not reading.kinds or item.entity.properties.get("kind") in reading.kinds)
    ]
