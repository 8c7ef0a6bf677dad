"""One resolver for every parameter that names an entity: an id, a label or an alias.

The CLI (`--industry 医疗`), the API (`?industry=MIIT`) and question answering go through
`resolve_entity`, so they accept the same names and fail the same way: an unknown name
is NotFound, a name shared by several entities is Ambiguous with the candidates listed.
Matching: the id itself; else the store's search (labels and aliases, case and width
folded), where a name equal to the query (also after simplified/traditional folding via
plankg.model.resolver.name_key) wins; a single hit of any kind is taken as is.
"""

from __future__ import annotations

from plankg.graph.store import GraphStore, NotFound
from plankg.model import Node
from plankg.model.resolver import name_key, to_simplified
from plankg.model.text import with_article


class Ambiguous(LookupError):
    """A name that fits several entities; `candidates` lists them (best first)."""

    def __init__(self, value: str, type_name: str | None, candidates: list[Node]) -> None:
        self.value = value
        self.candidates = candidates
        kind = type_name or "entity"
        names = ", ".join(f"{node.id} ({node.label()})" for node in candidates[:10])
        super().__init__(f"{value!r} names several entities of type {kind}: {names}; give one of these ids")


def resolve_entity(store: GraphStore, value: str, type_name: str | None = None) -> str:
    """The id of the one entity (of type_name, if given) that `value` names."""
    found = store.get(value)
    if found is not None and (type_name is None or found.type == type_name):
        return found.id
    hits = store.search(value, type_name, None, 50, 0).items
    simplified = to_simplified(value)
    if not hits and simplified != value:
        hits = store.search(simplified, type_name, None, 50, 0).items
    wanted = name_key(value)
    exact = [node for node in hits if wanted in {name_key(name) for name in node.all_names()}]
    candidates = exact or hits
    if len(candidates) == 1:
        return candidates[0].id
    if not candidates:
        kind = with_article(type_name) if type_name else "an entity"
        raise NotFound(f"no id, label or alias of {kind} matches {value!r}")
    raise Ambiguous(value, type_name, candidates)
