"""GET /api/v1/ask?q=…: a question in plain English or Chinese, answered like a named query.

The answer has `items` (direct answers with their evidence), `derived` (answers reached through
the graph), `reading` (what the question was read as, said back in its language), `alternatives`
(other readings of an ambiguous question), or `interpreted: false` with a message and suggestions.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from plankg.api.blocking import call_store
from plankg.api.deps import StoreDep
from plankg.api.errors import error_responses
from plankg.api.json_response import JSONResponse
from plankg.api.views import query_item_json
from plankg.graph.ask import ask as ask_question
from plankg.graph.ask.service import MAX_QUESTION

router = APIRouter(prefix="/api/v1", tags=["ask"])


@router.get("/ask", summary="Ask a question in plain English or Chinese", responses=error_responses(422))
async def ask(
    store: StoreDep,
    q: Annotated[
        str,
        Query(
            min_length=1,
            max_length=MAX_QUESTION,
            description="The question, in English or Chinese.",
            examples=["Which standards support smart healthcare?", "工信部发布了哪些规划？"],
        ),
    ],
) -> JSONResponse:
    """The question read into the graph's own queries and answered offline; never a guess: a question
    the graph cannot answer gets no items, `interpreted: false` and suggestions."""
    answer = await call_store(store, lambda: ask_question(store, q))
    return JSONResponse(answer.to_dict(query_item_json))
