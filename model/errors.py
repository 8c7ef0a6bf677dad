"""Errors a user can act on: each names the file, the line or record, the field and what was expected."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from plankg.model.elements import GraphBatch


@dataclass(frozen=True)
class InputProblem:
    """One problem in one input: where it is, which field, and what was expected."""

    file: str
    line: int | None
    field: str | None
    message: str

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        field = f" [{self.field}]" if self.field else ""
        return f"{where}:{field} {self.message}"

    def to_dict(self) -> dict[str, object]:
        return {"file": self.file, "line": self.line, "field": self.field, "message": self.message}


class InputError(Exception):
    """Raised when an input cannot be loaded; carries every problem found, nothing was written."""

    def __init__(
        self, problems: list[InputProblem], partial: GraphBatch | None = None, rejected: dict[str, str] | None = None
    ) -> None:
        self.problems = problems
        self.partial = partial
        """What could be read despite the problems, so later checks can still report theirs."""
        self.rejected = rejected or {}
        """Ids of records refused here, with their declared type ("" when that was wrong too)."""
        super().__init__("\n".join(str(problem) for problem in problems))

    @classmethod
    def single(cls, file: str, line: int | None, field: str | None, message: str) -> InputError:
        return cls([InputProblem(file, line, field, message)])
