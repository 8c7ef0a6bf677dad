"""Fuzz-run bookkeeping: counts the schemathesis cases sent and prints them at the end of the run."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

CASES_KEY = pytest.StashKey[Counter[str]]()


@pytest.fixture
def fuzz_cases(request: pytest.FixtureRequest) -> Counter[str]:
    """Cases sent, by "METHOD /path mode" (stateful steps under "stateful steps"), for the summary."""
    return request.config.stash.setdefault(CASES_KEY, Counter())


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    cases = config.stash.get(CASES_KEY, None)
    if not cases:
        return
    terminalreporter.section("schemathesis fuzz cases")
    for label, count in sorted(cases.items()):
        terminalreporter.write_line(f"{count:6d}  {label}")
    terminalreporter.write_line(f"{sum(cases.values()):6d}  total")
