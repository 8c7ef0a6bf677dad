"""The CSV shape of plan data, shared by the CSV reader (loaders) and the CSV export (graph).

Aliases sit in one cell per language, separated by ALIAS_SEPARATOR ("MIIT | Ministry of
Industry and Information Technology"); properties are a JSON object in one cell.
"""

from __future__ import annotations

NODE_COLUMNS = ("id", "type", "label_en", "label_zh", "aliases_en", "aliases_zh", "status", "properties")
EDGE_COLUMNS = ("from", "relation", "to", "status")
SOURCE_COLUMNS = ("document", "locator", "quote", "note")
"""A row carries a verbatim quote or a curatorial note, never both."""
OPTIONAL_COLUMNS = {"note", "label_zh", "aliases_en", "aliases_zh", "status", "properties"}
COMBINED_COLUMNS = (
    "kind",
    "id",
    "type",
    "label_en",
    "label_zh",
    "aliases_en",
    "aliases_zh",
    "status",
    "properties",
    "from",
    "relation",
    "to",
    *SOURCE_COLUMNS,
)
"""The column order `plankg export --format csv` writes."""
ALIAS_SEPARATOR = " | "


def split_aliases(cell: str) -> list[str]:
    """The names in one aliases cell."""
    return [name.strip() for name in cell.split(ALIAS_SEPARATOR.strip()) if name.strip()]


def join_aliases(names: list[str]) -> str:
    """One aliases cell for a list of names."""
    return ALIAS_SEPARATOR.join(names)


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""What makes a spreadsheet read a cell as a formula (OWASP CSV injection, CWE-1236)."""
ESCAPE = "'"


def neutralize_formula(cell: str) -> str:
    """A leading apostrophe before formula-like cells (and before cells already starting with one)."""
    return ESCAPE + cell if cell.startswith((*FORMULA_STARTS, ESCAPE)) else cell


def restore_formula(cell: str) -> str:
    """The inverse of neutralize_formula: drop the apostrophe it added."""
    if cell.startswith(ESCAPE) and cell[1:].startswith((*FORMULA_STARTS, ESCAPE)):
        return cell[1:]
    return cell
