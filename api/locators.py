"""Chinese source locators, derived at read time from each bundled plan's heading glossary.

A locator says where in a document a quote is ("Goals for 2023 / key indicators, 2 [ZQ]"): the
section headings of the plan's text, a position in the section, the letters of the report it rests
on and, in parentheses, a curator's remark. The plan's data stays the single source: each plan
folder keeps `locators.zh.tsv` (loaders/data/<plan>/; TSV so that `plankg load` does not read it
as plan data), mapping the English headings used in its locators to the plan's Chinese heading
(`plan`: the heading as the plan text has it, recorded in texts/) or, where the text has no
Chinese heading for it (sections of a fact sheet, a remark), to a `curatorial` translation. A
locator is translated with the glossary of the folder that declares its document; positions
("bullet 2", "para. 4", "table row 3") follow fixed patterns. Nothing is written to a store, so
both stores and every export keep only the English locator; the API adds `locator_zh` (and
`locator_zh_curatorial` when part of it is a curator's translation) to the sources it returns.
"""

from __future__ import annotations

import csv
import functools
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple

import yaml

from plankg.loaders import bundled_plan_dirs

GLOSSARY_FILE = "locators.zh.tsv"
PLAN, CURATORIAL = "plan", "curatorial"

_TAGS = re.compile(r"\s*\[[^\]]*\]")
_NOTES = re.compile(r"\s*\(([^)]*)\)")
_POSITIONS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^(\d+(?:-\d+)?)$"), "第{0}条"),
    (re.compile(r"^bullet (\d+)$"), "第{0}点"),
    (re.compile(r"^para\. (\d+)$"), "第{0}段"),
    (re.compile(r"^task (\d+)$"), "任务{0}"),
    (re.compile(r"^task$"), "任务"),
    (re.compile(r"^table row (\d+)$"), "表第{0}行"),
]


class Heading(NamedTuple):
    """A glossary entry: the Chinese of an English heading, and whether the plan text has it."""

    zh: str
    origin: str


class Translation(NamedTuple):
    """A locator in Chinese; curatorial when some part of it is not a heading of the plan text."""

    zh: str
    curatorial: bool


def read_glossary(path: Path) -> dict[str, Heading]:
    """English heading (or `(remark)`) -> Heading, from a TSV with columns en, zh, origin[, where]."""
    glossary: dict[str, Heading] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.reader(handle, delimiter="\t"):
            if not row or row[0].startswith("#") or row[0] == "en":
                continue
            en, zh, origin = (cell.strip() for cell in row[:3])
            if origin not in (PLAN, CURATORIAL):
                raise ValueError(f"{path}: origin of {en!r} must be {PLAN!r} or {CURATORIAL!r}, got {origin!r}")
            glossary[en] = Heading(zh, origin)
    return glossary


def _documents(folder: Path) -> Iterator[str]:
    """The ids of the Documents a plan folder declares."""
    for path in sorted(folder.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for node in data.get("nodes") or []:
            if isinstance(node, dict) and node.get("type") == "Document":
                yield str(node["id"])


@functools.cache
def glossaries() -> dict[str, dict[str, Heading]]:
    """Document id -> the glossary of the bundled plan folder that declares it."""
    found: dict[str, dict[str, Heading]] = {}
    for folder in bundled_plan_dirs():
        if (folder / GLOSSARY_FILE).is_file():
            glossary = read_glossary(folder / GLOSSARY_FILE)
            for document in _documents(folder):
                found[document] = glossary
    return found


def _position(rest: str, glossary: dict[str, Heading]) -> tuple[str, bool] | None:
    """A position inside a section ("bullet 2", "table: smart education") in Chinese."""
    for pattern, template in _POSITIONS:
        match = pattern.match(rest)
        if match:
            return template.format(*match.groups()), False
    if rest.startswith("table: "):
        row = glossary.get(rest.removeprefix("table: "))
        return (f"表：{row.zh}", row.origin == CURATORIAL) if row else None
    entry = glossary.get(rest)
    return (entry.zh, entry.origin == CURATORIAL) if entry else None


def translate(locator: str, glossary: dict[str, Heading]) -> Translation | None:
    """The locator in Chinese, or None when a heading or remark of it is not in the glossary."""
    tags = "".join(_TAGS.findall(locator))
    remarks = _NOTES.findall(locator)
    core = _NOTES.sub("", _TAGS.sub("", locator)).strip()
    curatorial = False
    table = ""
    if ", table: " in core:  # a table row's name may hold " / " itself
        core, _, row = core.partition(", table: ")
        found = _position(f"table: {row}", glossary)
        if found is None:
            return None
        table, curatorial = found[0], found[1]
    parts: list[str] = []
    path: list[str] = []
    tail = ""
    for segment in core.split(" / "):
        whole = glossary.get(" / ".join([*path, segment]))
        name, rest = (segment, "") if whole or ", " not in segment else segment.rsplit(", ", 1)
        path.append(name)
        entry = glossary.get(" / ".join(path))
        if entry is None and re.fullmatch(r"\d+(?:-\d+)?", name):
            entry = Heading(f"第{name}项", PLAN)
        if entry is None:
            return None
        parts.append(entry.zh)
        curatorial = curatorial or entry.origin == CURATORIAL
        if rest:
            position = _position(rest, glossary)
            if position is None:
                return None
            tail = f"，{position[0]}"
            curatorial = curatorial or position[1]
    zh = " / ".join(parts) + tail + (f"，{table}" if table else "")
    for remark in remarks:
        entry = glossary.get(f"({remark})")
        if entry is None:
            return None
        zh += f"（{entry.zh}）"
        curatorial = True
    return Translation(zh + tags, curatorial)


@functools.lru_cache(maxsize=8192)
def locator_zh(document: str, locator: str) -> Translation | None:
    """The Chinese of a bundled document's locator (None for documents without a glossary)."""
    glossary = glossaries().get(document)
    return translate(locator, glossary) if glossary is not None else None


def with_locator_zh(source: dict[str, Any]) -> dict[str, Any]:
    """A source dict with `locator_zh` (and `locator_zh_curatorial: true`) when its plan has a glossary."""
    found = locator_zh(str(source.get("document", "")), str(source.get("locator", "")))
    if found is None:
        return source
    extra: dict[str, Any] = {"locator_zh": found.zh}
    if found.curatorial:
        extra["locator_zh_curatorial"] = True
    return {**source, **extra}


def add_locators_zh(value: Any) -> Any:
    """Every source dict (one with `document` and `locator`) inside an answer, with its Chinese locator."""
    if isinstance(value, list):
        return [add_locators_zh(item) for item in value]
    if isinstance(value, dict):
        if isinstance(value.get("document"), str) and isinstance(value.get("locator"), str):
            return with_locator_zh(value)
        return {key: add_locators_zh(item) for key, item in value.items()}
    return value
