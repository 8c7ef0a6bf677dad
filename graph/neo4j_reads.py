"""A compiled Neo4j question as one auto-commit query (PLANKG_NEO4J_READS=autocommit).

A managed read transaction costs two round trips whatever the question: BEGIN+RUN+PULL, then
COMMIT (the Python driver cannot send the COMMIT in the first flight). An auto-commit query sends
RUN and PULL together and is done when the records arrive: one round trip. The driver retries only
managed transactions, so here the retries are tenacity's, with the driver's own rules:

- what is retried: an error whose `is_retryable()` is true (the test the driver applies:
  transient server errors, a leader switch, a lost or expired connection); anything else is
  raised at once;
- for how long: attempts go on until `budget` seconds have passed since the first failure, as
  the driver's `max_transaction_retry_time` (its timer also starts after the first attempt);
- how long between: `initial_delay` × `multiplier`^n, ± 20 % jitter (the driver's defaults).

Each attempt opens a fresh session (the driver also drops the connection before a retry), routed
to a reader (READ_ACCESS), with the bookmark manager the caller gives: plankg passes none, as for
its managed reads (graph/NEO4J.md, "Read modes", says why and what that means in a cluster).
A read has no effect, so repeating it is safe. This module is the only place plankg sends an
auto-commit statement (tests/test_neo4j_autocommit_reads.py checks that, and that it has no
hand-written retry loop; tests/test_outage.py checks graph/neo4j_store.py the same way).
"""

from __future__ import annotations

import random
from typing import Any

import neo4j
from neo4j import Driver
from neo4j.exceptions import DriverError, Neo4jError
from tenacity import RetryCallState, Retrying, retry_if_exception

JITTER = 0.2
"""The driver's default retry_delay_jitter_factor: each wait is its nominal value ± 20 %."""


def retryable(error: BaseException) -> bool:
    """The driver's own test for a failure worth another attempt."""
    return isinstance(error, Neo4jError | DriverError) and error.is_retryable()


class _SinceFirstFailure:
    """tenacity stop condition: `budget` seconds after the first failed attempt (the driver's timer)."""

    def __init__(self, budget: float) -> None:
        self.budget = budget
        self.first: float | None = None

    def __call__(self, state: RetryCallState) -> bool:
        now = state.outcome_timestamp or 0.0
        if self.first is None:
            self.first = now
        return now - self.first > self.budget


def retrying(budget: float, initial_delay: float, multiplier: float) -> Retrying:
    """A fresh retry controller for one read (the stop condition keeps the first failure's time)."""

    def wait(state: RetryCallState) -> float:
        """The driver's retry_delay_generator: initial × multiplier^(n-1), ± JITTER of itself."""
        return initial_delay * multiplier ** (state.attempt_number - 1) * random.uniform(1 - JITTER, 1 + JITTER)

    return Retrying(retry=retry_if_exception(retryable), stop=_SinceFirstFailure(budget), wait=wait, reraise=True)


def autocommit_read(
    driver: Driver,
    database: str,
    query: neo4j.Query,
    params: dict[str, Any],
    *,
    bookmark_manager: neo4j.BookmarkManager | None,
    budget: float,
    initial_delay: float,
    multiplier: float,
) -> list[neo4j.Record]:
    """All records of `query` run as one auto-commit read, retried as the module doc says."""

    def attempt() -> list[neo4j.Record]:
        with driver.session(
            database=database, default_access_mode=neo4j.READ_ACCESS, bookmark_manager=bookmark_manager
        ) as session:
            return list(session.run(query, params))

    return retrying(budget, initial_delay, multiplier)(attempt)
