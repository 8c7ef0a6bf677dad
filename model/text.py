"""Text normalisation shared by every store, so search answers the same everywhere."""

from __future__ import annotations

import unicodedata


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
