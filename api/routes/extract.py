"""POST /api/v1/extract: a plan's text in, a draft (curated YAML and the same as JSON) out; writes nothing."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body
from pydantic import BaseModel, Field

from plankg.api.deps import SettingsDep, StoreDep
from plankg.api.errors import ApiError, error_responses
from plankg.api.json_response import JSONResponse
from plankg.api.openapi import refusals
from plankg.graph.store import StoreError

router = APIRouter(prefix="/api/v1", tags=["extract"])


class ExtractRequest(BaseModel):
    """The text of a plan (UTF-8), and optionally a name, a plan slug and the language."""

    text: str = Field(description="The plan's text: plain text, Markdown or HTML.")
    name: str = Field("posted.txt", max_length=200, description="A file name (its suffix says .md / .html).")
    plan: str | None = Field(None, max_length=80, pattern=r"^[a-z0-9]+(?:[-_.][a-z0-9]+)*$", description="Plan slug.")
    lang: Literal["auto", "zh", "en"] = "auto"
    link: bool = Field(True, description="Link mentions to the entities the graph already has.")


@router.post(
    "/extract",
    summary="Propose a draft from a plan's text (nothing is written)",
    responses=error_responses(400, 413, 422),
    openapi_extra=refusals("a text with nothing to extract (empty or blank once decoded) is answered 422 empty_text."),
)
def extract(
    request: Annotated[ExtractRequest, Body()],
    store: StoreDep,
    settings: SettingsDep,
) -> JSONResponse:
    """The draft as JSON (`draft`: plankg/nodes/edges, review notes per item, problems) and as the
    curated YAML a person reviews (`yaml`), ready for `plankg validate` / `POST /api/v1/loads`."""
    from plankg.loaders.extract import Extractor, read_input

    data = request.text.encode("utf-8")
    if len(data) > settings.max_upload_bytes:
        raise ApiError(413, "payload_too_large", f"the text is larger than {settings.max_upload_bytes} bytes")
    source = read_input(data, request.name)
    if not source.text.strip():
        raise ApiError(422, "empty_text", "nothing to extract: " + "; ".join(p.message for p in source.problems),
                       {"problems": [p.to_dict() for p in source.problems]})  # fmt: skip
    vocabulary: list[Any] = []
    if request.link:
        try:
            vocabulary = list(store.iter_nodes())
        except StoreError:
            vocabulary = []
    draft = Extractor(vocabulary).extract(source.text, request.name, plan=request.plan, lang=request.lang)
    draft.problems[:0] = [str(p) for p in source.problems]
    return JSONResponse({"draft": draft.to_dict(), "yaml": draft.to_yaml(), "problems": draft.problems})
