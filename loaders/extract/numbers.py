"""Numbers, targets and deadlines as plans write them, in Chinese and English.

Chinese: 5.6亿, 4000万, 3000个以上, 翻一番, 百分之三十, 3-5个 / 3~5个 / 三至五个, 不少于, 超过, 左右;
English: more than 30, at least 120, 20% or more, three to five, one or two, 70 billion, doubling,
by 2023 / by the end of 2023. A target is a value (and a maximum for a range), a unit, a
comparator from the ontology (gt, ge, lt, le, eq, range) and the span it was read from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import cn2an

CN_NUM = "零〇一二两三四五六七八九十百千万亿"
MULTIPLIERS = {"万亿": 1e12, "亿": 1e8, "万": 1e4, "千": 1e3, "百": 1e2}
EN_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30, "forty": 40,
    "fifty": 50, "hundred": 100,
}  # fmt: skip
EN_SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}

# a Chinese or Arabic number; an ASCII letter right after a digit makes it a name (5G, 3D), not a number
_ARABIC = r"\d+(?:,\d{3})*(?:\.\d+)?"
_ZH_NUMBER = rf"(?:{_ARABIC}|[{CN_NUM}]+(?:点[{CN_NUM}]+)?)(?:万亿|亿|万|千)?"
_ZH_CLASSIFIERS = (
    r"个百分点|个|家|项|台|套|座|所|条|种|批|只|张|部|款|户|人次|人|名|件|处|次|倍|辆|吨|千瓦时|千瓦|兆瓦|"
    r"吉瓦|公里|千米|米|平方米|亩|元|美元|GB|TB|PB|EB|EFLOPS|PFLOPS|Gbps|Mbps|EFlops|PFlops"
)
ZH_TARGET = re.compile(
    rf"(?P<pre>不少于|不低于|不超过|不高于|超过|突破|高于|低于|多于|少于|大于|小于|达到|达|至少|力争|近|约|降至|降到|提高到|提升到|提高至|提升至)?"
    rf"(?P<pct>百分之)?(?P<num>{_ZH_NUMBER})(?:\s*(?:[-~～—–至到])\s*(?P<max>{_ZH_NUMBER}))?"
    rf"\s*(?P<unit>%|％|‰|(?:亿|万)?(?:{_ZH_CLASSIFIERS}))?"
    rf"(?P<post>以上|以下|以内|左右|多|余|强|上下)?"
)
ZH_DOUBLE = re.compile(r"翻(?P<n>一|两|二|三|\d)番")
EN_NUMBER = rf"(?:{_ARABIC}|(?:{'|'.join(EN_WORDS)}))(?:\s+(?:{'|'.join(EN_SCALES)}))?"
EN_TARGET = re.compile(
    rf"(?P<pre>more than|over|above|exceeding|exceeds?|surpass(?:es|ing)?|(?<=will )top|tops|greater than|"
    rf"higher than|at least|"
    rf"no fewer than|no less than|not less than|"
    rf"up to|no more than|not more than|less than|fewer than|below|under|about|around|approximately|nearly|"
    rf"close to|some|reach(?:es|ing)?|to)?\s*"
    rf"(?<![\w.])(?P<num>{EN_NUMBER})(?:\s*(?:-|–|to|or)\s*(?P<max>{EN_NUMBER}))?"
    rf"(?P<unit>\s*(?:%|percent|per cent|percentage points?)|\s+(?:yuan|RMB|dollars|EFLOPS|PFLOPS|GW|MW|kW|"
    rf"tonnes|tons|km|households|people|times))?(?![\w.]*[A-Za-z0-9])"
    rf"(?P<post>\s+or more|\s+or above|\s+or less|\s+or below|\s+and above|\+)?",
    re.IGNORECASE,
)
_EN_STOP = {"and", "or", "with", "in", "of", "to", "by", "will", "each", "per", "that", "which", "for", "from", "at"}


def _en_noun(tail: str) -> str:
    """The counted noun after an English number: '30 5G fully-connected factories will …' → '5G fully-connected factories'."""  # noqa: E501
    words: list[str] = []
    for word in re.findall(r"[A-Za-z0-9][\w+-]*", tail[:80]):
        if word.lower() in _EN_STOP or len(words) == 4:
            break
        words.append(word)
    return " ".join(words)


EN_DOUBLE = re.compile(r"\b(doubl(?:e|es|ed|ing)|tripl(?:e|es|ed|ing))\b", re.IGNORECASE)
YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
ZH_DEADLINE = re.compile(
    r"(?:到|至|截至|截止到?|力争到|力争在|在)?\s*(?P<y>(?:19|20)\d{2})\s*年(?:(?P<m>\d{1,2})月)?(?P<end>底|末|前|年底)?"
)
EN_DEADLINE = re.compile(
    r"\b(?:by|before|until|through|in)\s+(?:(?:the\s+)?(?:end|middle)\s+of\s+|end[- ]|mid[- ])?(?:(?P<month>[A-Z][a-z]+)\s+)?(?P<y>(?:19|20)\d{2})\b",  # noqa: E501
    re.IGNORECASE,
)
PERIOD = re.compile(r"[（(]\s*((?:19|20)\d{2})\s*[-—–~～至到]\s*((?:19|20)\d{2})\s*年?\s*[)）]")
MONTHS = {m: i + 1 for i, m in enumerate(
    ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November",
     "December"])}  # fmt: skip
_MONTH_END = {2: 28, 4: 30, 6: 30, 9: 30, 11: 30}

COMPARATORS_ZH = {
    "不少于": "ge", "不低于": "ge", "至少": "ge", "以上": "ge", "多": "gt", "余": "gt", "强": "gt",
    "超过": "gt", "突破": "gt", "高于": "gt", "多于": "gt", "大于": "gt",
    "不超过": "le", "不高于": "le", "以下": "le", "以内": "le", "降至": "le", "降到": "le",
    "低于": "lt", "少于": "lt", "小于": "lt",
}  # fmt: skip
COMPARATORS_EN = {
    "more than": "gt", "over": "gt", "above": "gt", "exceeding": "gt", "exceed": "gt", "exceeds": "gt",
    "surpass": "gt", "surpasses": "gt", "surpassing": "gt", "greater than": "gt", "higher than": "gt", "+": "gt",
    "top": "gt", "tops": "gt",
    "at least": "ge", "no fewer than": "ge", "no less than": "ge", "not less than": "ge", "or more": "ge",
    "or above": "ge", "and above": "ge",
    "up to": "le", "no more than": "le", "not more than": "le", "or less": "le", "or below": "le",
    "less than": "lt", "fewer than": "lt", "below": "lt", "under": "lt",
}  # fmt: skip
APPROX = {"左右", "约", "近", "上下", "about", "around", "approximately", "nearly", "close to", "some"}
TIME_UNITS = re.compile(r"^\s*(?:年|个月|月|天|日|周|小时|years?|months?|days?|weeks?|hours?)\b")


@dataclass(frozen=True)
class Target:
    """A figure as a plan states it: value (scaled: 5.6亿 → 560000000), optional max, unit, comparator, span."""

    value: float
    unit: str
    comparator: str
    start: int
    end: int
    written: str
    maximum: float | None = None
    approximate: bool = False
    attributive: bool = False

    def properties(self) -> dict[str, object]:
        props: dict[str, object] = {"target_value": _tidy(self.value), "unit": self.unit or "count"}
        if self.maximum is not None:
            props["comparator"], props["target_max"] = "range", _tidy(self.maximum)
        else:
            props["comparator"] = self.comparator
        return props


def _tidy(value: float) -> int | float:
    return int(value) if float(value).is_integer() and abs(value) < 1e18 else round(value, 6)


def zh_number(text: str) -> float | None:
    """A number written in Arabic or Chinese digits with an optional 万/亿 scale: 5.6亿 → 560000000."""
    text = text.replace(",", "").strip()
    scale = 1.0
    for suffix, factor in MULTIPLIERS.items():
        if text.endswith(suffix) and len(text) > len(suffix) and re.fullmatch(r"[\d.]+", text[: -len(suffix)]):
            scale, text = factor, text[: -len(suffix)]
            break
    try:
        if re.fullmatch(r"\d+(?:\.\d+)?", text):
            return float(text) * scale
        return float(cn2an.cn2an(text, "smart")) * scale
    except (ValueError, KeyError, TypeError):
        return None


def en_number(text: str) -> float | None:
    """A number in digits or words with an optional scale word: 'three' → 3, '70 billion' → 7e10."""
    parts = text.lower().replace(",", "").split()
    if not parts:
        return None
    head = parts[0]
    value = float(head) if re.fullmatch(r"\d+(?:\.\d+)?", head) else EN_WORDS.get(head)
    if value is None:
        return None
    for word in parts[1:]:
        value *= EN_SCALES.get(word, 1.0)
    return float(value)


def _is_name_digit(text: str, end: int) -> bool:
    """A digit run followed directly by a letter is a name (5G, 3D, T-BOX), not a quantity."""
    return end < len(text) and text[end].isascii() and text[end].isalpha()


def zh_targets(text: str, offset: int = 0) -> list[Target]:
    """Every quantity in a Chinese clause that can be a target (years, durations, ordinals and names left out)."""
    found: list[Target] = []
    for match in ZH_TARGET.finditer(text):
        num = match.group("num")
        if not num or not re.search(r"[\d一二两三四五六七八九十百千万亿]", num):
            continue
        num_end = match.start("num") + len(num)
        if match.group("max"):
            num_end = match.end("max")
        unit = match.group("unit") or ""
        if not unit and (_is_name_digit(text, num_end) or (num_end < len(text) and text[num_end] in "年月日号届期级")):
            continue
        if text[max(0, match.start("num") - 1) : match.start("num")] in ("第", "〔", "["):
            continue
        if TIME_UNITS.match(text[num_end:]) and not unit:
            continue
        bare = not unit and not match.group("pct") and not match.group("pre") and not match.group("post")
        if bare and not re.search(r"[A-Za-z]", text[num_end : num_end + 8]):  # a bare figure counts only with a unit
            continue
        if re.fullmatch(rf"[{CN_NUM}]+", num) and not (unit or match.group("pct")):
            continue
        if unit in ("批", "种", "次") and not re.search(r"\d", num):
            continue  # 一批, 一种: a vague amount, not a figure
        value = zh_number(num)
        if value is None:
            continue
        maximum = zh_number(match.group("max")) if match.group("max") else None
        pre, post = match.group("pre") or "", match.group("post") or ""
        written_unit = unit
        if match.group("pct") or unit in ("%", "％"):
            written_unit = "%"
        elif unit.startswith(("亿", "万")):
            value *= MULTIPLIERS[unit[0]]
            if maximum is not None:
                maximum *= MULTIPLIERS[unit[0]]
            written_unit = unit[1:]
        elif not unit:
            metric = re.match(r"\s*([A-Za-z][A-Za-z0-9]*)", text[num_end:])
            written_unit = metric.group(1) if metric else ""
            if not written_unit:
                near = re.findall(r"[A-Z]{2,}", text[: match.start()])
                written_unit = near[-1] if near else ""
        comparator = COMPARATORS_ZH.get(post) or COMPARATORS_ZH.get(pre) or "eq"
        start = (
            match.start("pre")
            if pre and pre not in ("力争",)
            else match.start("pct")
            if match.group("pct")
            else match.start("num")
        )
        end = match.end()
        tail = text[end : end + 1]
        found.append(
            Target(
                value=value,
                unit=written_unit,
                comparator=comparator,
                start=offset + start,
                end=offset + end,
                written=text[start:end],
                maximum=maximum,
                approximate=pre in APPROX or post in APPROX,
                attributive=tail == "的",
            )
        )
    for match in ZH_DOUBLE.finditer(text):
        times = {"一": 1, "两": 2, "二": 2, "三": 3}.get(match.group("n")) or int(match.group("n"))
        found.append(Target(float(2**times), "倍", "eq", offset + match.start(), offset + match.end(), match.group(0)))
    return sorted(found, key=lambda t: t.start)


def en_targets(text: str, offset: int = 0) -> list[Target]:
    """Every quantity in an English clause that can be a target (years, durations and names left out)."""
    found: list[Target] = []
    for match in EN_TARGET.finditer(text):
        num = match.group("num")
        value = en_number(num)
        if value is None:
            continue
        num_end = match.end("max") if match.group("max") else match.end("num")
        if _is_name_digit(text, num_end) or (YEAR.fullmatch(num.strip()) and not match.group("unit")):
            continue
        if TIME_UNITS.match(text[num_end:]):
            continue
        pre = (match.group("pre") or "").lower()
        post = (match.group("post") or "").strip().lower()
        unit = (match.group("unit") or "").strip()
        maximum = en_number(match.group("max")) if match.group("max") else None
        if maximum is not None and maximum <= value:
            maximum = None
        if unit.lower().startswith(("percent", "per cent")):
            unit = "%"
        if not unit:
            unit = _en_noun(text[match.end() :])
        comparator = COMPARATORS_EN.get(post) or COMPARATORS_EN.get(pre) or "eq"
        start = match.start("pre") if pre and pre not in ("to", "reach", "reaches", "reaching") else match.start("num")
        found.append(
            Target(
                value=value,
                unit=unit,
                comparator=comparator,
                start=offset + start,
                end=offset + match.end(),
                written=text[start : match.end()].strip(),
                maximum=maximum,
                approximate=pre in APPROX,
                attributive=bool(re.match(r"\s*(?:each|per)\b", text[match.end() :])),
            )
        )
    for match in EN_DOUBLE.finditer(text):
        times = 2.0 if match.group(1).lower().startswith("doubl") else 3.0
        found.append(Target(times, "times", "eq", offset + match.start(), offset + match.end(), match.group(0)))
    return sorted(found, key=lambda t: t.start)


def deadline(text: str, english: bool) -> str | None:
    """The date a clause sets as its deadline: 到2023年 / 2025年底 / by (the end of) 2023 → YYYY-12-31."""
    if english:
        match = EN_DEADLINE.search(text)
        if not match:
            return None
        month = MONTHS.get((match.group("month") or "").capitalize(), 12)
        return _month_end(int(match.group("y")), month)
    for match in ZH_DEADLINE.finditer(text):
        if match.group(0).startswith(("到", "至", "截至", "截止", "力争", "在")) or match.group("end"):
            return _month_end(int(match.group("y")), int(match.group("m") or 12))
    return None


def _month_end(year: int, month: int) -> str:
    month = min(max(month, 1), 12)
    return f"{year:04d}-{month:02d}-{_MONTH_END.get(month, 31)}"


def period(text: str) -> tuple[int, int] | None:
    """The years a plan covers, from a title such as （2021-2023年） or (2021-2023)."""
    match = PERIOD.search(text)
    return (int(match.group(1)), int(match.group(2))) if match else None
