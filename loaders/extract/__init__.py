"""Plans from their text: read a plan (text, Markdown, HTML, .docx), find its structure, and
propose a draft in the curated YAML format for a person to review — offline, rule-based.

    draft = extract_text(text, name="plan.txt", vocabulary=store.iter_nodes())
    Path("draft.yaml").write_text(draft.to_yaml())

Extension point: `Extractor.extra_rules` takes callables `(Proposals) -> None` that run after the
built-in rules and before resolution, e.g. a learned model or an LLM step proposing more entities
with their spans; nothing here depends on one.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from plankg.loaders.extract import entities, linking, numbers, relations, structure
from plankg.loaders.extract.draft import Draft, build, plan_slug
from plankg.loaders.extract.proposals import Proposals
from plankg.loaders.extract.reading import TextInput, read_input
from plankg.model.elements import Node
from plankg.model.resolver import Resolver

Rule = Callable[[Proposals], None]
VOCAB_SCAN_TYPES = {"Industry", "TechnologyArea", "Organization"}


def detect_language(text: str) -> str:
    """zh when CJK characters make up a real share of the letters, else en."""
    cjk = sum(1 for ch in text[:20000] if "\u4e00" <= ch <= "\u9fff")
    latin = sum(1 for ch in text[:20000] if ch.isascii() and ch.isalpha())
    return "zh" if cjk * 3 >= latin else "en"


@dataclass
class Extractor:
    """Holds the vocabulary index (graph nodes + built-in lexicon) so many texts can be extracted with one setup."""

    vocabulary: Iterable[Node] = ()
    extra_rules: list[Rule] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.nodes = {node.id: node for node in self.vocabulary}
        self.graph = Resolver(self.nodes.values())
        self.lexicon = Resolver(linking.lexicon_nodes())
        self.scan: dict[str, list[tuple[str, str, str]]] = {"zh": [], "en": []}
        from plankg.loaders.extract import lexicon

        for term in (*lexicon.TECHNOLOGY, *lexicon.INDUSTRIES, *lexicon.ORGANIZATIONS):
            for name in term.names():
                self._scan_name(term.type, name, term.en, lexicon_term=True)
        for node in self.nodes.values():
            if node.type in VOCAB_SCAN_TYPES:
                for name in node.all_names():
                    if node.type == "Organization" and name[:1] in linking.RELATIVE_PLACES:
                        continue  # '市工业和信息化局' is any text's own city's bureau, not this one
                    self._scan_name(node.type, name, node.labels.get("en", ""), lexicon_term=False)
        self.matchers = {lang: entities.NameMatcher(entries) for lang, entries in self.scan.items()}

    def _scan_name(self, type_name: str, name: str, en: str, *, lexicon_term: bool) -> None:
        """Names searched for verbatim: Chinese ones in Chinese texts, English ones in English texts,
        acronyms (5G, AI, MIIT) in both. Graph names need some length (网络, 平台 alone say nothing)."""
        acronym = bool(re.fullmatch(r"[A-Z0-9][A-Za-z0-9-]{1,7}", name)) and any(
            c.isupper() or c.isdigit() for c in name
        )
        if name.isascii():
            if not lexicon_term and not (" " in name.strip() or (name.isupper() and len(name) >= 3)):
                return
            self.scan["en"].append((type_name, name, en))
            if acronym:
                self.scan["zh"].append((type_name, name, en))
        elif lexicon_term or len(name) >= 3:
            self.scan["zh"].append((type_name, name, en))

    def extract(self, text: str, name: str = "<text>", *, plan: str | None = None, lang: str = "auto") -> Draft:
        """A draft of whatever the text states; problems (no structure, no title) are listed, never raised."""
        language = detect_language(text) if lang == "auto" else lang
        blocks = structure.parse(text)
        props = Proposals(text, language, blocks)
        plan_node, document = entities.document_rules(props, Path(name).stem)
        span = numbers.period(plan_node.labels.get(language, ""))
        plan_end = f"{span[1]}-12-31" if span else None
        entities.goal_rules(props, plan_end)
        owners = entities.measure_rules(props, plan_node, plan_end)
        entities.mention_rules(props, self.matchers[language])
        for rule in self.extra_rules:
            rule(props)
        linking.link_existing(props, self.graph, self.lexicon)
        linking.merge_lexicon_duplicates(props)
        relations.relation_rules(props, plan_node, document, owners)
        if not any(b.level is not None for b in blocks):
            props.problems.append("no plan structure found (no numbered headings such as 一、/（一）/1. or I./(1)/1.); "
                                  "the draft holds what single sentences state")  # fmt: skip
        if not any(p.type in ("Goal", "Indicator", "Measure") for p in props.items.values()):
            props.problems.append("no goals, targets or measures found")
        return build(props, self.nodes, plan or plan_slug(plan_node.labels.get(language, name)), name)


def extract_text(text: str, name: str = "<text>", *, vocabulary: Iterable[Node] = (), plan: str | None = None,
                 lang: str = "auto") -> Draft:  # fmt: skip
    """One text to one draft (builds the vocabulary index each call; use Extractor for many texts)."""
    return Extractor(vocabulary).extract(text, name, plan=plan, lang=lang)


def extract_bytes(data: bytes, name: str, **options: object) -> tuple[Draft | None, TextInput]:
    """Decode then extract; the TextInput carries the reading problems. No draft when nothing was readable."""
    source = read_input(data, name)
    if not source.text.strip():
        return None, source
    vocabulary = options.pop("vocabulary", ())
    draft = Extractor(vocabulary).extract(source.text, name, **options)  # type: ignore[arg-type]
    draft.problems[:0] = [str(p) for p in source.problems]
    return draft, source


__all__ = ["Draft", "Extractor", "TextInput", "detect_language", "extract_bytes", "extract_text", "read_input"]
