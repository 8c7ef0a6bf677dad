"""Numbers, comparisons and dates as analysts write them, in English and Chinese.

"more than 40 %", "超过30项", "不少于100", "above 1,000", "5.6亿" become comparisons on a number;
"by the end of 2023", "2023年底前", "in 2027", "到2027年" become date bounds; "May 2021" and
"2021年7月" become months (the issue date of a document). Each carries the character span it used.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

import cn2an

_ZH_DIGITS = "零〇一二两三四五六七八九十百千"
NUMBER = rf"(?:\d[\d,]*(?:\.\d+)?|[{_ZH_DIGITS}]+)"
SCALES = {"thousand": 1e3, "k": 1e3, "million": 1e6, "m": 1e6, "billion": 1e9, "bn": 1e9, "万": 1e4, "亿": 1e8}
MONTHS = {
    m: i + 1
    for i, names in enumerate(["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"])
    for m in (names,)
}

EN_COMPARATORS = {
    "gt": (
        "more than",
        "greater than",
        "higher than",
        "larger than",
        "bigger than",
        "above",
        "over",
        "exceeding",
        "exceeds",
        "exceed",
        "in excess of",
        ">",
    ),
    "ge": ("at least", "no less than", "not less than", "no fewer than", "not fewer than", "minimum of", ">=", "≥"),
    "lt": ("less than", "fewer than", "lower than", "smaller than", "below", "under", "<"),
    "le": ("at most", "no more than", "not more than", "up to", "maximum of", "<=", "≤"),
    "eq": ("equal to", "exactly", "equals", "of exactly", "="),
}
ZH_PREFIX = {
    "gt": ("超过", "超出", "大于", "高于", "多于", "超"),
    "ge": ("不少于", "不低于", "不小于", "至少", "达到", "达", "大于等于", "大于或等于", "高于或等于", "≥"),
    "lt": ("小于", "低于", "少于", "不足", "不到"),
    "le": ("不超过", "不高于", "不多于", "至多", "最多", "小于等于", "小于或等于", "低于或等于", "≤"),
    "eq": ("等于", "恰好", "正好"),
}
ZH_SUFFIX = {"ge": ("及以上", "以上", "或以上"), "le": ("及以下", "以下", "或以下"), "gt": ("多",)}
EN_SUFFIX = {"ge": ("or more", "and above", "or above", "plus"), "le": ("or less", "or fewer", "and below", "or below")}


@dataclass(frozen=True)
class Comparison:
    """A comparison on a number: op (gt ge lt le eq), value, whether it was a percentage, its span."""

    op: str
    value: float
    percent: bool
    start: int
    end: int


@dataclass(frozen=True)
class DateBound:
    """A bound on a date: op (le, lt, ge, year, month) and ISO date or year / year-month text."""

    op: str
    value: str
    start: int
    end: int
    month: bool = False


def number(text: str, scale: str | None = None) -> float | None:
    """A number in Arabic or Chinese digits, with an optional scale word (million, 万, 亿)."""
    text = text.replace(",", "").strip()
    try:
        value = float(text) if re.fullmatch(r"\d+(?:\.\d+)?", text) else float(cn2an.cn2an(text, "smart"))
    except (ValueError, KeyError, TypeError):
        return None
    return value * SCALES.get((scale or "").strip(), 1.0)


def _alternation(words: Mapping[str, tuple[str, ...]]) -> tuple[str, dict[str, str]]:
    table = {word: op for op, group in words.items() for word in group}
    pattern = "|".join(re.escape(w) for w in sorted(table, key=len, reverse=True))
    return pattern, table


_EN_CMP, _EN_CMP_OPS = _alternation(EN_COMPARATORS)
_ZH_PRE, _ZH_PRE_OPS = _alternation(ZH_PREFIX)
_ZH_SUF, _ZH_SUF_OPS = _alternation(ZH_SUFFIX)
_EN_SUF, _EN_SUF_OPS = _alternation(EN_SUFFIX)
_PERCENT = r"\s*(%|percent\b|per cent\b|个百分点)?"
_EN_SCALE = r"(?:\s*(thousand|million|billion|bn|k|m)\b)?"
_ZH_SCALE = r"\s*(万|亿)?"

_EN_PREFIX_RE = re.compile(rf"(?<![a-z])({_EN_CMP})\s*({NUMBER}){_EN_SCALE}{_PERCENT}")
_EN_SUFFIX_RE = re.compile(rf"({NUMBER}){_EN_SCALE}{_PERCENT}\s*({_EN_SUF})(?![a-z])")
_ZH_PREFIX_RE = re.compile(rf"({_ZH_PRE})\s*(?:为|是)?\s*({NUMBER}){_ZH_SCALE}{_PERCENT}")
_ZH_SUFFIX_RE = re.compile(rf"({NUMBER}){_ZH_SCALE}{_PERCENT}\s*[个项家种条份]?\s*({_ZH_SUF})")
_EN_RANGE_RE = re.compile(
    rf"(?<![a-z])(?:between|from)\s+({NUMBER}){_EN_SCALE}{_PERCENT}\s*(?:and|to|-|–)\s*({NUMBER}){_EN_SCALE}{_PERCENT}"
)
_ZH_RANGE_RE = re.compile(
    rf"(?:在|介于)?\s*({NUMBER}){_ZH_SCALE}{_PERCENT}\s*(?:到|至|和|与|-|–|~|～)\s*({NUMBER}){_ZH_SCALE}{_PERCENT}"
    rf"\s*[个项家种条份]?\s*(?:之间|以内|范围内)"
)


def comparisons(text: str) -> list[Comparison]:
    """Every comparison on a number in a normalised question, left to right, spans not overlapping."""
    found: list[Comparison] = []
    taken: list[tuple[int, int]] = []

    def add(op: str, digits: str, scale: str | None, percent: str | None, span: tuple[int, int]) -> None:
        if any(s < span[1] and span[0] < e for s, e in taken):
            return
        value = number(digits, scale)
        if value is None or (re.fullmatch(r"(?:19|20)\d\d", digits) and not percent and op != "eq"):
            return
        taken.append(span)
        found.append(Comparison(op, value, bool(percent), *span))

    for regex in (_EN_RANGE_RE, _ZH_RANGE_RE):  # "between 10 and 100", "在10到100之间": both bounds, inclusive
        for m in regex.finditer(text):
            percent = m.group(3) or m.group(6)
            middle = m.end(3) if m.group(3) else m.end(2) if m.group(2) else m.end(1)
            add("ge", m.group(1), m.group(2), percent, (m.start(), middle))
            add("le", m.group(4), m.group(5), percent, (middle, m.end()))
    for m in _ZH_PREFIX_RE.finditer(text):
        add(_ZH_PRE_OPS[m.group(1)], m.group(2), m.group(3), m.group(4), m.span())
    for m in _ZH_SUFFIX_RE.finditer(text):
        add(_ZH_SUF_OPS[m.group(4)], m.group(1), m.group(2), m.group(3), m.span())
    for m in _EN_PREFIX_RE.finditer(text):
        add(_EN_CMP_OPS[m.group(1)], m.group(2), m.group(3), m.group(4), m.span())
    for m in _EN_SUFFIX_RE.finditer(text):
        add(_EN_SUF_OPS[m.group(4)], m.group(1), m.group(2), m.group(3), m.span())
    return sorted(found, key=lambda c: c.start)


_YEAR = r"((?:19|20)\d\d)"
_EN_MONTH_RE = re.compile(rf"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+(?:of\s+)?{_YEAR}\b")
_ZH_MONTH_RE = re.compile(rf"{_YEAR}\s*年\s*(\d{{1,2}}|[一二三四五六七八九十]+)\s*月")
_EN_YEAR_RE = re.compile(
    rf"\b(?:(due|deadline)\s+)?(by|before|until|till|through|no later than|not later than|in|of|within|during|for|"
    rf"due|deadline|after|from|since)?\s*(?:the\s+)?(end[\s-]+(?:of\s+)?|close of\s+)?(?:the\s+)?(?:year\s+)?{_YEAR}\b"
)
_ZH_YEAR_RE = re.compile(
    rf"(到|至|截至|截止到|截止|在|于|从|自)?\s*{_YEAR}\s*年?\s*(底|末|年底|年末)?\s*(前|以前|之前|内|以内|后|以后|之后|起)?"
)


_RANGE_BEFORE = re.compile(r"(?:19|20)\d\d\s*年?\s*[-–—~～]\s*$")
_YEAR_BEFORE = re.compile(r"(?:19|20)\d\d\s*年?\s*$")


def _end(year: int) -> str:
    return f"{year:04d}-12-31"


def dates(text: str) -> list[DateBound]:
    """Date bounds and months in a normalised question, left to right."""
    found: list[DateBound] = []
    taken: list[tuple[int, int]] = []
    for regex in (_EN_MONTH_RE, _ZH_MONTH_RE):
        for m in regex.finditer(text):
            if regex is _EN_MONTH_RE:
                month = MONTHS[m.group(1)]
                year = int(m.group(2))
            else:
                year = int(m.group(1))
                month_value = number(m.group(2))
                if month_value is None:
                    continue
                month = int(month_value)
            if 1 <= month <= 12:
                found.append(DateBound("month", f"{year:04d}-{month:02d}", *m.span(), month=True))
                taken.append(m.span())
    for m in _EN_YEAR_RE.finditer(text):
        if any(s < m.end() and m.start() < e for s, e in taken):
            continue
        word, end_of, year = (m.group(2) or m.group(1) or ""), bool(m.group(3)), int(m.group(4))
        if not (word or end_of) or _RANGE_BEFORE.search(text, 0, m.start()):
            continue
        if word in ("before",) and not end_of:
            op, value = "le", _end(year - 1)
        elif word in ("after", "from", "since"):
            op, value = "ge", f"{year + (1 if word == 'after' else 0):04d}-01-01"
        elif word in ("in", "of", "during", "for", "") and not end_of:
            op, value = "year", str(year)
        else:
            op, value = "le", _end(year)
        found.append(DateBound(op, value, *m.span()))
    for m in _ZH_YEAR_RE.finditer(text):
        if any(s < m.end() and m.start() < e for s, e in taken):
            continue
        lead, year, zh_end, tail = m.group(1) or "", int(m.group(2)), m.group(3) or "", m.group(4) or ""
        if not (lead or zh_end or tail or "年" in m.group(0)) or _RANGE_BEFORE.search(text, 0, m.start()):
            continue
        if lead in ("到", "至") and _YEAR_BEFORE.search(text, 0, m.start()):
            continue
        if tail in ("前", "以前", "之前") and not zh_end:
            op, value = "le", _end(year - 1)
        elif tail in ("后", "以后", "之后", "起") or lead in ("从", "自"):
            op, value = "ge", f"{year + (1 if tail in ('后', '以后', '之后') else 0):04d}-01-01"
        elif lead in ("到", "至", "截至", "截止到", "截止") or zh_end or tail:
            op, value = "le", _end(year)
        else:
            op, value = "year", str(year)
        found.append(DateBound(op, value, *m.span()))
    return sorted(found, key=lambda d: d.start)


def date_matches(bound: DateBound, value: str) -> bool:
    """Whether an ISO date (or its prefix) satisfies the bound."""
    if not value:
        return False
    if bound.op == "year":
        return value[:4] == bound.value
    if bound.op == "month":
        return value[:7] == bound.value
    if bound.op == "le":
        return value <= bound.value
    if bound.op == "lt":
        return value < bound.value
    return value >= bound.value


def number_matches(comparison: Comparison, value: float) -> bool:
    op, target = comparison.op, comparison.value
    return {
        "gt": value > target,
        "ge": value >= target,
        "lt": value < target,
        "le": value <= target,
        "eq": value == target,
    }[op]
