"""Entity resolution for a draft: proposals of shared vocabulary (organisations, industries,
technology areas, standards, centres, programmes) are linked to the graph's entities through the
resolver — by label, alias, abbreviation (工信部 ↔ 工业和信息化部 ↔ MIIT), simplified/traditional
and width folding, then fuzzy — and ambiguous matches are flagged for review, never merged."""

from __future__ import annotations

from plankg.loaders.extract import lexicon
from plankg.loaders.extract.proposals import Proposal, Proposals
from plankg.model.elements import Node
from plankg.model.resolver import Resolver, name_key

LINKABLE = {
    "Organization",
    "Industry",
    "TechnologyArea",
    "Standard",
    "StandardCategory",
    "DemonstrationCenter",
    "Program",
}
SWITCHABLE = {"Industry", "TechnologyArea"}
FUZZY_TYPES = {"Organization", "Industry", "TechnologyArea"}
RELATIVE_PLACES = "省市区县"
"""A Chinese organisation name starting with one of these ('省工业和信息化厅') leaves its place unsaid."""


def lexicon_nodes() -> list[Node]:
    """The built-in lexicon as nodes, so that its zh/en pairs and abbreviations resolve like graph entities."""
    nodes = []
    for term in (*lexicon.TECHNOLOGY, *lexicon.INDUSTRIES, *lexicon.ORGANIZATIONS):
        zh = [a for a in term.aliases if not a.isascii()]
        en = [a for a in term.aliases if a.isascii()]
        nodes.append(
            Node(
                f"lexicon:{term.type}:{term.en}",
                term.type,
                {"en": term.en, "zh": term.zh},
                aliases={"zh": zh, "en": en},
            )
        )
    return nodes


def link_existing(props: Proposals, graph: Resolver, lexicon_index: Resolver) -> None:
    """Give every proposal of a shared kind the graph entity it names, or the lexicon's other-language label."""
    for item in list(props.items.values()):
        if item.type not in LINKABLE:
            continue
        names = [n for n in item.labels.values() if n]
        term = None
        for name in names:
            found = lexicon_index.resolve(name, {item.type}, fuzzy=False)
            if found.best is not None:
                term = lexicon_index.nodes[found.best.id]
                break
        if term is not None:
            for lang, label in term.labels.items():
                item.labels.setdefault(lang, label)
            names = list(dict.fromkeys([*names, *term.all_names()]))
        if not len(graph):
            continue
        best = None
        if item.type == "Organization":  # '市工业和信息化局' names the text's own city's bureau, not the graph's
            names = [n for n in names if n[:1] not in RELATIVE_PLACES]
        for name in names:
            found = graph.resolve(name, {item.type}, fuzzy=item.type in FUZZY_TYPES)
            if found.ambiguous:
                item.flags.append(
                    f"ambiguous: {name!r} may be any of {', '.join(c.id for c in found.candidates[:4])}; not linked"
                )
                item.candidates = [c.id for c in found.candidates[:4]]
                best = None
                break
            fuzzy_org = found.best is not None and found.best.method == "fuzzy" and item.type == "Organization"
            if fuzzy_org and found.best and not _contains_either(name, graph.nodes[found.best.id]):
                continue  # 设区市工业和信息化局 is not 广州市工业和信息化局: organisations differ in one word
            if found.best is not None and (best is None or found.best.score > best.score):
                best = found.best
        if best is None and item.type in SWITCHABLE:
            for name in names:  # the graph may file the name under the other kind (工业互联网: an Industry)
                found = graph.resolve(name, SWITCHABLE - {item.type}, fuzzy=False)
                if found.best is not None:
                    best = found.best
                    item.flags.append(f"the graph files this as a {best.type}; typed as such")
                    item.type = best.type
                    break
        if best is not None:
            item.existing = best.id
            if best.method == "fuzzy":
                item.flags.append(f"linked by fuzzy match ({best.score:.2f}) to {best.id}: check")
    _merge_same_entity(props)


def _contains_either(name: str, node: Node) -> bool:
    """Whether the mention and one of the entity's names contain one another (after normalising)."""
    key = name_key(name)
    names = [n for n in node.all_names() if n and n[:1] not in RELATIVE_PLACES]
    return any(key in (other := name_key(n)) or other in key for n in names)


def _merge_same_entity(props: Proposals) -> None:
    """Proposals that resolved to the same graph entity are one entity."""
    seen: dict[str, Proposal] = {}
    for item in list(props.items.values()):
        if not item.existing:
            continue
        first = seen.get(item.existing)
        if first is None:
            seen[item.existing] = item
            continue
        first.evidence.extend(item.evidence)
        del props.items[item.key]
        for index, keys in props.mentions.items():
            props.mentions[index] = [first.key if k == item.key else k for k in keys]
        for key, link in list(props.links.items()):
            if item.key in (link.source, link.target):
                del props.links[key]
                link.source = first.key if link.source == item.key else link.source
                link.target = first.key if link.target == item.key else link.target
                props.links.setdefault((link.source, link.relation, link.target), link)


def merge_lexicon_duplicates(props: Proposals) -> None:
    """Two proposals that the lexicon says are one term (工信部, 工业和信息化部) become one."""
    by_term: dict[tuple[str, str], Proposal] = {}
    for item in list(props.items.values()):
        if item.type not in LINKABLE or "en" not in item.labels or "zh" not in item.labels:
            continue
        term = (item.type, name_key(item.labels["en"]))
        first = by_term.get(term)
        if first is None:
            by_term[term] = item
            continue
        item.existing = item.existing or f"__same__{first.key}"
    for item in list(props.items.values()):
        if item.existing and item.existing.startswith("__same__"):
            key = item.existing.removeprefix("__same__")
            item.existing = None
            first = props.items[key]
            first.evidence.extend(item.evidence)
            del props.items[item.key]
            for index, keys in props.mentions.items():
                props.mentions[index] = [first.key if k == item.key else k for k in keys]
            for lkey, link in list(props.links.items()):
                if item.key in (link.source, link.target):
                    del props.links[lkey]
                    link.source = first.key if link.source == item.key else link.source
                    link.target = first.key if link.target == item.key else link.target
                    props.links.setdefault((link.source, link.relation, link.target), link)
