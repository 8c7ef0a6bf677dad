"""A plan's text as a tree of blocks: headings by their numbering (一、 （一） 1. （1）, I. (1) 1.,
Markdown #), paragraphs under them, and each block's heading path and character span.

The section a block sits in (goals, tasks, safeguards, general requirements, preamble) is
named from its level-1 heading, in either language, so that rules can ask "is this a goal?".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

CN_DIGITS = "一二三四五六七八九十百零〇两"
MARKERS: list[tuple[re.Pattern[str], int]] = [
    (re.compile(rf"^第[{CN_DIGITS}\d]+[章部分篇]\s*"), 1),
    (re.compile(rf"^[{CN_DIGITS}]+[、.．]\s*"), 1),
    (re.compile(r"^[IVXL]+\.\s+"), 1),
    (re.compile(rf"^第[{CN_DIGITS}\d]+节\s*"), 2),
    (re.compile(rf"^[（(][{CN_DIGITS}]+[)）]\s*"), 2),
    (re.compile(r"^\(\d{1,2}\)\s*"), 2),
    (re.compile(r"^\d{1,2}(?:[.．、](?!\d)|[.．](?=\d[A-Za-z])|\)\s)\s*"), 3),  # '1.5G网络建设工程' is item 1
    (re.compile(r"^（\d{1,2}）\s*"), 4),
    (re.compile(r"^\([a-z]\)\s+"), 4),
    (re.compile(r"^[①-⑳]\s*"), 4),
]
MARKDOWN = re.compile(r"^(#{1,6})\s+")
MD_ARABIC = re.compile(r"^\d{1,2}(?:\.\d{1,2}){0,3}\.?\s+(?=\S)")
BULLET = re.compile(r"^[-*•·]\s+")
DASH_ITEM = re.compile(r"^(?:——|－－|—)\s*(?=\S)")
"""'——基础设施。…': a Chinese plan's dash item, one level below the heading it sits under."""
DOCUMENT_TITLE = re.compile(
    r"(?:计划|规划|方案|意见|纲要|措施|细则|Plan|Opinions|Guidelines|Strategy|Outline|Measures)\s*(?:[（(][^)）]*[)）])?\s*$"
    r"|^(?:[A-Z][\w'’-]*\s+){0,4}(?:Action\s+|Work\s+|Implementation\s+)?(?:Plan|Programme|Guidelines|Opinions|Measures)"
    r"\s+(?:for|on)\s+\S.*$"
)

SECTION_KINDS: list[tuple[str, re.Pattern[str]]] = [
    ("appendix", re.compile(r"^(附[件录：:]|附：|答记者问|问：|Annex|Appendix|Q&A)", re.I)),
    ("goals", re.compile(r"(目标|指标|Goals?\b|Targets?\b|Objectives?\b)", re.I)),
    ("safeguards", re.compile(r"(保障|组织实施|实施保障|Safeguard|Implementation|Support(?:ing)? measures)", re.I)),
    (
        "tasks",
        re.compile(
            r"(任务|行动|工程|举措|措施|重点工作|Tasks?\b|Actions?\b|Projects?\b|Measures?\b|Initiatives?)", re.I
        ),
    ),
    ("general", re.compile(r"(总体要求|指导思想|基本原则|总体思路|General|Guiding|Principles?)", re.I)),
]


SPECIFIC_KINDS = ("goals", "tasks", "safeguards")


def section_kind(title: str) -> str:
    for kind, pattern in SECTION_KINDS:
        if pattern.search(title):
            return kind
    return "other"


@dataclass
class Block:
    """One line of the text: its span, its numbering level (None for a paragraph), its title if it has one."""

    start: int
    end: int
    text: str
    level: int | None = None
    marker: str = ""
    title: str = ""
    title_start: int = 0
    body_start: int = 0
    path: list[str] = field(default_factory=list)
    kind: str = "preamble"
    parent: int | None = None
    index: int = 0
    number: str = ""

    @property
    def body(self) -> str:
        return self.text[self.body_start - self.start :]

    def locator(self, start: int | None = None, end: int | None = None) -> str:
        where = " / ".join(self.path) if self.path else "opening text"
        return f"{where} [chars {start if start is not None else self.start}-{end if end is not None else self.end}]"


def _title_of(rest: str, english: bool) -> tuple[str, bool]:
    """A heading's title: the first short sentence of the line, or the whole line when it is short."""
    stop = re.search(r"\.\s|\.$" if english else r"[。：:]", rest)
    limit = 90 if english else 30
    if stop and stop.start() <= limit:
        return rest[: stop.start()].strip(), True
    if len(rest) <= limit and not re.search(r"[。；;]$", rest):
        return rest.strip(), True
    return "", False


def parse(text: str) -> list[Block]:
    """Blocks in text order, each knowing its heading path, section kind and parent heading."""
    blocks: list[Block] = []
    stack: list[Block] = []
    position = 0
    title_depth = 0
    for raw in text.split("\n"):
        start = position
        position += len(raw) + 1
        stripped = raw.strip()
        if not stripped:
            continue
        lead = len(raw) - len(raw.lstrip())
        block = Block(start + lead, start + lead + len(stripped), stripped, index=len(blocks))
        rest, offset, level = stripped, 0, None
        md = MARKDOWN.match(rest)
        if md:
            level, offset = len(md.group(1)) - title_depth, md.end()
            rest = rest[offset:]
            arabic = MD_ARABIC.match(rest)
            if arabic:  # '## 1. Objectives', '### 2.1 Applications': in Markdown the depth says the level
                block.marker = arabic.group(0).strip()
                block.number = re.sub(r"[^\d]", "", block.marker)
                offset += arabic.end()
                rest = rest[arabic.end() :]
        for pattern, marker_level in MARKERS if not (md and block.marker) else ():
            match = pattern.match(rest)
            if match:
                block.marker = match.group(0).strip()
                block.number = re.sub(r"[^\dA-Za-z" + CN_DIGITS + "]", "", block.marker)
                level = marker_level  # the numbering says the level; Markdown depth only orders unnumbered headings
                offset += match.end()
                rest = rest[match.end() :]
                break
        else:
            bullet = BULLET.match(rest) if not md else None
            dash = DASH_ITEM.match(rest) if not md else None
            if bullet:
                level, block.marker = 3, "-"
                offset += bullet.end()
                rest = rest[bullet.end() :]
            elif dash:
                above = next((b.level for b in reversed(stack) if b.marker != "——" and b.level), 0)
                level, block.marker = min(above + 1, 4), "——"
                offset += dash.end()
                rest = rest[dash.end() :]
        if md and not blocks and not block.marker and DOCUMENT_TITLE.search(rest):
            level = None  # "# <plan title>" is the title, not a section
            title_depth = len(md.group(1))  # its sections start one level below
            block.text = rest
            block.start = block.start + offset
            offset = 0
        english = rest[:40].isascii()
        block.body_start = block.start + offset
        if level is not None:
            title, is_title = _title_of(rest, english)
            if is_title:
                block.title, block.title_start = title, block.start + offset
            block.level = level
        while stack and block.level is not None and (stack[-1].level or 0) >= block.level:
            stack.pop()
        closes_item = block.level is None and stack and (stack[-1].level or 0) >= 3
        if closes_item and block.text[:1] not in "，,、；;":
            # an unnumbered line after an item closes the item (it belongs to the item's parent heading)
            stack = [b for b in stack if (b.level or 0) < 3]
        block.path = [b.title or b.text[:24] for b in stack] + ([block.title] if block.title else [])
        block.parent = stack[-1].index if stack else None
        top = next((b for b in stack if b.level == min(x.level or 9 for x in stack)), None) if stack else None
        block.kind = section_kind(top.title) if top else ("preamble" if block.level is None else "other")
        if block.kind in ("general", "other"):  # 第二章 总体要求 / 第一节 发展目标: the section names the goals
            block.kind = next(
                (kind for b in reversed(stack) if (kind := section_kind(b.title or "")) in SPECIFIC_KINDS),
                block.kind,
            )
        if block.level is not None and (top is None or top is block):
            block.kind = section_kind(block.title or block.text[:30])
        if block.kind == "appendix" or (blocks and blocks[-1].kind == "appendix" and block.level is None):
            block.kind = "appendix"
        blocks.append(block)
        if block.level is not None:
            stack.append(block)
    return blocks


SENTENCE_END = re.compile(r"(?<=[。！？!?])|(?<=[.;])\s+(?=[A-Z0-9(\"“])|(?<=；)")


def sentences(text: str, offset: int = 0) -> list[tuple[int, int]]:
    """Spans of the sentences (and ；-clauses) of a text, relative to the whole document."""
    spans = []
    start = 0
    for match in SENTENCE_END.finditer(text):
        end = match.start()
        if end > start and text[start:end].strip():
            spans.append(_trim(text, start, end, offset))
        start = match.end()
    if text[start:].strip():
        spans.append(_trim(text, start, len(text), offset))
    return spans


def _trim(text: str, start: int, end: int, offset: int) -> tuple[int, int]:
    while start < end and text[start] in " \t":
        start += 1
    while end > start and text[end - 1] in " \t。；;.!?！？":
        end -= 1
    return offset + start, offset + end
