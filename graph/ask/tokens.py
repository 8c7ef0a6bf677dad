"""Questions and names as sequences of units: English word stems, numbers and single Chinese characters.

One tokenisation for the question, the vocabulary and every entity name means that matching is
a comparison of unit sequences: word boundaries in English, characters in Chinese, case, width
and traditional characters all handled in one place (plankg.model.resolver.name_key's rules).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from plankg.model.resolver import name_key

_UNIT = re.compile(
    r"\d+[a-z][a-z0-9]*|\d[\d,]*(?:\.\d+)?|[a-z][a-z0-9]*(?:[-'][a-z0-9]+)*|[0-9][a-z0-9]*|[\u3400-\u9fff]|%"
)
_CJK = re.compile(r"[\u3400-\u9fff]")


@dataclass(frozen=True)
class Unit:
    """One unit of a text: its matching form (a stem or a character), the surface text and its span."""

    key: str
    text: str
    start: int
    end: int


def normalise(text: str) -> str:
    """NFKC, case-folded, simplified Chinese; spaces and punctuation kept (they separate English words)."""
    text = unicodedata.normalize("NFKC", text).casefold()
    if _CJK.search(text):
        # name_key converts to simplified characters; apply it per CJK run so punctuation survives
        text = re.sub(r"[\u3400-\u9fff]+", lambda m: name_key(m.group(0)) or m.group(0), text)
    return text


@lru_cache(maxsize=8192)
def stem(word: str) -> str:
    """A crude English stem, enough to equate supports/supporting/supported and centre/centres."""
    if "-" in word:
        head, _, tail = word.rpartition("-")
        return f"{head}-{stem(tail)}"
    if not word.isascii() or not word.isalpha() or len(word) <= 3:
        return word
    if word.endswith("ies") and len(word) > 4:
        word = word[:-3] + "y"
    elif word.endswith("s") and not word.endswith("ss"):
        word = word[:-1]
    for suffix in ("ing", "ed"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            break
    if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "aeiouls":
        word = word[:-1]  # setting -> sett -> set
    return word.removesuffix("e") if len(word) > 3 else word


def _key(token: str) -> str:
    if token[0].isdigit() and re.fullmatch(r"[\d,]+(?:\.\d+)?", token):
        return token.replace(",", "")
    return stem(token)


def units(text: str) -> list[Unit]:
    """The units of a normalised text, in order."""
    return [Unit(_key(m.group(0)), m.group(0), m.start(), m.end()) for m in _UNIT.finditer(text)]


@lru_cache(maxsize=65536)
def keys(text: str) -> tuple[str, ...]:
    """The unit keys of any text (normalised first): how a name or a vocabulary phrase is matched."""
    return tuple(unit.key for unit in units(normalise(text)))


def is_cjk(text: str) -> bool:
    return bool(_CJK.search(text))
