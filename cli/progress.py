"""A Rich progress display that only appears once work has taken longer than a second."""

from __future__ import annotations

import sys
import time
from types import TracebackType

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

DELAY_SECONDS = 1.0


class DelayedProgress:
    """Progress bars on stderr for long work; silent for short work and when stderr is not a terminal."""

    def __init__(self, enabled: bool | None = None) -> None:
        self.enabled = sys.stderr.isatty() if enabled is None else enabled
        self.progress = Progress(
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=Console(stderr=True),
            transient=True,
        )
        self.started_at = time.monotonic()
        self.shown = False
        self.task: TaskID | None = None

    def __enter__(self) -> DelayedProgress:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None) -> None:
        if self.shown:
            self.progress.stop()

    def stage(self, description: str, total: int) -> None:
        """Begin a new stage of work with `total` steps."""
        if self.task is not None:
            self.progress.remove_task(self.task)
        self.task = self.progress.add_task(description, total=total)
        self._maybe_show()

    def update(self, done: int, total: int | None = None) -> None:
        if self.task is not None:
            self.progress.update(self.task, completed=done, total=total)
        self._maybe_show()

    def _maybe_show(self) -> None:
        if self.enabled and not self.shown and time.monotonic() - self.started_at > DELAY_SECONDS:
            self.progress.start()
            self.shown = True
