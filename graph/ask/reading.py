"""Read a question into readings: answer types, the entities it names, and the constraints on answers.

A reading is built from what the question says, in this order: entity names (exact spans, longest
first), numbers and dates, the ontology's words (types, kinds, relations, properties, status) and
the question's grammar (how many, who, only, not, below). Constraints link the answer type to each
named entity by a path of ontology relations found in the schema (preferring relations the question
words and relations of named queries), so no question type is written out by hand.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from plankg.graph.ask.lexicon import Term, lexicon
from plankg.graph.ask.names import NameIndex
from plankg.graph.ask.paths import Step
from plankg.graph.ask.quantities import Comparison, DateBound, comparisons, dates
from plankg.graph.ask.tokens import Unit, is_cjk, normalise, units

MIN_FUZZY = 0.45
FUZZY_MARGIN = 0.03
CONJUNCTIONS = {"and", "or", "和", "或", "及", "与", "以及", "或者", "、", ","}


@dataclass(frozen=True)
class Anchor:
    """Entities the question names (several when it is ambiguous), and how they constrain answers."""

    ids: tuple[str, ...]
    type: str
    text: str
    start: int
    end: int
    method: str = "exact"
    negated: bool = False
    hints: tuple[str, ...] = ()


@dataclass(frozen=True)
class Constraint:
    """One condition on the answers: a relation path to an anchor, provenance, a property or a status."""

    kind: str  # relation | provenance | property | status
    anchor: Anchor | None = None
    path: tuple[Step, ...] = ()
    widen: bool = False
    transitive: bool = False
    negated: bool = False
    prop: str = ""
    comparison: Comparison | None = None
    date: DateBound | None = None
    status: str = ""
    via: tuple[Step, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"kind": self.kind}
        if self.anchor is not None:
            data["entity"] = self.anchor.ids[0]
        if self.path:
            data["path"] = [{"relation": s.relation, "direction": s.direction} for s in self.path]
        if self.widen:
            data["include_narrower"] = True
        if self.transitive:
            data["transitive"] = True
        if self.negated:
            data["negated"] = True
        if self.prop:
            data["property"] = self.prop
        if self.comparison is not None:
            data["comparator"], data["value"] = self.comparison.op, self.comparison.value
            if self.comparison.percent:
                data["percent"] = True
        if self.date is not None:
            data["date"] = {"op": self.date.op, "value": self.date.value}
        if self.status:
            data["status"] = self.status
        if self.via:
            data["via"] = [{"relation": s.relation, "direction": s.direction} for s in self.via]
        return data


@dataclass(frozen=True)
class Reading:
    """One interpretation: what is asked for (types, kinds), the constraints, and whether to count."""

    types: tuple[str, ...]
    kinds: tuple[str, ...] = ()
    constraints: tuple[Constraint, ...] = ()
    count: bool = False
    list_all: bool = False
    score: float = 1.0
    named_query: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "types": list(self.types),
            "kinds": list(self.kinds),
            "constraints": [c.to_dict() for c in self.constraints],
            "count": self.count,
            "named_query": self.named_query,
        }


@dataclass
class Parse:
    """What the question says, before readings are assembled (kept for messages and suggestions)."""

    text: str
    lang: str
    units: list[Unit]
    anchors: list[Anchor] = field(default_factory=list)
    terms: list[tuple[int, int, list[Term]]] = field(default_factory=list)
    comparisons: list[Comparison] = field(default_factory=list)
    dates: list[DateBound] = field(default_factory=list)
    content: list[int] = field(default_factory=list)

    def has(self, role: str, value: str | None = None) -> bool:
        return any(t.role == role and (value is None or t.value == value) for _, _, ts in self.terms for t in ts)

    def unit_range(self, start: int, end: int) -> tuple[int, int]:
        """The units inside a character span."""
        inside = [i for i, u in enumerate(self.units) if u.start >= start and u.end <= end]
        return (inside[0], inside[-1] + 1) if inside else (0, 0)


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def parse(question: str, index: NameIndex) -> Parse:
    """Entity spans, quantities, vocabulary and what is left over, in one pass each."""
    text = normalise(question)
    found = units(text)
    result = Parse(text, "zh" if is_cjk(question) else "en", found)
    lex = lexicon()
    covered = [False] * len(found)
    keys_ = [u.key for u in found]
    spans: list[tuple[int, int, int, str, Any]] = []  # length, start, priority, role, payload
    for i in range(len(found)):
        for length in range(min(max(index.longest, lex.longest), len(found) - i), 0, -1):
            key = tuple(keys_[i : i + length])
            if key in lex.phrases:
                spans.append((length, i, 1, "lex", lex.phrases[key]))
            named = index.exact.get(key)
            if named and not any(t.role in ("type", "kind", "cue") for t in lex.phrases.get(key, ())):
                spans.append((length, i, 0, "entity", named))
    spans.sort(key=lambda s: (-s[0], s[2] * -1, s[1]))
    found_quantities = [(c.start, c.end) for c in comparisons(text)] + [(d.start, d.end) for d in dates(text)]
    quantity_spans: list[tuple[int, int]] = []
    chosen: list[tuple[int, int, str, Any]] = []
    for length, start, _priority, role, payload in spans:
        if role != "entity" or any(covered[start : start + length]):
            continue
        if length == 1 and role == "entity" and found[start].key.isdigit():
            continue
        chars = (found[start].start, found[start + length - 1].end)
        if any(q[0] <= chars[0] and chars[1] <= q[1] for q in found_quantities):
            continue  # a name that is only a date or number ('到2027年底') is read as one
        chosen.append((start, start + length, role, payload))
        for j in range(start, start + length):
            covered[j] = True
    entity_chars = [(found[s].start, found[e - 1].end) for s, e, _, _ in chosen]
    result.comparisons = [c for c in comparisons(text) if not any(_overlaps((c.start, c.end), x) for x in entity_chars)]
    result.dates = [d for d in dates(text) if not any(_overlaps((d.start, d.end), x) for x in entity_chars)]
    for item in [(c.start, c.end) for c in result.comparisons] + [(d.start, d.end) for d in result.dates]:
        s, e = result.unit_range(*item)
        quantity_spans.append((s, e))
        for j in range(s, e):
            covered[j] = True
    lex_chosen: list[tuple[int, int, str, Any]] = []
    for length, start, _priority, role, payload in spans:
        if role != "lex" or any(covered[start : start + length]):
            continue
        lex_chosen.append((start, start + length, role, payload))
        for j in range(start, start + length):
            covered[j] = True
    for start, end, _, payload in sorted(chosen):
        ids: tuple[str, ...] = tuple(sorted(payload))
        types = {index.nodes[i].type for i in ids}
        result.anchors.append(
            Anchor(
                ids,
                next(iter(types)) if len(types) == 1 else "",
                ("" if result.lang == "zh" else " ").join(u.text for u in found[start:end]),
                start,
                end,
            )
        )
    result.terms = sorted((s, e, list(p)) for s, e, _, p in lex_chosen)
    result.content = [i for i, c in enumerate(covered) if not c]
    return result
