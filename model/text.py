"""Text normalisation shared by every store, so search answers the same everywhere."""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Iterable


def normalize(text: str) -> str:
    """Case- and width-insensitive form: NFKC folds full-width letters and digits, casefold folds case."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def search_rank(query: str, *candidates: str) -> int | None:
    """0 exact, 1 prefix, 2 substring match of the normalised query in any candidate; None if no match."""
    best: int | None = None
    for candidate in candidates:
        if not candidate or query not in candidate:
            continue
        rank = 0 if candidate == query else 1 if candidate.startswith(query) else 2
        best = rank if best is None else min(best, rank)
    return best


def with_article(word: str) -> str:
    """'an Indicator', 'a Standard': the indefinite article English wants before a type name."""
    return ("an " if word[:1].upper() in "AEIOU" else "a ") + word


def did_you_mean(word: object, choices: Iterable[str]) -> str:
    """' (did you mean supports_industry?)' for the closest valid name, or '' when none is close."""
    if not isinstance(word, str) or not word:
        return ""
    options = list(choices)
    close = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    if not close:
        folded = {option.casefold(): option for option in options}
        close = [folded[key] for key in difflib.get_close_matches(word.casefold(), list(folded), n=1, cutoff=0.6)]
    return f" (did you mean {close[0]}?)" if close else ""
