"""Turn a parsed question into readings: pick the answer type, find the entities it names, link them.

General rules only: the answer type is the type word the question asks for ("which X", "哪些X",
"X有哪些"); a type word next to a name describes the name ("the media sector"); a kind word and a
number name one measure ("special action 2"); a document kind and a month name one document ("the
May 2021 draft"); every named entity is linked to the answer type by the relation path the schema
allows and the question's words prefer; numbers and dates constrain the property that takes them.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

from plankg.graph.ask.execute import reached
from plankg.graph.ask.lexicon import Term
from plankg.graph.ask.names import NameIndex
from plankg.graph.ask.paths import Step, named_steps, type_paths, widens
from plankg.graph.ask.quantities import DateBound, date_matches, number
from plankg.graph.ask.reading import Anchor, Constraint, Parse, Reading
from plankg.graph.ask.tokens import keys
from plankg.graph.derive import derived_answers
from plankg.graph.queries import IN, OUT
from plankg.graph.store import GraphStore
from plankg.ontology.schema import load_schema

MIN_FUZZY = 0.5
MIN_HINTED = 0.4
FUZZY_MARGIN = 0.04
ALTERNATIVE_MARGIN = 0.2
MIN_ALTERNATIVE = 0.3
COMMON_SHARE = 0.2
"""A word in more than this share of the graph's entities ('5G' in a graph of 5G plans) names none of them
by itself: leftover words that common make a fuzzy name only next to a type word ('the 5G plan')."""
MAX_READINGS = 4
WH_EN = {
    "which",
    "what",
    "how",
    "list",
    "show",
    "give",
    "name",
    "count",
    "number",
    "find",
    "tell",
    "are",
    "many",
    "all",
}
WH_ZH = {"哪", "些", "几", "多", "少", "什", "么"}
WHO = {"who", "whom", "谁"}
MEASURE_WORDS = {"项", "个", "条", "大", "次"}
SKIPPABLE_CUES = {"stop", "all", "count", "narrower", "broader"}


class NotUnderstood(Exception):
    """The question cannot be read into the graph's terms; the message says what was missing, in English and
    Chinese (the reply is in the question's language)."""

    def __init__(self, en: str, zh: str) -> None:
        super().__init__(en)
        self.said = {"en": en, "zh": zh}

    def text(self, lang: str) -> str:
        return self.said.get(lang, self.said["en"])


@dataclass
class Context:
    """The store and the name index a question is read against."""

    store: GraphStore
    index: NameIndex


def _roles(terms: list[Term]) -> set[str]:
    return {t.role for t in terms}


def _term_at(parse: Parse, unit: int) -> tuple[int, int, list[Term]] | None:
    for span in parse.terms:
        if span[0] <= unit < span[1]:
            return span
    return None


def _only_grammar(terms: list[Term], allowed: set[str]) -> bool:
    return all(t.role == "cue" and t.value in allowed for t in terms)


def _is_type(terms: list[Term]) -> bool:
    return any(t.role in ("type", "kind") for t in terms)


def _type_terms(terms: list[Term]) -> list[Term]:
    return [t for t in terms if t.role in ("type", "kind")]


# ------------------------------------------------------------------ references by properties
def _number_after(parse: Parse, unit: int) -> tuple[str, int] | None:
    if unit >= len(parse.units):
        return None
    token = parse.units[unit]
    value = number(token.text) if token.text.isdigit() or len(token.text) <= 2 else None
    if value is None or not float(value).is_integer():
        return None
    if unit not in parse.content and token.key not in (
        "一",
        "二",
        "两",
        "三",
        "四",
        "五",
        "六",
        "七",
        "八",
        "九",
        "十",
    ):
        return None
    return str(int(value)), unit + 1


def _numbered_references(parse: Parse, ctx: Context) -> list[Anchor]:
    """'special action 2', '专项行动2', '第二项专项行动': the entity of that kind with that number."""
    found: list[Anchor] = []
    for start, end, terms in list(parse.terms):
        kinds = [t for t in terms if t.role == "kind"] or [t for t in terms if t.role == "type"]
        if not kinds:
            continue
        after = _number_after(parse, end)
        span = (start, after[1]) if after else None
        for gap in (2, 3):  # 第二专项行动, 第二项专项行动
            if after is None and start >= gap and parse.units[start - gap].key == "第":
                before = _number_after(parse, start - gap + 1)
                if before is not None and (gap == 2 or parse.units[start - 1].key in MEASURE_WORDS):
                    after, span = before, (start - gap, end)
        if after is None or span is None:
            continue
        wanted = after[0]
        ids = []
        for term in kinds:
            type_name = term.detail if term.role == "kind" else term.value
            for node in ctx.index.nodes.values():
                if node.type != type_name or str(node.properties.get("number", "")) != wanted:
                    continue
                if term.role == "kind" and node.properties.get("kind") != term.value:
                    continue
                ids.append(node.id)
        if ids:
            types = {ctx.index.nodes[i].type for i in ids}
            text = ("" if parse.lang == "zh" else " ").join(u.text for u in parse.units[span[0] : span[1]])
            found.append(Anchor(tuple(sorted(ids)), types.pop(), text, span[0], span[1], "number"))
            parse.terms = [t for t in parse.terms if not (span[0] <= t[0] < span[1])]
            parse.content = [i for i in parse.content if not span[0] <= i < span[1]]
    return found


def _document_references(parse: Parse, ctx: Context) -> list[Anchor]:
    """'the May 2021 draft', '终稿': documents of that kind, issued in that month or year when given."""
    found: list[Anchor] = []
    schema = load_schema()
    for start, end, terms in list(parse.terms):
        kinds = [t for t in terms if t.role == "kind" and t.detail == schema.document_type]
        if not kinds:
            continue
        ids = [
            n.id
            for n in ctx.index.nodes.values()
            if n.type == schema.document_type and n.properties.get("kind") in {k.value for k in kinds}
        ]
        used: list[DateBound] = []
        for bound in parse.dates:
            s, e = parse.unit_range(bound.start, bound.end)
            if abs(s - end) <= 3 or abs(start - e) <= 3:
                narrowed = [i for i in ids if date_matches(bound, str(ctx.index.nodes[i].properties.get("issued", "")))]
                if narrowed:
                    ids, used = narrowed, [*used, bound]
        parse.dates = [d for d in parse.dates if d not in used]
        lo = min([start, *(parse.unit_range(d.start, d.end)[0] for d in used)])
        hi = max([end, *(parse.unit_range(d.start, d.end)[1] for d in used)])
        if ids:
            text = ("" if parse.lang == "zh" else " ").join(u.text for u in parse.units[lo:hi])
            found.append(Anchor(tuple(sorted(ids)), schema.document_type, text, lo, hi, "kind"))
            parse.terms = [t for t in parse.terms if t[0] != start]
    return found


# ------------------------------------------------------------------ answer type
def _answer_span(parse: Parse, anchors: list[Anchor], ctx: Context) -> list[tuple[int, int, list[Term]]]:
    """The type words the question asks for: after 'which/what/how many/哪些/几', else before '有哪些'."""
    typed = [span for span in parse.terms if _is_type(span[2])]
    if not typed:
        return []
    anchored = {i for a in anchors for i in range(a.start, a.end)}
    units = parse.units

    def group_from(first: tuple[int, int, list[Term]]) -> list[tuple[int, int, list[Term]]]:
        group = [first]
        position = first[1]
        joined = False
        while position < len(units):
            span = _term_at(parse, position)
            if span is None:
                break
            if _is_type(span[2]) and span[0] not in anchored and (joined or _listed(parse, group[-1][1], span[0])):
                group.append(span)
                joined = False
            elif _only_grammar(span[2], {"conj"}):
                joined = True
            else:
                break
            position = span[1]
        return group

    wh = [i for i, u in enumerate(units) if u.key in WH_EN or u.key in WH_ZH or u.key in WHO]
    if wh and units[wh[0]].key in WHO:
        return []  # 'who …': the answer is whoever issued, signed or took part
    for position in wh:
        cursor = position + 1
        while cursor < len(units):
            span = _term_at(parse, cursor)
            if span is None or cursor in anchored:
                break
            if _is_type(span[2]):
                return group_from(span)
            if not (_only_grammar(span[2], SKIPPABLE_CUES) or _roles(span[2]) == {"relation"}) and (
                units[cursor].key not in WH_ZH
            ):
                break
            cursor = span[1]
    # Chinese "…的X有哪些", or the first free type word
    free = [
        span
        for span in typed
        if span[0] not in anchored
        and not any(
            _next_to(parse, (span[0], span[1]), (a.start, a.end))
            and {t.value for t in span[2] if t.role == "type"} & {ctx.index.nodes[i].type for i in a.ids}
            for a in anchors
        )
    ]
    if not free:
        return []
    if parse.lang == "zh" and wh:
        before = [span for span in free if span[1] <= wh[0]]
        if before:
            last = before[-1]
            group = [s for s in free if s[1] <= last[1] and _joined(parse, s, last)]
            return group or [last]
    return group_from(free[0])


def _listed(parse: Parse, end: int, start: int) -> bool:
    """Whether two adjacent type words are items of a list ('pilots, model projects'): a comma between."""
    if start != end or end == 0 or start >= len(parse.units):
        return False
    return any(mark in parse.text[parse.units[end - 1].end : parse.units[start].start] for mark in ",、;/")


def _joined(parse: Parse, first: tuple[int, int, list[Term]], last: tuple[int, int, list[Term]]) -> bool:
    """Whether type words first..last form one list (only conjunctions and type words between them)."""
    position = first[1]
    while position < last[0]:
        span = _term_at(parse, position)
        if span is None or not (_is_type(span[2]) or _only_grammar(span[2], {"conj"})):
            return False
        position = span[1]
    return True


def _types_of(group: list[tuple[int, int, list[Term]]]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The answer types and kinds a group of type words asks for (kinds dropped when a list mixes them)."""
    schema = load_schema()
    types: dict[str, set[str] | None] = {}
    for _, _, terms in group:
        term = (_type_terms(terms) or [terms[0]])[0]
        kind_terms = [t for t in _type_terms(terms) if t.role == "kind"]
        plain = [t for t in _type_terms(terms) if t.role == "type"]
        if plain:
            term = plain[0]
        if term.role == "kind" and not plain:
            current = types.get(term.detail, set())
            if term.detail in types and current is None:
                continue
            types[term.detail] = (current or set()) | {k.value for k in kind_terms if k.detail == term.detail}
            if len(group) > 1 and any(
                _type_terms(t)[0].detail == term.detail
                for _, _, t in group
                if _type_terms(t) and _type_terms(t)[0] is not term
            ):
                types[term.detail] = None
        else:
            types[term.value] = None
    if schema.entity_class in types:
        return tuple(schema.node_types), ()
    kinds: set[str] = set()
    for value in types.values():
        if value:
            kinds |= value
    if any(v is None for v in types.values()) and kinds:
        kinds = {k for t, v in types.items() if v for k in v}
    return tuple(types), tuple(sorted(kinds))


# ------------------------------------------------------------------ fuzzy names
def _fuzzy_anchor(
    parse: Parse, ctx: Context, allowed: set[str] | None, preferred: set[str], asked: set[int]
) -> list[Anchor]:
    """The entity the question's leftover words name, when no exact name was found for them.

    Candidates of a type named right next to the words ('the goal of …', '… 计划') come first, then
    those of a type the question's relation words lead to, then the rest; best score within each.
    """
    meaningful = [i for i in parse.content if _meaningful(parse.units[i].key)]
    if not meaningful:
        return []
    anchored = {i for a in parse.anchors for i in range(a.start, a.end)}
    inside = range(min(meaningful), max(meaningful) + 1)
    content = {
        parse.units[i].key
        for i in inside
        if i not in anchored
        and i not in asked
        and _meaningful(parse.units[i].key)
        and ((span := _term_at(parse, i)) is None or not _only_grammar(span[2], {"stop"}))
    }
    if not content:
        return []
    question = {u.key for u in parse.units}
    adjacent = _adjacent_types(parse, min(meaningful), max(meaningful) + 1, asked)
    common = all(ctx.index.weight(u) < ctx.index.common_weight(COMMON_SHARE) for u in content)
    scored = ctx.index.fuzzy(question, content, allowed)
    leftover = {parse.units[i].key for i in meaningful}  # a match must use a word nothing else explains
    candidates = [
        c
        for c in scored
        if c.score >= (MIN_HINTED if c.type in adjacent else MIN_FUZZY)
        and (c.type in adjacent or not common)
        and c.matched & leftover
    ]
    if not candidates:
        return []
    candidates.sort(key=lambda c: (c.type not in adjacent, c.type not in preferred, -c.score, c.id))
    best = candidates[0]
    if any(best.id in anchor.ids for anchor in parse.anchors):
        return []  # the words belong to a name the question already gives ('…构建行动有哪些具体任务': 具体)
    close = [best] + [
        c
        for c in scored
        if c is not best and c.type == best.type and c.score >= max(MIN_ALTERNATIVE, best.score - ALTERNATIVE_MARGIN)
    ]
    positions = [i for i in parse.content if parse.units[i].key in best.matched]
    parse.content = [i for i in parse.content if i not in positions]
    start, end = (min(positions), max(positions) + 1) if positions else (0, 0)
    text = ("" if parse.lang == "zh" else " ").join(parse.units[i].text for i in positions)
    return [Anchor(tuple(c.id for c in close), best.type, text, start, end, "fuzzy")]


def _fuzzy_anchors(
    parse: Parse, ctx: Context, allowed: set[str] | None, preferred: set[str], asked: set[int]
) -> list[Anchor]:
    """The fuzzy name of the leftover words; when they name nothing together, each run of them on its own
    ('升级方案中面向文旅的举措': 升级 names the plan, 文旅 the industry)."""
    found = _fuzzy_anchor(parse, ctx, allowed, preferred, asked)
    runs = [list(run) for run in _runs(parse.content)]
    if found or len(runs) < 2:
        return found
    left: list[int] = []
    for run in runs:
        parse.content = run
        found += _fuzzy_anchor(parse, ctx, allowed, preferred, asked)
        left += parse.content
    parse.content = sorted(left)
    return found


def _runs(positions: list[int]) -> list[list[int]]:
    """Consecutive positions, grouped."""
    runs: list[list[int]] = []
    for position in sorted(positions):
        if runs and position == runs[-1][-1] + 1:
            runs[-1].append(position)
        else:
            runs.append([position])
    return runs


def _absorbed(parse: Parse, ctx: Context, anchors: list[Anchor], fuzzy: list[Anchor]) -> list[Anchor]:
    """Exact names inside or touching a fuzzy name whose words are all part of it were words of that longer
    name ('information consumption' in 'the information consumption upgrade action'; '工业' in
    '大型工业企业5G应用渗透率'), not names of their own."""
    kept: list[Anchor] = []
    for anchor in anchors:
        words = {parse.units[i].key for i in range(anchor.start, anchor.end)}
        if anchor.method == "exact" and words and any(_inside(ctx, words, anchor, longer) for longer in fuzzy):
            continue
        kept.append(anchor)
    return kept


def _inside(ctx: Context, words: set[str], anchor: Anchor, longer: Anchor) -> bool:
    touching = anchor.start <= longer.end and longer.start <= anchor.end
    return touching and any(words <= set(keys(name)) for name in ctx.index.nodes[longer.ids[0]].all_names())


def _adjacent_types(parse: Parse, start: int, end: int, asked: set[int]) -> set[str]:
    """Type words just before or after units start..end (at most three units between, none a type word),
    other than the type words the question asks for."""
    found: set[str] = set()
    for s, e, terms in parse.terms:
        if s in asked:
            continue
        if e <= start:
            between = range(e, start)
        elif s >= end:
            between = range(end, s)
        else:  # a type word among the leftover words describes them too ('扬帆计划由几个部门…')
            between = range(0)
        if len(between) > 3:
            continue
        typed = [(span := _term_at(parse, i)) is not None and _is_type(span[2]) for i in between]
        # English compounds take their head last: in 'the key industry category' the words name a category
        compound = parse.lang == "en" and s >= end and bool(typed) and all(typed)
        if not any(typed) or compound:
            found |= {t.value for t in terms if t.role == "type"} | {t.detail for t in terms if t.role == "kind"}
    return found


def _meaningful(key: str) -> bool:
    return len(key) > 1 or not key.isascii()


# ------------------------------------------------------------------ linking
def _cue_relations(parse: Parse) -> set[str]:
    return {t.value for _, _, terms in parse.terms for t in terms if t.role == "relation"}


def _choose_path(
    answer: str,
    anchor_type: str,
    cues: set[str],
    parse: Parse,
    stated: Callable[[tuple[Step, ...]], bool] | None = None,
) -> tuple[tuple[Step, ...], bool] | None:
    """The relation path from the answer type to the anchor's type the question most likely means.
    With `stated`, among the paths the question's words fit equally well, the first whose step at
    the anchor the graph states (a plan's issuer is stated on the plan by an extracted draft, on
    its documents by the curated plans)."""
    schema = load_schema()
    hierarchy = schema.hierarchy_relation
    paths = type_paths(answer, anchor_type)
    if not paths:
        return None
    named = named_steps()

    def score(path: tuple[Step, ...]) -> tuple[int, int, int, int]:
        cue_hits = sum(1 for step in path if step.relation in cues)
        is_named = int(len(path) == 1 and (anchor_type, path[0].relation, path[0].direction) in named)
        return (cue_hits, is_named, -len(path), 0)

    if answer == anchor_type and any(p[0].relation == hierarchy for p in paths):
        broader = parse.has("cue", "broader")
        narrower = parse.has("cue", "narrower") or (hierarchy in cues and not broader)
        if narrower or broader:
            direction = IN if broader and not narrower else OUT
            return (Step(hierarchy, direction),), True
    ranked = sorted((p for p in paths if p[0].relation != hierarchy), key=score, reverse=True)
    if not ranked:
        if answer == anchor_type and any(p[0].relation == hierarchy for p in paths):
            return (Step(hierarchy, OUT),), True  # 'which industries belong to energy': the concepts below it
        return None
    if stated is not None:
        best_hits = score(ranked[0])[0]
        longer = [p for p in type_paths(answer, anchor_type, beyond_shortest=1) if p not in paths]
        fitting = [p for p in [*ranked, *sorted(longer, key=score, reverse=True)] if score(p)[0] == best_hits]
        return next((p for p in fitting if p[0].relation != hierarchy and stated(p)), ranked[0]), False
    return ranked[0], False


def _stated_at(ctx: Context, anchor: Anchor, anchor_type: str, answer: str) -> Callable[[tuple[Step, ...]], bool]:
    """Whether following a path back from the anchor's entities reaches an entity of the answer's type."""

    def stated(path: tuple[Step, ...]) -> bool:
        found = reached(ctx.store, anchor.ids, path, widens(anchor_type, path[-1].relation))
        if any(node.type == answer for node in ctx.store.get_many(sorted(found)).values()):
            return True
        named = named_steps().get((anchor_type, path[0].relation, path[0].direction)) if len(path) == 1 else None
        if named is None:
            return False
        start = ctx.store.get(anchor.ids[0])
        # A named question also answers with what the graph derives (kept apart, labelled derived).
        return start is not None and any(
            item.entity.type == answer for item in derived_answers(ctx.store, named, start, set())
        )

    return stated


def _negated(parse: Parse, anchor: Anchor, anchors: list[Anchor]) -> bool:
    """A negation word governs the next name in English ('but not in the final version') and the name
    before it in Chinese ('终稿中没有'), within a few words."""
    negations = [s for s, _, terms in parse.terms if any(t.role == "cue" and t.value == "negation" for t in terms)]
    for position in negations:
        after = [a for a in anchors if 0 < a.start - position <= 4]
        before = [a for a in anchors if 0 <= position - a.end < 4]
        if parse.lang == "zh":
            governed = max(before, key=lambda a: a.end) if before else min(after, key=lambda a: a.start, default=None)
        else:
            governed = min(after, key=lambda a: a.start) if after else max(before, key=lambda a: a.end, default=None)
        if governed is anchor:
            return True
    return False


def _plan_of(ctx: Context, document: str) -> set[str]:
    return {e.source for e in ctx.store.edges_of([document], load_schema().version_relation, IN)}


def _scope(ctx: Context, anchors: list[Anchor]) -> list[Anchor]:
    """Narrow references (a kind of document, a numbered measure) to the plan the question also names."""
    schema = load_schema()
    plans = {
        i
        for a in anchors
        if a.method in ("exact", "fuzzy")
        for i in a.ids
        if ctx.index.nodes[i].type == schema.plan_type
    }
    plans |= {
        p
        for a in anchors
        if a.method in ("exact", "fuzzy", "kind") and len(a.ids) == 1
        for p in _plan_of(ctx, a.ids[0])
        if ctx.index.nodes[a.ids[0]].type == schema.document_type
    }
    used: set[int] = set()
    scoped: list[Anchor] = []
    for anchor in anchors:
        if anchor.method in ("number", "kind") and plans:
            if anchor.type == schema.document_type:
                keep = [i for i in anchor.ids if _plan_of(ctx, i) & plans]
            else:
                owned = {e.target for e in ctx.store.edges_of(plans, None, OUT)}
                keep = [i for i in anchor.ids if i in owned]
            if keep:
                anchor = replace(anchor, ids=tuple(keep))
                if anchor.method == "number":
                    used |= {id(a) for a in anchors if a.method in ("exact", "fuzzy") and set(a.ids) & plans}
        scoped.append(anchor)
    return [a for a in scoped if id(a) not in used]


def read(parse: Parse, ctx: Context) -> list[Reading]:
    """The readings of a parsed question, best first; NotUnderstood when there is none."""
    schema = load_schema()
    anchors = list(parse.anchors)
    anchors += _numbered_references(parse, ctx)
    anchors += _document_references(parse, ctx)
    group = _answer_span(parse, anchors, ctx)
    asked_spans = {s for s, _, _ in group}
    anchors = _absorb_type_words(parse, anchors, ctx, asked_spans)
    types, kinds = _types_of(group)
    if not types and parse.has("cue", "who"):
        types = tuple(t for t in schema.node_types if t in ("Organization",)) or ()
    cues = _cue_relations(parse)
    if not types:
        types = _infer_types(parse, anchors, cues, ctx)
    if parse.content:
        allowed: set[str] | None = None
        preferred: set[str] = set()
        if types:
            allowed = {other for t in types for other in schema.node_types if type_paths(t, other)}
            preferred = {
                other
                for t in types
                for other in allowed
                if any(step.relation in cues for path in type_paths(t, other) for step in path)
            }
        asked = {i for s, e, _ in group for i in range(s, e)}
        fuzzy = _fuzzy_anchors(parse, ctx, allowed, preferred, asked)
        anchors = _absorbed(parse, ctx, anchors, fuzzy) + fuzzy
    if not types:
        types = _infer_types(parse, anchors, cues, ctx)
    if not types:
        raise NotUnderstood(
            "no kind of answer (standards, goals, measures, …) was recognised",
            "没有识别出要问的对象（标准、目标、举措……）",
        )
    anchors = _scope(ctx, anchors)
    for i, anchor in enumerate(anchors):
        anchors[i] = replace(anchor, negated=_negated(parse, anchor, anchors))
    # 'the final version' / 终稿 only means something beside a draft: a plan with several versions is meant
    anchors = [a if a.method != "kind" else _contrastable(ctx, [a])[0] for a in anchors]
    if parse.has("cue", "dropped") and not any(a.negated for a in anchors):
        anchors = _contrastable(ctx, anchors)
        anchors = [replace(a, negated=True) if a.type == schema.document_type else a for a in anchors]
        anchors += [replace(a, negated=False, method="dropped") for a in _other_versions(ctx, anchors)]
    elif parse.has("cue", "only") and not any(a.negated for a in anchors):
        anchors = _contrastable(ctx, anchors)
        anchors += _other_versions(ctx, anchors)
    _asks_for_the_unknown(parse, ctx)
    return _readings(parse, ctx, anchors, types, kinds, cues)


def _asks_for_the_unknown(parse: Parse, ctx: Context) -> None:
    """Decline a question whose asked-for word the graph has never seen: 'What is the budget of the Sailing
    plan?', 'Which companies build…', 'Summarise the plan', '扬帆计划的预算是多少' — guessing an answer for the
    rest of the words would answer a question nobody asked."""
    left = set(parse.content)
    unknown = [i for i in left if _meaningful(parse.units[i].key) and not ctx.index.knows(parse.units[i].key)]
    if not unknown:
        return
    if parse.lang == "zh":
        # a leftover run of two or more characters with one the graph has never used: a word it does not hold
        for run in _runs(sorted(left)):
            if len(run) >= 2 and any(i in unknown for i in run):
                word = "".join(parse.units[i].text for i in run)
                raise NotUnderstood(f"the graph holds nothing on “{word}”", f"图谱中没有关于“{word}”的内容")
        return
    first = next((i for i, u in enumerate(parse.units) if not _is_grammar(parse, i)), None)
    if first is not None and first in unknown:
        word = parse.units[first].text
        raise NotUnderstood(f"the graph holds nothing on “{word}”", f"图谱中没有关于“{word}”的内容")


def _is_grammar(parse: Parse, position: int) -> bool:
    """A question word, a stop word or a count/list cue: what a question opens with before its subject."""
    span = _term_at(parse, position)
    key = parse.units[position].key
    return key in WH_EN or (span is not None and _only_grammar(span[2], {"stop", "all", "count"}))


def _siblings(ctx: Context, document: str) -> set[str]:
    """The other versions of the plan(s) a document is a version of."""
    plans = _plan_of(ctx, document)
    return {e.target for e in ctx.store.edges_of(plans, load_schema().version_relation, OUT)} - {document}


def _contrastable(ctx: Context, anchors: list[Anchor]) -> list[Anchor]:
    """'Only in the final version' contrasts versions of one plan: a document reference that fits several
    plans' documents keeps those whose plan has another version (when some do)."""
    schema = load_schema()
    result: list[Anchor] = []
    for anchor in anchors:
        if anchor.type == schema.document_type and len(anchor.ids) > 1:
            keep = tuple(i for i in anchor.ids if _siblings(ctx, i))
            anchor = replace(anchor, ids=keep or anchor.ids)
        result.append(anchor)
    return result


def _other_versions(ctx: Context, anchors: list[Anchor]) -> list[Anchor]:
    """The other versions of the one document the question names, as negated anchors ('only in …')."""
    schema = load_schema()
    docs = [a for a in anchors if a.type == schema.document_type and len(a.ids) == 1]
    if len(docs) != 1:
        return []
    others = sorted(_siblings(ctx, docs[0].ids[0]))
    return [
        Anchor((other,), schema.document_type, other, docs[0].end, docs[0].end, "only", negated=True)
        for other in others
    ]


def _renamed(parse: Parse, ctx: Context, anchor: Anchor, span: tuple[int, int, list[Term]]) -> Anchor | None:
    """A name followed or preceded by a type word of another type may be part of a longer name of that
    type: 'the Industrial Internet action plan' names the plan, not the industry 'Industrial Internet'.
    The name's words with the type word's are matched against names of that type only."""
    start, end, terms = span
    wanted = {t.value for t in terms if t.role == "type"}
    if not wanted:
        return None
    named = {parse.units[i].key for i in range(anchor.start, anchor.end)}
    words = named | {parse.units[i].key for i in range(start, end)}
    found = [c for c in ctx.index.fuzzy(words, named, wanted) if c.score >= MIN_HINTED and named <= c.matched]
    if not found:
        return None
    best = found[0]
    close = [c.id for c in found if c.type == best.type and c.score >= best.score - ALTERNATIVE_MARGIN]
    first, last = min(start, anchor.start), max(end, anchor.end)
    text = ("" if parse.lang == "zh" else " ").join(parse.units[i].text for i in range(first, last))
    return Anchor(tuple(close), best.type, text, first, last, "fuzzy")


def _absorb_type_words(parse: Parse, anchors: list[Anchor], ctx: Context, asked: set[int]) -> list[Anchor]:
    """A type word right next to a name describes the name ('the media sector', '能源行业'), not the answer."""
    result: list[Anchor] = []
    for anchor in anchors:
        types = {ctx.index.nodes[i].type for i in anchor.ids}
        hints: list[str] = []
        for span in list(parse.terms):
            start, end, terms = span
            if start in asked:
                continue
            near = _next_to(parse, (start, end), (anchor.start, anchor.end))
            if not near:
                continue
            matching = [t for t in terms if t.role == "type" and t.value in types]
            if matching:
                hints.append(matching[0].value)
                parse.terms.remove(span)
            elif anchor.method == "exact" and (renamed := _renamed(parse, ctx, anchor, span)) is not None:
                anchor, types = renamed, {renamed.type}
                hints.append(renamed.type)
                parse.terms.remove(span)
        if hints and len(types) > 1:
            narrowed = tuple(i for i in anchor.ids if ctx.index.nodes[i].type in hints)
            anchor = replace(anchor, ids=narrowed or anchor.ids)
        if len({ctx.index.nodes[i].type for i in anchor.ids}) == 1:
            anchor = replace(anchor, type=ctx.index.nodes[anchor.ids[0]].type)
        result.append(replace(anchor, hints=tuple(hints)))
    return result


def _next_to(parse: Parse, first: tuple[int, int], second: tuple[int, int]) -> bool:
    """Whether two spans touch, or only up to two grammar words ('the', 'of', '这个', '的') lie between."""
    gap = range(first[1], second[0]) if first[1] <= second[0] else range(second[1], first[0])
    if len(gap) > 2:
        return False
    return all((span := _term_at(parse, i)) is not None and _only_grammar(span[2], {"stop"}) for i in gap)


def _infer_types(parse: Parse, anchors: list[Anchor], cues: set[str], ctx: Context) -> tuple[str, ...]:
    """No type word asked for: the types every named entity and relation word agree on."""
    schema = load_schema()
    if not anchors:
        return ()
    candidates: set[str] | None = None
    for anchor in anchors:
        types = {ctx.index.nodes[i].type for i in anchor.ids}
        possible: set[str] = set()
        for key in cues:
            relation = schema.relation(key)
            if types & set(relation.range):
                possible |= set(relation.domain)
            if types & set(relation.domain):
                possible |= set(relation.range)
        if not possible:
            # a type word inside the name ('basic common standards'): the things of that type it groups
            inner = [t.value for t in _lex_inside(parse, anchor) if t.role == "type" and t.value not in types]
            possible = set(inner[-1:])  # the head noun: the last type word of the name
        candidates = possible if candidates is None else candidates & possible
    return tuple(sorted(candidates or ()))


def _lex_inside(parse: Parse, anchor: Anchor) -> list[Term]:
    from plankg.graph.ask.lexicon import lexicon

    phrases = lexicon().phrases
    keys_ = [u.key for u in parse.units[anchor.start : anchor.end]]
    found: list[Term] = []
    for i in range(len(keys_)):
        for j in range(i + 1, len(keys_) + 1):
            found.extend(phrases.get(tuple(keys_[i:j]), []))
    return found


def _readings(
    parse: Parse, ctx: Context, anchors: list[Anchor], types: tuple[str, ...], kinds: tuple[str, ...], cues: set[str]
) -> list[Reading]:
    schema = load_schema()
    choices = [[replace(a, ids=(i,)) for i in _ranked(parse, ctx, a, types, cues)[:MAX_READINGS]] for a in anchors]
    readings: list[Reading] = []
    for combination in itertools.islice(itertools.product(*choices), MAX_READINGS):
        constraints: list[Constraint] = []
        for anchor in combination:
            constraint = _link(parse, anchor, types, cues, ctx)
            if constraint is None:
                zh_types = "、".join(schema.node_type(t).labels.get("zh") or t for t in types)
                raise NotUnderstood(
                    f"nothing links {', '.join(types)} to “{anchor.text}”",
                    f"没有关系把{zh_types}与“{anchor.text}”联系起来",
                )
            constraints.append(constraint)
        constraints += _quantities(parse, types)
        for _, _, terms in parse.terms:
            constraints += [Constraint("status", status=t.value) for t in terms if t.role == "status"]
        list_all = parse.has("cue", "all") or parse.has("cue", "count")  # "list all standards", "how many standards"
        if not constraints and not (list_all and types):
            raise NotUnderstood(
                "the question names nothing in the graph to start from", "问题中没有提到图谱中的任何实体"
            )
        readings.append(
            Reading(
                types,
                kinds,
                tuple(constraints),
                count=parse.has("cue", "count"),
                list_all=list_all,
                named_query=_named(constraints, types),
            )
        )
    if not readings:
        raise NotUnderstood("no reading", "没有可行的理解")
    del schema
    return readings


def _ranked(parse: Parse, ctx: Context, anchor: Anchor, types: tuple[str, ...], cues: set[str]) -> list[str]:
    """An ambiguous name's candidates, best first: the kind or type its own words name ('…征求意见稿',
    '…行动计划'), a type named next to it, then the one the question's relation words link best."""
    if len(anchor.ids) == 1:
        return list(anchor.ids)
    inside = _lex_inside(parse, anchor)
    kinds = {t.value for t in inside if t.role == "kind"}
    inner_types = {t.value for t in inside if t.role == "type"}

    order = {entity: position for position, entity in enumerate(anchor.ids)}

    def key(entity: str) -> tuple[int, int, int, int, tuple[int, int, int], int]:
        node = ctx.index.nodes[entity]
        link = max((_path_score(t, node.type, cues, parse) for t in types), default=(0, 0, 0))
        return (
            -int(node.properties.get("kind") in kinds),
            -int(node.type in anchor.hints),
            -int(node.type in inner_types),
            0,
            (-link[0], -link[1], -link[2]),
            order[entity],  # then as found: best name match first
        )

    return sorted(anchor.ids, key=key)


def _path_score(answer: str, anchor_type: str, cues: set[str], parse: Parse) -> tuple[int, int, int]:
    chosen = _choose_path(answer, anchor_type, cues, parse)
    if chosen is None:
        return (-1, 0, -9)
    path = chosen[0]
    named = int(len(path) == 1 and (anchor_type, path[0].relation, path[0].direction) in named_steps())
    return (sum(1 for step in path if step.relation in cues), named, -len(path))


def _named(constraints: list[Constraint], types: tuple[str, ...]) -> str | None:
    if len(constraints) != 1 or constraints[0].kind != "relation" or len(constraints[0].path) != 1:
        return None
    constraint = constraints[0]
    assert constraint.anchor is not None
    step = constraint.path[0]
    return named_steps().get((constraint.anchor.type, step.relation, step.direction))


def _link(parse: Parse, anchor: Anchor, types: tuple[str, ...], cues: set[str], ctx: Context) -> Constraint | None:
    schema = load_schema()
    anchor_type = ctx.index.nodes[anchor.ids[0]].type
    anchor = replace(anchor, type=anchor_type)
    is_document = anchor_type == schema.document_type
    provenance = any(parse.has("cue", cue) for cue in ("provenance", "only", "dropped")) or anchor.negated
    if is_document and provenance and not (cues & {"issued_by", schema.version_relation, "cites", "supersedes"}):
        return Constraint("provenance", anchor=anchor, negated=anchor.negated)
    for answer in types:
        chosen = _choose_path(answer, anchor_type, cues, parse, _stated_at(ctx, anchor, anchor_type, answer))
        if chosen is None:
            continue
        path, transitive = chosen
        return Constraint(
            "relation",
            anchor=anchor,
            path=path,
            widen=widens(anchor_type, path[-1].relation),
            transitive=transitive,
            negated=anchor.negated,
        )
    if is_document:
        return Constraint("provenance", anchor=anchor, negated=anchor.negated)
    return None


def _quantities(parse: Parse, types: tuple[str, ...]) -> list[Constraint]:
    """Comparisons on numbers and bounds on dates, on the property that takes them."""
    schema = load_schema()
    named = [t.value for _, _, terms in parse.terms for t in terms if t.role == "property"]
    found: list[Constraint] = []

    def property_for(kind: str) -> str | None:
        for key in named:
            if schema.property_types[key].value_kind == kind:
                return key
        preferred = {"number": "target_value", "date": "deadline"}[kind]
        if kind == "date" and schema.document_type in types and "issued" in schema.property_types:
            return "issued"
        return preferred if preferred in schema.property_types else None

    for comparison in parse.comparisons:
        key = property_for("number")
        if key:
            found.append(_property(key, types, comparison=comparison))
    for bound in parse.dates:
        key = property_for("date")
        if key:
            found.append(_property(key, types, date=bound))
    return [c for c in found if c is not None]


def _property(key: str, types: Iterable[str], **condition: object) -> Constraint:
    schema = load_schema()
    domain = schema.property_types[key].domain
    via: tuple[Step, ...] = ()
    for answer in types:
        if answer in domain:
            via = ()
            break
        for owner in domain:
            paths = type_paths(answer, owner)
            if paths:
                via = paths[0]
                break
    return Constraint("property", prop=key, via=via, **condition)  # type: ignore[arg-type]
