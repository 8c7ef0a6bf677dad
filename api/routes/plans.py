"""Plan-level routes: diff, unload / reload (writes, token needed), report, derived answers, deadlines, analytics.

The work is done by graph/ (diff, retract, report, derive, timeline, analytics); these routes
check parameters, call the store off the event loop when it is remote, and shape errors.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Query, UploadFile
from fastapi import Path as PathParam
from fastapi.responses import HTMLResponse

from plankg.api.auth import require_writer
from plankg.api.blocking import call_store
from plankg.api.deps import NAME_DESCRIPTION, SettingsDep, StoreDep, check_id, resolve_param
from plankg.api.errors import ApiError, error_responses
from plankg.api.json_response import JSONResponse
from plankg.api.locators import add_locators_zh
from plankg.api.openapi import NAME_REFUSAL, refusals
from plankg.api.views import query_item_json
from plankg.graph import analytics, derive, report, retract, timeline
from plankg.graph.diff import diff as run_diff
from plankg.graph.queries import NAMED_QUERIES
from plankg.loaders import prepare
from plankg.model.errors import InputError
from plankg.ontology.schema import ID_PATTERN, load_schema

router = APIRouter(prefix="/api/v1", tags=["plans"])

ID_SCHEMA = {"pattern": ID_PATTERN.pattern}
DATE_QUERY: dict[str, Any] = {"json_schema_extra": {"format": "date"}}
"""An ISO date parameter: the schema says so (format: date); timeline.parse_date answers 400 for anything else."""


def _date(value: str | None, name: str) -> dt.date | None:
    """A date parameter: None when absent; anything but an ISO date, the empty string too, is a 400."""
    if value is None:
        return None
    if not value:
        raise ApiError(400, "bad_query", f"{name} must be a date like 2023-12-31, got ''")
    return timeline.parse_date(value, name)


IdQuery = Annotated[str, Query(max_length=300, description="A Document or Plan id.", json_schema_extra=ID_SCHEMA)]
PlanId = Annotated[str, PathParam(max_length=300, description="A Plan id.", json_schema_extra=ID_SCHEMA)]


@router.get(
    "/diff",
    summary="Diff two documents or two plans",
    responses=error_responses(400, 404, 422),
    openapi_extra=refusals(NAME_REFUSAL),
)
async def diff(
    store: StoreDep,
    a: Annotated[
        str,
        Query(min_length=1, max_length=300, description=f"The earlier Document or Plan: {NAME_DESCRIPTION}."),
    ],
    b: Annotated[
        str, Query(min_length=1, max_length=300, description=f"The later Document or Plan: {NAME_DESCRIPTION}.")
    ],
) -> JSONResponse:
    """Entities and relations `added`, `changed`, `unchanged` and `not_stated` (B is silent — not "removed"),
    with the evidence on each side; the matching rule is in the answer."""

    def work() -> dict[str, Any]:
        return add_locators_zh(run_diff(store, resolve_param(store, a, "a"), resolve_param(store, b, "b")))

    return JSONResponse(await call_store(store, work))


@router.post(
    "/unloads",
    summary="Unload a document or a plan",
    dependencies=[Depends(require_writer)],
    responses=error_responses(400, 401, 403, 404, 503),
)
def unload(store: StoreDep, id: IdQuery) -> JSONResponse:
    """Remove what only this document (or every document of this plan) states; keep what other documents
    also state. All or nothing. Needs `Authorization: Bearer <token>`."""
    entity_id = check_id(id, "id")
    return JSONResponse(retract.unload(store, entity_id).to_dict())


@router.post(
    "/reloads",
    summary="Replace a document's statements with a corrected file",
    dependencies=[Depends(require_writer)],
    responses=error_responses(400, 401, 403, 413, 422, 503),
)
def reload(
    store: StoreDep,
    settings: SettingsDep,
    file: Annotated[UploadFile, File(description="The corrected file (any input format).")],
    document: Annotated[
        list[str] | None,
        Query(description="Documents whose statements are replaced (default: the Document entities in the file)."),
    ] = None,
) -> JSONResponse:
    """Validate the file, then in one all-or-nothing write drop what its documents stated and load it.
    Needs `Authorization: Bearer <token>`."""
    from plankg.api.routes.loads import _renamed, _save, _suffix

    display = Path((file.filename or "upload").replace("\\", "/")).name or "upload"
    suffix = _suffix(display)
    named = [check_id(d, "document") for d in document or []]
    with tempfile.TemporaryDirectory(prefix="plankg-upload-") as folder:
        path = Path(folder) / f"upload{suffix}"
        _save(file, path, settings.max_upload_bytes)
        try:
            batch = prepare([path], store.known_types)
        except InputError as error:
            raise _renamed(error, str(path), display) from None
    documents = named or [node.id for node in batch.nodes if node.type == load_schema().document_type]
    if not documents:
        raise ApiError(
            400, "no_document", "the file holds no Document entity; name the documents to replace with ?document="
        )
    return JSONResponse(store.retract(documents, batch).to_dict())


@router.get(
    "/plans/{plan_id}/report",
    summary="A self-contained HTML report on a plan",
    response_class=HTMLResponse,
    responses={200: {"content": {"text/html": {}, "application/json": {}}}, **error_responses(400, 404)},
)
async def plan_report(
    store: StoreDep,
    plan_id: PlanId,
    format: Annotated[str, Query(pattern="^(html|json)$", description="html (default) or json (the data).")] = "html",
) -> Any:
    """Targets, actions and tasks, industries, coverage, what changed against its previous version or
    successor, and charts — one HTML file with inline CSS and SVG, no scripts, no external references."""
    plan = check_id(plan_id, "plan_id")
    if format == "json":
        return JSONResponse(await call_store(store, lambda: report.build(store, plan)))
    html = await call_store(store, lambda: report.render_html(store, plan))
    return HTMLResponse(
        html, headers={"Content-Disposition": f'inline; filename="{plan}.report.html"'}, media_type="text/html"
    )


@router.get("/plans/{plan_id}/summary", summary="What a plan states", responses=error_responses(400, 404))
async def plan_summary(store: StoreDep, plan_id: PlanId) -> JSONResponse:
    """Counts by type and relation of what its documents state, its goals, targets, actions, industries, links."""
    plan = check_id(plan_id, "plan_id")
    return JSONResponse(await call_store(store, lambda: analytics.plan_summary(store, plan)))


@router.get(
    "/derived/{name}",
    summary="Direct and derived answers to a named query",
    responses=error_responses(400, 404),
    openapi_extra=refusals(NAME_REFUSAL),
)
async def derived(
    store: StoreDep,
    name: str,
    id: Annotated[
        str,
        Query(min_length=1, max_length=300, description=f"Where the query starts (its parameter): {NAME_DESCRIPTION}."),
    ],
    include_unconfirmed: bool = True,
) -> JSONResponse:
    """`items` are the named query's direct answers (as /queries/{name}); `derived` the answers reached through
    the graph, each `kind: derived` with its rule and `chain` of edges with their quotes."""
    query = NAMED_QUERIES.get(name)
    if query is None:
        raise ApiError(404, "unknown_query", f"no named query {name[:80]!r}", {"queries": list(NAMED_QUERIES)})

    def work() -> dict[str, Any]:
        params = {
            query.param: resolve_param(store, id, "id", query.param_type),
            "include_unconfirmed": include_unconfirmed,
        }
        result = derive.answer(store, name, params)
        return {
            "query": name,
            "parameters": params,
            "items": [{"kind": "direct", **query_item_json(item)} for item in result.items],
            "derived": add_locators_zh([item.to_dict() for item in result.derived]),
        }

    return JSONResponse(await call_store(store, work))


@router.get("/deadlines", summary="Goals and indicators by deadline", responses=error_responses(400, 404))
async def deadlines(
    store: StoreDep,
    plan: Annotated[
        str | None, Query(max_length=300, description="Only this plan.", json_schema_extra=ID_SCHEMA)
    ] = None,
    year: Annotated[int | None, Query(ge=1900, le=2200, description="Due in this year.")] = None,
    by: Annotated[str | None, Query(description="Due on or before (YYYY-MM-DD).", **DATE_QUERY)] = None,
    overdue_at: Annotated[str | None, Query(description="Deadline passed at (YYYY-MM-DD).", **DATE_QUERY)] = None,
) -> JSONResponse:
    """Indicators (target, evidence, goals, plans) and goals by deadline; overdue means the deadline passed."""
    plan_id = check_id(plan, "plan") if plan is not None else None
    window = timeline.Window(year, _date(by, "by"), _date(overdue_at, "overdue_at"))
    return JSONResponse(await call_store(store, lambda: add_locators_zh(timeline.deadlines(store, plan_id, window))))


@router.get("/analytics/coverage", summary="Coverage matrices and gaps")
async def coverage(store: StoreDep) -> JSONResponse:
    """Standards × industries and measures × industries, each pair `direct` or `derived` with its chain; gaps."""
    return JSONResponse(await call_store(store, lambda: add_locators_zh(analytics.coverage(store))))


@router.get("/analytics/centrality", summary="Central industries and standards")
async def centrality(store: StoreDep) -> JSONResponse:
    """Industries and standards by betweenness centrality across plans, with degree and the plans naming them."""
    return JSONResponse(await call_store(store, lambda: analytics.centrality(store)))
