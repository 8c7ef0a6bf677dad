"""Entity rules: each function reads the blocks of a text and proposes entities of one family.

- document_rules: the plan and its Document, the notice's issuer, other documents named (《…》, Title Case)
- goal_rules: in a goals section, headings → Goals, qualitative clauses → Goals, clauses with a figure → Indicators
- measure_rules: in a tasks / safeguards section, headings → Measures, numbered items → sub-Measures,
  figures stated with a comparator in an item → Indicators
- mention_rules: Organizations, TechnologyAreas, Industries, Programs, DemonstrationCenters, Standards
  named anywhere, from the lexicon, the graph's vocabulary and naming patterns
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from plankg.loaders.extract import lexicon, numbers
from plankg.loaders.extract.proposals import Proposal, Proposals
from plankg.loaders.extract.structure import Block, sentences
from plankg.model.resolver import name_key

CJK = r"\u4e00-\u9fff"
NAME_CHARS = rf"[{CJK}A-Za-z0-9\-+]"
QUANTITY_PREFIX = re.compile(
    rf"^(?:[\d{numbers.CN_NUM}]+(?:个|家|项|批|大|类|种)|一批|一系列|一些|若干|多个|各类|各|更多|有关|相关)"
)
GENERIC_NAMES = {
    "部分",
    "一些",
    "若干",
    "重点",
    "有关",
    "相关",
    "其他",
    "其余",
    "各类",
    "该",
    "本",
    "上述",
    "关键",
    "新型",
    "各项",
    "其",
    "大",
}
LEAD_IN = re.compile(
    r"([：:]$|具体包括|主要目标(?:如下|是)|如下|以下几|as follows|the following)|([\d一二三四五六七八九十两]+个?方面|\b(?:two|three|four|five|six|seven)\s+(?:areas|aspects)\b)",  # noqa: E501
    re.I,
)
TIME_LEAD = re.compile(
    r"^(?:(?:力争)?(?:到|至|在)?\s*(?:19|20)\d{2}\s*年(?:\d{1,2}月)?[底末前]?|用[一二三四五六七八九十两\d]+年(?:左右)?(?:的)?时间|"
    r"力争|(?:by|before|until)\s+(?:(?:the\s+)?end\s+of\s+)?(?:19|20)\d{2}|over the next \w+ years|within \w+ years)[，,]?\s*",  # noqa: E501
    re.I,
)
ZH_MERGE_PREV = re.compile(r"^(?:数量|规模|总量|比例|比重|其数量|其规模)")
VERB_ALT = "|".join(sorted(lexicon.VERBS_ZH, key=len, reverse=True))
VERB_RE = re.compile(f"(?:{VERB_ALT})")
EN_STOP = set(
    ["the", "a", "an", "of", "in", "on", "and", "or", "for", "to", "with", "by", "at", "from", "as", "into", "onto", "its", "their", "this", "that", "these", "those", "all", "each", "every", "build", "building", "built", "set", "setting", "carry", "carrying", "out", "support", "supporting", "promote", "promoting", "select", "selecting", "establish", "establishing", "cultivate", "cultivating", "create", "creating", "develop", "developing", "launch", "launching", "implement", "implementing", "deepen", "deepening", "explore", "exploring", "study", "studying", "plan", "planning", "guide", "guiding", "speed", "up", "improve", "improving", "strengthen", "strengthening", "formulate", "formulating", "accelerate", "accelerating", "lay", "laying", "treat", "key", "major", "group", "batch", "number", "more", "such", "other", "related", "relevant", "new", "will", "be", "is", "are", "was", "were", "has", "have", "national-level", "encouraged", "encourage", "local", "governments", "governments"]  # noqa: E501
) | {"it", "they", "we", "also", "supports", "promotes", "encourages", "calls", "launches", "builds", "sets", "develops",  # noqa: E501
     "establishes", "carries", "aims", "plans", "includes", "including", "covers", "covering", "such"}  # fmt: skip


EN_ADJECTIVES = {"whole", "entire", "key", "related", "upstream", "downstream", "domestic", "global", "national", "local",  # noqa: E501
                 "new", "industrial", "modern", "complete", "existing", "supply"}  # fmt: skip


# ----------------------------------------------------------------------------- helpers
def clean_label(text: str) -> str:
    return text.strip(" \t，,。；;：:、.")


def zh_name_before(text: str, end: int, limit: int = 16) -> tuple[int, str]:
    """The Chinese noun phrase that ends at `end`: back to punctuation, then after the last verb or 的."""
    start = end
    while start > 0 and end - start < limit and re.match(NAME_CHARS, text[start - 1]):
        start -= 1
    chunk = text[start:end]
    cut = 0
    for match in VERB_RE.finditer(chunk):
        if len(chunk) - match.end() >= 2:
            cut = max(cut, match.end())
    chunk = chunk[cut:]
    start += cut
    if chunk in lexicon.VERBS_ZH:
        return end, ""
    prefix = QUANTITY_PREFIX.match(chunk)
    if prefix:
        start += prefix.end()
        chunk = chunk[prefix.end() :]
    return start, chunk


def ends_with_verb(name: str) -> bool:
    return any(name.endswith(verb) for verb in lexicon.VERBS_ZH if len(verb) > 1) or name in lexicon.VERBS_ZH


def en_title_before(text: str, end: int) -> tuple[int, str]:
    """A Title Case name that ends at `end` (Industrial Internet Innovation and Development Project)."""
    match = re.search(r"((?:[A-Z][\w-]*|of|and|for|the|on)\s+)*$", text[max(0, end - 160) : end])
    name = match.group(0) if match else ""
    while name.split(" ", 1)[0] in ("of", "and", "for", "the", "on", "The"):
        name = name.split(" ", 1)[1] if " " in name else ""
    return end - len(name), name.strip()


def en_name_before(text: str, end: int, max_words: int = 6) -> tuple[int, str]:
    """The English noun phrase that ends at `end`: words back to a function word, verb, number or punctuation."""
    start = end
    words = 0
    for match in reversed(list(re.finditer(r"[A-Za-z][\w+-]*|\d+G\b|\S", text[max(0, end - 120) : end]))):
        word = match.group(0)
        if not re.match(r"[A-Za-z0-9]", word) or word.lower() in EN_STOP or words >= max_words:
            break
        start = max(0, end - 120) + match.start()
        words += 1  # noqa: SIM113
    return start, text[start:end]


def _lang(text: str) -> str:
    cjk = sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff")
    return "zh" if cjk >= max(1, len(text) // 20) else "en"


def block_segments(block: Block) -> Iterator[tuple[int, str]]:
    """The block's body text with its document offset."""
    yield block.body_start, block.body


# ----------------------------------------------------------------------------- document rules
ZH_NOTICE = re.compile(
    r"^(?P<org>[^《》，。]{2,40}?)关于印发(?:[《“](?P<title>[^》”]+)[》”]|(?P<bare>[^《》“”，。]{4,60}?)的通知$)"
)
"""'X关于印发《Y》的通知', or without the title marks: 'X关于印发Y的通知'."""
ZH_TITLE = re.compile(r"《(?P<title>[^》]{2,80})》")
EN_PLAN_PHRASE = re.compile(
    r"\b(?:released|issued|unveiled|published|launched|announced|rolled out)\s+(?:an?|the|its)\s+"
    r"(?P<title>(?:[\w-]+\s+){0,3}?(?:action plan|plan|programme|guideline|guidelines)\s+(?:for|on|to)\s+"
    r"[^.,;()]{5,90}?)(?=\s+(?:on|in|by|at)\s+(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|\d)|[.,;(]|$)"
)
"""A plan a report describes: '… released an action plan on high-quality computing infrastructure on Monday.'"""
ZH_ISSUED_TITLE = re.compile(r"(?:印发|发布|出台|公布|推出)了?《(?P<title>[^》]{4,60})》")
EN_ISSUED_BY = re.compile(
    r"^(?:Jointly\s+)?(?:Issued|Released|Published|Promulgated)\s+(?:jointly\s+)?by\s+(?:the\s+)?"
    r"(?P<org>[A-Z][^,.;]*?)(?=,|\.|;|\s+on\s|\s+in\s+(?:19|20)\d\d|$)"
)
EN_NOTICE = re.compile(
    r"^Notice of (?:the )?(?P<org>.+?) on (?:Issuing|Printing and Distributing|Publishing) (?:the )?(?P<title>.+)$"
)
EN_TITLE = re.compile(
    r"(?P<title>(?:[A-Z][\w'’-]*|\"[^\"]+\"|of|on|and|the|to|for|in|\+)(?:\s+(?:[A-Z][\w'’-]*|\"[^\"]+\"|of|on|and|the|to|for|in|\+))*?\s+"
    r"(?:Action Plan|Work Plan|Implementation Plan|Plan|Guiding Opinions|Opinions|Guidelines|Outline|Strategy|Roadmap)"
    r"(?:\s+on\s+(?:[A-Z\"][\w\"'+-]*)(?:\s+(?:[A-Z\"+][\w\"'+-]*|to|the|of|and|for|in))*)?(?:\s*\((?:19|20)\d{2}\s*[-–]\s*(?:19|20)\d{2}\))?)"
)
TITLE_LINE_ZH = re.compile(
    rf"^[^。；，]{{4,60}}(?:{'|'.join(lexicon.DOCUMENT_HEADS_ZH)})(?:[（(](?:19|20)\d{{2}}[-—–~～至](?:19|20)\d{{2}}年?[)）])?"
    r"(?:[（(](?:节选|摘要|征求意见稿|试行|暂行|修订版?|全文)[)）])?$"
)
TITLE_LINE_EN = re.compile(
    r"^(?:[A-Z][^.;]{6,160}(?:Plan|Opinions|Guidelines|Outline|Strategy|Programme|Roadmap)|"
    r"(?:Action |Work |Implementation )?(?:Plan|Guidelines|Opinions|Outline|Programme) (?:for|on) [^.;]{6,160})"
    r"(?:\s*\((?:19|20)\d{2}\s*[-–]\s*(?:19|20)\d{2}\))?$"
)


def document_rules(props: Proposals, file_name: str, plan_title: str | None = None) -> tuple[Proposal, Proposal]:
    """The plan and its Document, the notice's issuer (issued_by), and other documents the text names."""
    text, blocks = props.text, props.blocks
    title = issuer = None
    title_span = (0, 0)
    title_block: Block | None = None
    for block in blocks[:6]:
        match = ZH_NOTICE.match(block.text) or EN_NOTICE.match(block.text)
        if match:
            issuer = (block, block.start + match.start("org"), block.start + match.end("org"))
            group = "title" if match.group("title") else "bare"
            title = match.group(group).strip()
            title_span = (block.start + match.start(group), block.start + match.end(group))
            title_block = block
            break
    if title is None:
        for block in blocks[:12]:
            if block.level is None and (TITLE_LINE_ZH.match(block.text) or TITLE_LINE_EN.match(block.text)):
                title, title_span, title_block = block.text, (block.start, block.end), block
                break
    if title is None:  # a report names the plan in prose: 'released an action plan on …', '联合印发《…》'
        for block in blocks[:4]:
            named = EN_PLAN_PHRASE.search(block.text) or ZH_ISSUED_TITLE.search(block.text)
            if named:
                title, title_block = named.group("title"), block
                title_span = (block.start + named.start("title"), block.start + named.end("title"))
                props.problems.append("no plan title found; the plan as the text describes it was taken")
                break
    if title is None and blocks and blocks[0].level in (1, None) and len(blocks[0].text) <= 80:
        first = blocks[0]
        title, title_span, title_block = first.title or first.text, (first.start, first.end), first
        props.problems.append("no plan title found (no 《…》 notice or title line); the first line was taken")
    if plan_title:
        title = plan_title
    if title is None:
        title = file_name
        props.problems.append("no plan title found; the file name was used — set the Plan's label when reviewing")
    confidence = 0.95 if title_block is not None else 0.4
    plan = props.add("Plan", title, title_block, *title_span, "doc.title", confidence, key="plan")
    document = props.add(
        "Document", title, title_block, *title_span, "doc.title", confidence, key="document",
        properties={"kind": "text"},
    )  # fmt: skip
    span = numbers.period(title)
    if span:
        plan.properties["description"] = f"{span[0]}-{span[1]}"
    if issuer is None:  # 'Issued by the Ministry of Transport and the Ministry of …, 12 March 2023.'
        for block in blocks[:6]:
            line = EN_ISSUED_BY.match(block.text)
            if line:
                issuer = (block, block.start + line.start("org"), block.start + line.end("org"))
                break
    if issuer is not None:
        block, start, end = issuer
        for part_start, part_end in _issuers(text, start, end):
            org = props.add("Organization", text[part_start:part_end], block, part_start, part_end,
                            "doc.notice-issuer", 0.9)  # fmt: skip
            # The notice issues the plan its text sets out: the draft states the plan's issuer.
            props.link(plan, "issued_by", org, props.evidence(block, block.start, block.end, "rel.notice-issuer", 0.9))
    plan_key = name_key(re.sub(r"[（(].*?[)）]", "", title))
    for block in blocks:
        for match in ZH_TITLE.finditer(block.text):
            _other_document(
                props, block, block.start + match.start("title"), block.start + match.end("title"), plan_key
            )
        if props.lang == "en":
            for match in EN_TITLE.finditer(block.text):
                start, end = block.start + match.start("title"), block.start + match.end("title")
                name = text[start:end]
                while name.split(" ", 1)[0] in {"the", "The", "its", "Its", "of", "on", "and", "to", "for", "in"}:
                    cut = len(name.split(" ", 1)[0]) + 1
                    start, name = start + cut, name[cut:]
                if name[:1].isupper():
                    _other_document(props, block, start, end, plan_key)
    return plan, document


def _issuers(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """A joint notice's issuers: '江苏省工业和信息化厅 江苏省交通运输厅' (space or 、 between) are two."""
    name = text[start:end]
    if name.isascii():  # 'the Ministry of A and B and the Ministry of C': split where 'and the' / ', the' joins names
        cuts = [0, *(x for m in re.finditer(r"\s+and\s+(?:the\s+)?|,\s+(?:and\s+)?(?:the\s+)?", name)
                     for x in (m.start(), m.end()))]  # fmt: skip
        bounds = list(zip(cuts[::2], [*cuts[1::2], len(name)], strict=True))
        parts = _org_runs(name, bounds)
        return [(start + a, start + b) for a, b in parts] if len(parts) > 1 else [(start, end)]
    parts = [(start + m.start(), start + m.end()) for m in re.finditer(r"[^\s\u3000、，,]+", name)]
    if len(parts) > 1 and all(ZH_ORG.fullmatch(text[a:b]) for a, b in parts):
        return parts
    return [(start, end)]


def _org_runs(name: str, pieces: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Join consecutive pieces of an English list of issuers into organisations' names: a new name starts
    where a piece opens like one ('Ministry of …', 'National …') and the run so far has an organisation's head
    ('Ministry of Agriculture' + 'Rural Affairs' is one name, 'the Ministry of Finance' another)."""
    heads = re.compile(rf"\b(?:{'|'.join(lexicon.ORG_HEADS_EN)})\b")
    runs: list[tuple[int, int]] = []
    first = pieces[0][0]
    for i, (_start, end) in enumerate(pieces):
        following = pieces[i + 1][0] if i + 1 < len(pieces) else None
        if following is None or (EN_ORG_START.match(name, following) and heads.search(name[first:end])):
            runs.append((first, end))
            if following is not None:
                first = following
    return runs


EN_ORG_START = re.compile(r"(?:Ministry|Commission|Administration|National|State|People's|General|Office|Department)\b")


STANDARD_AFTER_TITLE = re.compile(
    r"》\s*(?:[（(]\s*(?:GB|YD|JB|SJ|HG|DL|JT|T/|ISO|IEC|ITU|IEEE)|(?:[^。；，]{0,4}?等)?[^。；，]{0,6}标准)"
)
"""《智能制造能力成熟度模型》（GB/T 39116）等国家标准: a title the text calls a standard, or with a standard code."""


def _other_document(props: Proposals, block: Block, start: int, end: int, plan_key: str) -> None:
    name = props.text[start:end]
    key = name_key(re.sub(r"[（(].*?[)）]", "", name))
    if not key or key == plan_key or key.endswith(plan_key) or plan_key.startswith(key) or len(key) < 4:
        return  # the plan's own title, or its head alone ('Action Plan')
    if STANDARD_AFTER_TITLE.match(props.text, end):
        props.add("Standard", name, block, start, end, "standard.title", 0.8)
        return
    doc = props.add("Document", name, block, start, end, "doc.cited-title", 0.8, key=f"Document:{key}")
    for org in lexicon.ORGANIZATIONS:
        if name.startswith(org.names()):
            written = next(n for n in org.names() if name.startswith(n))
            issuer = props.add("Organization", written, block, start, start + len(written), "org.title-issuer", 0.8)
            props.link(doc, "issued_by", issuer, props.evidence(block, start, end, "rel.title-issuer", 0.7))


# ----------------------------------------------------------------------------- goal rules
def goal_rules(props: Proposals, plan_end: str | None) -> None:
    """Goals and Indicators of the goals sections, with the goal heading each indicator measures.
    A text without a goals section (a news summary) gives the figures of its target sentences."""
    if not any(block.kind == "goals" for block in props.blocks):
        _target_sentences(props, plan_end)
        return
    current_goal: Proposal | None = None
    deadline = plan_end
    for block in props.blocks:
        if block.kind != "goals":
            current_goal = None
            continue
        if block.level == 1 or (block.level is not None and not block.title and block.level <= 1):
            continue
        if block.level is not None and (block.level <= 2 or block.marker == "——"):  # '——基础设施。…' too
            current_goal = None
            if block.title:
                current_goal = props.add("Goal", block.title, block, block.title_start,
                                         block.title_start + len(block.title), "goal.heading", 0.9)  # fmt: skip
                current_goal.properties["kind"] = "goal area"
                body_start = block.title_start + len(block.title)
                body = props.text[body_start : block.end]
                deadline = _clauses(props, block, body_start, body, current_goal, deadline or plan_end)
                continue
        parent = current_goal if block.level is not None and block.level >= 3 else current_goal if block.level else None
        deadline = _clauses(props, block, block.body_start, block.body, parent, deadline or plan_end)


TARGET_WORDS = re.compile(r"\b(?:will|to|should|must|aims?)\b|将|力争|达到|确保|实现", re.I)


def _target_sentences(props: Proposals, plan_end: str | None) -> None:
    """Indicators from sentences that set a figure for the future (a deadline or 'will'/将), outside any structure."""
    english = props.lang == "en"
    for block in props.blocks[1:]:
        if block.kind in ("tasks", "safeguards", "appendix"):
            continue
        deadline = None
        targets_before = False  # '到2025年，…超过300EFLOPS；存储力方面，…超过1800EB': the year still holds
        for s_start, s_end in sentences(block.body, block.body_start):
            sentence = props.text[s_start:s_end]
            deadline = numbers.deadline(sentence, english) or deadline
            if not deadline or not (TARGET_WORDS.search(sentence) or targets_before):
                continue
            targets_before = True
            for p_start, p_end in _split(props.text, s_start, s_end, english):
                part = props.text[p_start:p_end]
                lead = TIME_LEAD.match(part)
                if lead:
                    p_start += lead.end()
                    part = props.text[p_start:p_end]
                targets = [t for t in _targets(part, p_start, english) if t.unit or t.comparator != "eq"]
                if (targets and TARGET_WORDS.search(part)) or (targets and any(t.comparator != "eq" for t in targets)):
                    _indicator(props, block, p_start, p_end, _choose(targets, english), None, deadline or plan_end,
                               "goal.target-sentence", 0.55)  # fmt: skip


def _clauses(
    props: Proposals, block: Block, offset: int, body: str, parent: Proposal | None, deadline: str | None
) -> str | None:
    """Goals and Indicators of one paragraph; returns the deadline in force after it."""
    english = props.lang == "en"
    for s_start, s_end in sentences(body, offset):
        sentence = props.text[s_start:s_end]
        stated = numbers.deadline(sentence[:40], english)
        if stated:
            deadline = stated
        if LEAD_IN.search(sentence):
            continue
        parts = _split(props.text, s_start, s_end, english)
        pending: list[tuple[int, int]] = []
        had_target = False
        for p_start, p_end in parts:
            part = props.text[p_start:p_end]
            lead = TIME_LEAD.match(part)
            if lead:
                p_start += lead.end()
                part = props.text[p_start:p_end]
            if not part.strip():
                continue
            targets = _targets(part, p_start, english)
            if not targets:
                if not had_target or GOAL_CLAUSE.match(part):
                    pending.append((p_start, p_end))
                continue
            if pending:
                _goal(props, block, pending, parent)
                pending = []
            had_target = True
            _indicator(props, block, p_start, p_end, _choose(targets, english), parent, deadline, "goal.target", 0.85)
        if pending:
            _goal(props, block, pending, parent)
    return deadline


GOAL_CLAUSE = re.compile(r"(?:打造|建成|形成|构建|建设)[^，。；]{8,}")
"""A clause after a sentence's figures that sets its own outcome ('…，打造具有国际影响力的智能制造示范城市')."""


def _split(text: str, start: int, end: int, english: bool) -> list[tuple[int, int]]:
    """A sentence's clauses: Chinese at ，and, where each side has its own figure, at 、;
    English at ', with', ', and', ' and' between figures."""
    sentence = text[start:end]
    if english:
        cuts = [
            m
            for m in re.finditer(
                r",\s+(?:with|and|while)\s+|;\s*(?:and\s+)?|,\s+(?=(?:and\s+)?(?:at least|more than|no fewer|\d))",
                sentence,
            )
        ]
    else:
        cuts = list(re.finditer(r"[，,]", sentence))
    spans, last = [], 0
    for cut in cuts:
        spans.append((start + last, start + cut.start()))
        last = cut.end()
    spans.append((start + last, end))
    merged: list[tuple[int, int]] = []
    for span in spans:
        if merged and not english and ZH_MERGE_PREV.match(text[span[0] : span[1]]):
            merged[-1] = (merged[-1][0], span[1])
        else:
            merged.append(span)
    out: list[tuple[int, int]] = []
    joiner = r"\s+and\s+(?=(?:no fewer than|at least|more than|\d|one|two|three|four|five|ten))" if english else r"、"
    for s, e in merged:
        piece = text[s:e]
        pieces = [(s + a, s + b) for a, b in _cut(piece, joiner)]
        if len(pieces) > 1 and all(_targets(text[a:b], a, english) for a, b in pieces):
            out.extend(pieces)
        else:
            out.append((s, e))
    return out


def _cut(text: str, pattern: str) -> list[tuple[int, int]]:
    spans, last = [], 0
    for match in re.finditer(pattern, text):
        spans.append((last, match.start()))
        last = match.end()
    spans.append((last, len(text)))
    return [(a, b) for a, b in spans if text[a:b].strip()]


def _targets(part: str, offset: int, english: bool) -> list[numbers.Target]:
    return numbers.en_targets(part, offset) if english else numbers.zh_targets(part, offset)


def _choose(targets: list[numbers.Target], english: bool) -> numbers.Target:
    """The clause's target: not a qualifier ('revenue above 10亿元的 enterprises'); the object's figure
    (Chinese: the last, English: the first), not a place ('in 10 key industries', '在10个重点行业')."""
    usable = [t for t in targets if not t.attributive] or targets
    return usable[0] if english else usable[-1]


def _goal(props: Proposals, block: Block, spans: list[tuple[int, int]], parent: Proposal | None) -> None:
    start, end = spans[0][0], spans[-1][1]
    label = clean_label(props.text[start:end])
    if len(label) < (12 if props.lang == "en" else 5):
        return
    goal = props.add("Goal", label, block, start, end, "goal.clause", 0.75)
    if parent is not None:
        goal.properties.setdefault("description", f"under: {parent.labels.get(props.lang, '')}")


def _indicator(
    props: Proposals, block: Block, start: int, end: int, target: numbers.Target, parent: Proposal | None,
    deadline: str | None, rule: str, confidence: float,
) -> Proposal:  # fmt: skip
    label = clean_label(props.text[start:end])
    properties = target.properties()
    if deadline:
        properties["deadline"] = deadline
    else:
        confidence = min(confidence, 0.5)
    if target.approximate:
        properties["description"] = f"approximately ({target.written})"
    if props.lang == "zh" and re.search(r"较(?:19|20)\d{2}年", label):
        year = re.search(r"较((?:19|20)\d{2})年", label)
        properties["baseline_date"] = f"{year.group(1)}-12-31" if year else None
    elif props.lang == "en" and re.search(r"compared (?:with|to) ((?:19|20)\d{2})", label):
        year = re.search(r"compared (?:with|to) ((?:19|20)\d{2})", label)
        properties["baseline_date"] = f"{year.group(1)}-12-31" if year else None
    properties = {k: v for k, v in properties.items() if v is not None}
    item = props.add("Indicator", label, block, start, end, rule, confidence, properties=properties,
                     key=f"Indicator:{name_key(label)}:{properties['target_value']}")  # fmt: skip
    item.flags.extend([] if deadline else ["no deadline stated; the plan's end year was not known either"])
    if parent is not None:
        props.link(parent, "measured_by", item, props.evidence(block, start, end, "rel.goal-heading", 0.85))
    return item


# ----------------------------------------------------------------------------- measure rules
def measure_rules(props: Proposals, plan: Proposal, plan_end: str | None) -> dict[int, Proposal]:
    """Measures of the tasks and safeguards sections; returns the measure each block belongs to."""
    owner: dict[int, Proposal] = {}
    heads: dict[int, Proposal] = {}
    english = props.lang == "en"
    for block in props.blocks:
        if block.kind not in ("tasks", "safeguards") or block.level == 1:
            continue
        parent_block = props.blocks[block.parent] if block.parent is not None else None
        if block.level == 2 or (block.level is not None and block.level < 3 and block.title):
            if not block.title:
                continue
            measure = props.add("Measure", block.title, block, block.title_start,
                                block.title_start + len(block.title), f"measure.{block.kind}-heading", 0.9)  # fmt: skip
            measure.properties["kind"] = "safeguard" if block.kind == "safeguards" else "action"
            props.link(plan, "has_measure", measure, measure.evidence[0])
            heads[block.index] = measure
            owner[block.index] = measure
            continue
        if block.level is not None and block.level >= 3:
            if block.kind == "safeguards" and (parent_block is None or parent_block.index not in heads):
                continue
            spans = sentences(block.body, block.body_start)
            if not spans:
                continue
            s_start, s_end = spans[0]
            label = clean_label(props.text[s_start:s_end])
            if len(label) > (200 if english else 80):
                label = label[: (200 if english else 80)]
                s_end = s_start + len(label)
            measure = props.add("Measure", label, block, block.body_start, block.end, "measure.item", 0.85)
            measure.properties["kind"] = "task"
            owner[block.index] = measure
            head = heads.get(parent_block.index) if parent_block is not None else None
            if head is not None:
                props.link(head, "has_sub_measure", measure, measure.evidence[0])
            else:
                props.link(plan, "has_measure", measure, measure.evidence[0])
            _task_targets(props, block, measure, plan_end)
        elif parent_block is not None and parent_block.index in heads and parent_block.level == 2:
            has_items = any(b.parent == parent_block.index and (b.level or 0) >= 3 for b in props.blocks[: block.index])
            if not has_items:
                owner[block.index] = heads[parent_block.index]
    return owner


def _task_targets(props: Proposals, block: Block, measure: Proposal, plan_end: str | None) -> None:
    """Figures an item states with a comparator (不少于120个, 翻一番, at least, doubling) are Indicators it serves."""
    english = props.lang == "en"
    for s_start, s_end in sentences(block.body, block.body_start):
        deadline = numbers.deadline(props.text[s_start:s_end], english) or plan_end
        for p_start, p_end in _split(props.text, s_start, s_end, english):
            part = props.text[p_start:p_end]
            targets = [t for t in _targets(part, p_start, english) if t.comparator != "eq" or t.unit in ("倍", "times")]
            if not targets:
                continue
            target = _choose(targets, english)
            if not english:
                p_start = max(p_start, _clause_start(props.text, target.start, p_start))
            same = _same_indicator(props, props.text[p_start:p_end], target)
            if same is not None:
                same.evidence.append(props.evidence(block, p_start, p_end, "measure.target-restated", 0.7))
                props.mentions.setdefault(block.index, []).append(same.key)
                props.link(
                    measure, "contributes_to", same, props.evidence(block, p_start, p_end, "rel.item-target", 0.7)
                )
                continue
            item = _indicator(props, block, p_start, p_end, target, None, deadline, "measure.target", 0.7)
            props.link(measure, "contributes_to", item, props.evidence(block, p_start, p_end, "rel.item-target", 0.7))


def _content(text: str) -> set[str]:
    if text.isascii():
        return {w for w in re.findall(r"[a-z]{4,}", text.lower()) if w not in EN_STOP}
    return {text[i : i + 3] for i in range(len(text) - 2) if re.fullmatch(rf"[{CJK}]{{3}}", text[i : i + 3])}


def _same_indicator(props: Proposals, label: str, target: numbers.Target) -> Proposal | None:
    """A figure a task restates ('不少于120个二级节点' after '二级节点达到120个以上') is the goal's indicator."""
    words = _content(label)
    for item in props.items.values():
        if item.type != "Indicator" or item.properties.get("target_value") != numbers._tidy(target.value):
            continue
        if words & _content(next(iter(item.labels.values()))):
            return item
    return None


def _clause_start(text: str, target_start: int, floor: int) -> int:
    """Where the verb phrase holding a figure starts: after the item's first verb ('引导企业建设不少于…' → '建设…')."""
    return floor


# ----------------------------------------------------------------------------- mentions
def mention_rules(props: Proposals, vocabulary_names: NameMatcher) -> None:
    """Organizations, TechnologyAreas, Industries, Programs, Centres and Standards named in each block."""
    for block in props.blocks:
        text = block.text
        _lexicon_mentions(props, block, text, vocabulary_names)
        _organizations(props, block, text)
        if block.kind in ("goals", "general"):
            continue
        if props.lang == "zh":
            _zh_things(props, block, text)
        else:
            _en_things(props, block, text)
        _abbreviated_technology(props, block, text)
    _drop_item_projects(props)
    _merge_nested(props)
    _merge_local(props)
    _merge_org_prefixes(props)


ZH_ABBREV = re.compile(rf"(?P<name>[{CJK}A-Za-z0-9]{{2,16}}?)[（(](?P<abbr>[A-Z][A-Z0-9-]{{1,9}})[)）]")
EN_ABBREV = re.compile(r"(?P<name>(?:[A-Za-z][\w-]*\s+){0,5}[A-Za-z][\w-]*)\s+\((?P<abbr>[A-Z][A-Z0-9-]{1,9})\)")
TECH_HEADS_ZH = ("控制器", "系统", "终端", "设备", "平台", "软件", "芯片", "网络", "技术", "协议", "模组", "传感器")
TECH_HEADS_EN = re.compile(
    r"(?:controllers?|systems?|terminals?|devices?|boxe?s?|platforms?|software|chips?|networks?|technolog(?:y|ies)|protocols?|modules?|sensors?)$",
    re.I,
)


def _abbreviated_technology(props: Proposals, block: Block, text: str) -> None:
    """A device or technology named with its abbreviation — 可编程逻辑控制器（PLC）, programmable logic
    controllers (PLC) — is a TechnologyArea (a metric such as 电能利用效率（PUE） is not)."""
    if props.lang == "zh":
        for match in ZH_ABBREV.finditer(text):
            start, name = zh_name_before(text, match.end("name"), limit=16)
            if len(name) >= 2 and name.endswith(TECH_HEADS_ZH):
                item = props.add("TechnologyArea", name, block, block.start + start, block.start + match.end(),
                                 "tech.abbreviation", 0.75, en=match.group("abbr"))  # fmt: skip
                item.properties.setdefault("description", f"abbreviated {match.group('abbr')}")
    else:
        for match in EN_ABBREV.finditer(text):
            words = match.group("name").split()
            while words and words[0].lower() in EN_STOP:
                words.pop(0)
            name = " ".join(words)
            if (
                name
                and TECH_HEADS_EN.search(name)
                and not re.search(rf"\b(?:{'|'.join(lexicon.ORG_HEADS_EN)})\b", name)
            ):
                start = block.start + match.end("name") - len(name)
                props.add("TechnologyArea", f"{name} ({match.group('abbr')})", block, start, block.start + match.end(),
                          "tech.abbreviation", 0.75)  # fmt: skip


def _drop_item_projects(props: Proposals) -> None:
    """A project named elsewhere that a task item carries out ('实施X工程') is that item, not a programme."""
    if not props.item_projects:
        return
    for item in list(props.items.values()):
        if item.type != "Program":
            continue
        key = name_key(next(iter(item.labels.values())))
        if any(project.endswith(key) or key.endswith(project) for project in props.item_projects):
            del props.items[item.key]


EN_SECTOR = re.compile(
    r"(?:(?:, |\bin |\band |\bfor |such as )\w+(?:,| and|\.|;| industr| sector))|\w+ (?:industry|industries|sector)\b"
)
"""A one-word sector name (healthcare, manufacturing) counts inside a list of sectors or before 'industry'."""


class NameMatcher:
    """All known names of one language in one pass: a regex alternation (longest first) per kind of name
    (Chinese; long ASCII, any case; short ASCII such as 5G or AI, exact case and standing alone)."""

    def __init__(self, entries: list[tuple[str, str, str]]) -> None:
        self.table: dict[str, list[tuple[str, str, str]]] = {}
        groups: dict[str, list[str]] = {"cjk": [], "long": [], "short": []}
        for type_name, name, en in entries:
            self.table.setdefault(name.casefold(), []).append((type_name, name, en))
            kind = "cjk" if not name.isascii() else "long" if len(name) > 4 else "short"
            groups[kind].append(name)
        self.patterns: list[re.Pattern[str]] = []
        for kind, names in groups.items():
            if not names:
                continue
            alternation = "|".join(re.escape(n) for n in sorted(set(names), key=len, reverse=True))
            if kind == "cjk":
                self.patterns.append(re.compile(alternation))
            else:
                flags = re.IGNORECASE if kind == "long" else 0
                self.patterns.append(re.compile(rf"(?<![A-Za-z0-9])(?:{alternation})(?![A-Za-z0-9])", flags))

    def finditer(self, text: str) -> Iterator[tuple[int, int, list[tuple[str, str, str]]]]:
        for pattern in self.patterns:
            for match in pattern.finditer(text):
                yield match.start(), match.end(), self.table.get(match.group(0).casefold(), [])


def _lexicon_mentions(props: Proposals, block: Block, text: str, vocabulary: NameMatcher) -> None:
    for s, e, entries in vocabulary.finditer(text):
        for type_name, name, en in entries:
            if (
                type_name == "Industry"
                and not name.isascii()
                and not _sector_context(text, s, e, strict=len(name) <= 2)
            ):
                continue
            if (
                type_name == "Industry"
                and name.isascii()
                and " " not in name
                and not EN_SECTOR.search(text[max(0, s - 9) : e + 12])
            ):
                continue
            start, end = block.start + s, block.start + e
            zh_name = name if _lang(name) == "zh" else ""
            en_name = en or (name if _lang(name) == "en" else "")
            props.add(type_name, name, block, start, end, "lexicon", 0.8, key=f"{type_name}:{name_key(en or name)}",
                      en=en_name, zh=zh_name)  # fmt: skip


_FIND_CACHE: dict[str, re.Pattern[str]] = {}
SECTOR_AFTER = re.compile(r"(?:行业|产业|领域|企业|业|等|、)")


NOT_MODIFIER = re.compile(rf"(?:[^{CJK}A-Za-z0-9]|$|[在与和及的等]|行业|产业|领域|发展|应用)")


def _sector_context(text: str, start: int, end: int, *, strict: bool) -> bool:
    """A sector name counts where the text treats it as a sector: a two-character one (能源, 医疗) only
    before 行业/产业/领域/等 or inside a 、-list; a longer one not as a modifier (公共服务平台)."""
    if SECTOR_AFTER.match(text, end) or text[start - 1 : start] == "、":
        return True
    return not strict and bool(NOT_MODIFIER.match(text, end))


def _find(name: str, text: str) -> list[tuple[int, int]]:
    pattern = _FIND_CACHE.get(name)
    if pattern is None:
        escaped = re.escape(name)
        if name.isascii():
            pattern = re.compile(rf"(?<![A-Za-z0-9]){escaped}(?![A-Za-z0-9])", re.IGNORECASE if len(name) > 4 else 0)
        else:
            pattern = re.compile(escaped)
        _FIND_CACHE[name] = pattern
    return [(m.start(), m.end()) for m in pattern.finditer(text)]


ZH_ORG = re.compile(rf"[{CJK}]{{2,16}}?(?:{'|'.join(lexicon.ORG_SUFFIXES_ZH)})(?![{CJK}])")
_STEMS = sorted(
    {o.zh[:-1] for o in lexicon.ORGANIZATIONS if o.zh.endswith("部") and len(o.zh) >= 3}, key=len, reverse=True
)
LEAD_WORDS = "会同|联合|协同|配合|会商|商请|牵头|组织|支持|推动|指导|径向|向|由|经|和|与|及|同|请|各"
LOCAL_DEPARTMENT = re.compile(
    rf"(?:(?!{LEAD_WORDS})[{CJK}]{{2,4}}?(?:省|市|自治区)|省|市)?(?:{'|'.join(_STEMS)})(?:厅|局|委员会)"
    rf"(?![{CJK}]{{0,1}}(?:部|司))"
)
"""A province's or city's counterpart of a ministry: (江苏省|深圳市|省)工业和信息化(厅|局), 财政厅, 教育局."""
ZH_ALIAS = re.compile(r"[（(]以下简称[“\"]?(?P<alias>[^”\"）)]{2,12})[”\"]?[)）]")
EN_ALIAS = re.compile(r"\((?:hereinafter(?: referred to as)?|hereafter)\s+[\"“]?(?P<alias>[A-Z][\w-]{1,12})[\"”]?\)")
EN_ORG = re.compile(
    rf"(?:(?:[A-Z][\w-]*\s+){{1,6}}(?:{'|'.join(lexicon.ORG_HEADS_EN)})|(?:Ministry|Commission|Administration|Department|Bureau|Office)"
    rf"\s+(?:of|for)\s+(?:the\s+)?[A-Z][\w-]*(?:\s+(?:and|of|for|the|[A-Z][\w-]*))*[A-Z][\w-]*)"
)


def _organizations(props: Proposals, block: Block, text: str) -> None:
    """Organisations: a department of a known organisation (工信部信息通信发展司), a signature line,
    names defined with an abbreviation (以下简称 / hereinafter), English Title Case names with an organisation head."""
    if props.lang == "zh":
        for org in lexicon.ORGANIZATIONS:
            for name in (org.zh, *[a for a in org.aliases if not a.isascii()]):
                for s, _e in _find(name, text):
                    dept = re.match(rf"{re.escape(name)}([{CJK}]{{2,10}}?(?:司|局|厅|办公室|研究院))", text[s:])
                    if dept:
                        props.add("Organization", dept.group(0), block, block.start + s, block.start + s + dept.end(),
                                  "org.department", 0.8)  # fmt: skip
        for match in LOCAL_DEPARTMENT.finditer(text):
            props.add("Organization", match.group(0), block, block.start + match.start(), block.start + match.end(),
                      "org.local-department", 0.75)  # fmt: skip
        if block.level is None and ZH_ORG.fullmatch(text):
            props.add("Organization", text, block, block.start, block.end, "org.signature", 0.8)
        for match in ZH_ALIAS.finditer(text):
            start = match.start()
            while start > 0 and match.start() - start < 24 and re.match(rf"[{CJK}A-Za-z0-9]", text[start - 1]):
                start -= 1
            before = text[start : match.start()]
            known = next((o.zh for o in lexicon.ORGANIZATIONS if before.endswith(o.zh)), None)
            lead = re.match(r".*(?:由|经|在|的|是|为|和|与)(?=[^由经在的是为和与]{4,}$)", before)
            if known:
                start = match.start() - len(known)
            elif lead:
                start += lead.end()
            name = text[start : match.start()]
            if len(name) >= 2:
                defined = props.add(
                    "Organization", name, block, block.start + start, block.start + match.start(), "org.defined", 0.85
                )
                defined.properties.setdefault("description", f"also called {match.group('alias')}")
    else:
        for match in EN_ORG.finditer(text):
            name = re.sub(r"^(?:The|the|Notice|Notice of the|of the)\s+", "", match.group(0))
            if len(name.split()) < 2 or name.split()[0] in ("Among", "Since", "By", "A", "In"):
                continue
            start = block.start + match.end() - len(name)
            props.add("Organization", name, block, start, block.start + match.end(), "org.title-case", 0.75)


def _zh_things(props: Proposals, block: Block, text: str) -> None:
    offset = block.start
    # Programs: 试点, 示范项目, 工程, 全连接工厂 …
    for suffix in lexicon.PROGRAM_SUFFIXES_ZH:
        for s, e in _find(suffix, text):
            if any(text.startswith(longer, s - (len(longer) - len(suffix))) for longer in lexicon.PROGRAM_SUFFIXES_ZH
                   if longer != suffix and longer.endswith(suffix)):  # fmt: skip
                continue
            if re.match(r"示范|项目|工程|企业|基地|工厂|评价|标准|体系|名单|认定", text[e:]):
                continue  # part of a longer name (试点示范项目)
            start, name = zh_name_before(text, s)
            if len(name) < 2 or name in GENERIC_NAMES or (text[e : e + 2] in ("建设", "体系") and suffix == "工程"):
                continue
            if suffix == "工程" and _is_item_project(block, s, e):
                props.item_projects.add(name_key(name + suffix))
                continue
            props.add("Program", name + suffix, block, offset + start, offset + e, "program.suffix", 0.7)
    # Centres: a qualified 中心/基地/实验室, coordinated modifiers expanded (区域级和行业级分中心)
    for suffix in lexicon.CENTER_SUFFIXES_ZH:
        for s, e in _find(suffix, text):
            if any(text.startswith(longer, s - (len(longer) - len(suffix))) for longer in lexicon.CENTER_SUFFIXES_ZH
                   if longer != suffix and longer.endswith(suffix)):  # fmt: skip
                continue
            coordinated = re.search(
                rf"([{CJK}]{{1,3}}[级型类])(?:和|与|及|、)([{CJK}]{{1,3}}[级型类])$", text[max(0, s - 10) : s]
            )
            if coordinated:
                for modifier in coordinated.groups():
                    props.add("DemonstrationCenter", modifier + suffix, block, offset + s - len(coordinated.group(0)),
                              offset + e, "center.coordinated", 0.7)  # fmt: skip
                continue
            start, name = zh_name_before(text, s)
            full = name + suffix
            qualified = suffix in ("创新中心", "分中心", "示范基地", "先导区", "示范园区") or full.startswith(
                lexicon.CENTER_QUALIFIERS_ZH
            )
            if not qualified or len(full) < 4:
                continue
            props.add("DemonstrationCenter", full, block, offset + start, offset + e, "center.suffix", 0.7)
    # Standards: X标准(体系); a bare 标准 takes the clause's technology area as its subject
    for s, e in _find("标准", text):
        if text[e : e + 1] == "化":
            continue
        tail = "体系" if text[e : e + 2] == "体系" else ""
        start, name = zh_name_before(text, s)
        if STANDARD_LEVELS.fullmatch(name):
            continue  # 地方标准, 国家和行业标准: the level of standards, not a standard
        if len(name) >= 2 and name not in GENERIC_NAMES and not name.endswith("的"):
            props.add(
                "Standard", name + "标准" + tail, block, offset + start, offset + e + len(tail), "standard.named", 0.75
            )
            continue
        techs = [p for p in props.in_block(block.index, "TechnologyArea")]
        if techs and block.kind in ("tasks", "safeguards"):
            tech = techs[-1]
            zh = tech.labels.get("zh", "")
            if zh:
                ev = tech.evidence[-1]
                props.add("Standard", f"{zh}相关标准{tail}", block, min(ev.start, offset + s), max(ev.end, offset + e),
                          "standard.topic", 0.6, en=f"{tech.labels.get('en', '')} standards".strip())  # fmt: skip
    # Specifications drawn up as standards: 研制车联网路侧设施建设规范、…
    for s, e in _find("规范", text):
        if e < len(text) and text[e] not in "、，,。；;等和及与":
            continue
        start, name = zh_name_before(text, s)
        if len(name) >= 4 and STANDARD_VERBS.search(text[max(0, start - 12) : start]):
            props.add("Standard", name + "规范", block, offset + start, offset + e, "standard.specification", 0.7)
    # Industries: X产业链 / X全产业链 / X产业 (as a head)
    for match in re.finditer(r"(?:全)?产业(?:链|(?=[，。；、的]|发展|集群))", text):
        start, name = zh_name_before(text, match.start())
        if len(name) < 2 or name in GENERIC_NAMES or name.endswith(("的", "和", "与")) or ends_with_verb(name):
            continue
        props.add("Industry", name + "产业", block, offset + start, offset + match.end(), "industry.chain", 0.7)


STANDARD_LEVELS = re.compile(r"(?:国家|行业|地方|团体|企业|国际)(?:(?:和|、|及|与)(?:国家|行业|地方|团体|企业|国际))*")
STANDARD_VERBS = re.compile(r"研制|制定|制修订|修订|编制|出台|发布")


def _is_item_project(block: Block, position: int, end: int) -> bool:
    """'实施X工程' opening a task item, or 'X工程：…' titling it (a 专栏 box's items), names the item itself,
    not a separate programme."""
    if block.level is None or block.level < 3:
        return False
    titled = bool(block.title) and (block.title_start - block.start) + len(block.title) == end
    opening = bool(re.match(r"(?:实施|开展|推进)", block.body[:4])) and position - (block.body_start - block.start) < 24
    return titled or opening


def _en_things(props: Proposals, block: Block, text: str) -> None:
    offset = block.start
    lowered = text
    for heads, type_name, rule in (
        (lexicon.PROGRAM_HEADS_EN, "Program", "program.head"),
        (lexicon.CENTER_HEADS_EN, "DemonstrationCenter", "center.head"),
    ):
        taken: list[tuple[int, int]] = []
        for head in sorted(heads, key=len, reverse=True):
            flags = 0 if head[0].isupper() else re.IGNORECASE
            for match in re.finditer(rf"(?<![\w-]){re.escape(head)}(?![\w-])", lowered, flags):
                if any(a <= match.start() < b for a, b in taken):
                    continue
                taken.append((match.start(), match.end()))
                if head[0].isupper() and not text[match.start()].isupper():
                    continue
                if head[0].isupper():
                    start, name = en_title_before(text, match.start())
                else:
                    start, name = en_name_before(text, match.start())
                coordinated = re.search(r"(\w+)\s+and\s+(\w+)\s+$", text[max(0, match.start() - 40) : match.start()])
                if coordinated and coordinated.group(1).lower() in HEAD_WORDS_EN:
                    coordinated = (
                        None  # 'an Innovation Center and regional sub-centres': two names, not one shared head
                    )
                if (coordinated and not name.strip()) or (coordinated and name.strip() == coordinated.group(2)):
                    for modifier in coordinated.groups():
                        props.add(type_name, f"{modifier} {text[match.start():match.end()]}", block,
                                  offset + match.start() - len(coordinated.group(0)), offset + match.end(), rule + "-coordinated", 0.65)  # noqa: E501  # fmt: skip
                    continue
                words = name.split()
                if type_name == "Program" and head[0].isupper() and len(words) < 2:
                    continue
                if type_name == "Program" and head.lower() == "project" and _en_item_project(block, match.start()):
                    props.item_projects.add(name_key(name + " " + head))
                    continue
                if type_name == "Program" and head.lower() == "project" and not head[0].isupper():
                    continue
                if type_name == "DemonstrationCenter" and not re.search(
                    r"\b(national|regional|industry|innovation|demonstration|big data|provincial|sub-)",
                    name + " " + head,
                    re.I,
                ):
                    continue
                if not words and head.lower() in (
                    "centres",
                    "centers",
                    "centre",
                    "center",
                    "trials",
                    "trial",
                    "pilots",
                ):
                    continue
                label = " ".join(part for part in (name.strip(), text[match.start() : match.end()]) if part)
                props.add(type_name, label, block, offset + start, offset + match.end(), rule, 0.7)
    for match in re.finditer(r"(?<![\w-])(?:standards(?:\s+system)?|standard\s+system)(?![\w-])", text, re.IGNORECASE):
        if re.match(r"\s+(?:development|setting|work|of)\b", text[match.end() :]) and not match.group(0).endswith(
            "system"
        ):
            continue
        start, name = en_name_before(text, match.start(), 5)
        subject = EN_STANDARDS_FOR.match(text[match.end() :])
        if not name.strip() and subject and match.group(0).lower() == "standards":
            end = match.end() + subject.end()
            props.add("Standard", text[match.start() : end], block, offset + match.start(), offset + end,
                      "standard.for", 0.7)  # fmt: skip
            continue
        if re.search(r"[A-Za-z]", name) and name.strip().lower() not in ("related", "relevant", "key", "open"):
            props.add(
                "Standard",
                text[offset - offset + start : match.end()],
                block,
                offset + start,
                offset + match.end(),
                "standard.named",
                0.75,
            )
            continue
        techs = props.in_block(block.index, "TechnologyArea")
        if techs and block.kind in ("tasks", "safeguards"):
            tech = techs[-1]
            en = tech.labels.get("en", "")
            if en:
                ev = tech.evidence[-1]
                zh = tech.labels.get("zh", "")
                zh_label = f"{zh}相关标准" if zh else ""
                props.add("Standard", f"{en} standards", block, min(ev.start, offset + match.start()),
                          max(ev.end, offset + match.end()), "standard.topic", 0.6, zh=zh_label)  # fmt: skip
    for match in EN_PILOTS_OF.finditer(text):  # 'carry out pilots of autonomous trucks in container terminals'
        if not props.in_block(block.index, "Program") or all(
            match.group(0) not in p.labels.get("en", "") for p in props.in_block(block.index, "Program")
        ):
            start, end = offset + match.start(), offset + match.end()
            props.add("Program", match.group(0), block, start, end, "program.of", 0.65)
    for match in EN_SECTORS_PAIR.finditer(text):  # 'serving the logistics and shipping industries'
        for group in ("a", "b"):
            name = match.group(group)
            if name.lower() not in EN_ADJECTIVES and name.lower() not in EN_NOT_SECTOR:
                props.add("Industry", f"{name} industry", block, offset + match.start(group),
                          offset + match.end(), "industry.named-pair", 0.65)  # fmt: skip
    for match in EN_NAMED_SECTOR.finditer(text):  # 'in the livestock industry', 'for the planting sector'
        words = match.group("name").split()
        if any(w.lower() in EN_ADJECTIVES or w.lower() in EN_NOT_SECTOR for w in words):
            continue
        props.add("Industry", f"{match.group('name')} {match.group('head')}", block, offset + match.start("name"),
                  offset + match.end(), "industry.named", 0.65)  # fmt: skip
    for match in re.finditer(r"(?<![\w-])industr(?:y|ial) chains?\b", text):
        start, name = en_name_before(text, match.start(), 3)
        words = name.split()
        if words and not re.search(r"(?:ing|ed|ly)$", words[-1]) and words[-1].lower() not in EN_ADJECTIVES:
            props.add(
                "Industry",
                f"{name.strip()} industry",
                block,
                offset + start,
                offset + match.end(),
                "industry.chain",
                0.65,
            )


EN_NAMED_SECTOR = re.compile(
    r"\b(?:in|for|to|across|of|into)\s+the\s+(?P<name>[a-z][a-z-]+(?:\s+[a-z][a-z-]+)?)\s+(?P<head>industry|sector)\b"
)
EN_PILOTS_OF = re.compile(
    r"\b(?:pilots?|trials?|demonstrations?)\s+(?:of|for)\s+(?!the\b|a\b)(?:[a-z][\w-]*\s+){0,3}?[a-z][\w-]*"
    r"(?=\s+(?:in|at|on|and|to|with|across)\b|[,.;]|$)"
)
EN_SECTORS_PAIR = re.compile(r"\bthe\s+(?P<a>[a-z][a-z-]+)\s+and\s+(?P<b>[a-z][a-z-]+)\s+(?:industries|sectors)\b")
EN_NOT_SECTOR = {"whole", "entire", "same", "this", "that", "each", "every", "other", "relevant", "related", "certain",
                 "private", "public", "real", "internet", "information"}  # fmt: skip
HEAD_WORDS_EN = {head.split()[-1].lower() for head in (*lexicon.PROGRAM_HEADS_EN, *lexicon.CENTER_HEADS_EN)}
EN_STANDARDS_FOR = re.compile(r"\s+(?:for|on)\s+(?!the\b|a\b|an\b)(?:\w[\w-]*\s+){0,3}?\w[\w-]*(?=\s+and\b|[,.;]|$)")
"""'standards for agricultural sensors': the standards' subject follows them."""


def _en_item_project(block: Block, position: int) -> bool:
    return (
        block.level is not None
        and block.level >= 3
        and bool(re.match(r"(?:Carry out|Implement|Launch)\b", block.body))
        and position - (block.body_start - block.start) < 120
    )


def _merge_org_prefixes(props: Proposals) -> None:
    """'Cyberspace Administration' found inside 'the Cyberspace Administration of China' is that organisation."""
    orgs = [p for p in props.items.values() if p.type == "Organization"]
    for short in orgs:
        if short.key not in props.items:
            continue
        spans = {(e.start, e.end) for e in short.evidence}
        for long in orgs:
            if long is short or long.key not in props.items:
                continue
            around = [(x.start, x.end) for x in long.evidence]
            inside = all(any(a <= s and e <= b and (a, b) != (s, e) for a, b in around) for s, e in spans)
            if inside:
                _absorb(props, short, long)
                break


def _merge_local(props: Proposals) -> None:
    """'省工业和信息化厅' after '江苏省工业和信息化厅' is the same department, its province left unsaid."""
    orgs = [p for p in props.items.values() if p.type == "Organization"]
    for short in orgs:
        label = short.labels.get("zh", "")
        if not label[:1] or label[0] not in "省市区县" or short.key not in props.items:
            continue
        longer = [
            p
            for p in orgs
            if p.key in props.items and p is not short
            and (name := p.labels.get("zh", "")).endswith(label) and 2 <= len(name) - len(label) <= 4
        ]  # fmt: skip
        if len(longer) == 1 and not any(short.key in (link.source, link.target) for link in props.links.values()):
            _absorb(props, short, longer[0])


def _merge_nested(props: Proposals) -> None:
    """Two names of one shared kind where one ends the other (数据中心产业 / 新型数据中心产业) are one entity."""
    by_type: dict[str, list[Proposal]] = {}
    for item in props.items.values():
        if item.type in ("Industry", "Standard", "DemonstrationCenter", "Program"):
            by_type.setdefault(item.type, []).append(item)
    for items in by_type.values():
        items.sort(key=lambda p: len(name_key(p.labels.get(props.lang, ""))))
        for i, short in enumerate(items):
            short_key = name_key(short.labels.get(props.lang, ""))
            if len(short_key) < 4 or short.key not in props.items:
                continue
            for long in items[i + 1 :]:
                if long.key in props.items and name_key(long.labels.get(props.lang, "")).endswith(short_key):
                    _absorb(props, long, short)


def _absorb(props: Proposals, gone: Proposal, kept: Proposal) -> None:
    kept.evidence.extend(gone.evidence)
    del props.items[gone.key]
    for index, keys in props.mentions.items():
        props.mentions[index] = [kept.key if k == gone.key else k for k in keys]
