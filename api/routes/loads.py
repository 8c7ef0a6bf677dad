"""Load a file (YAML, CSV, Turtle, JSON-LD, N-Triples) into the store: validated first, written all-or-nothing."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, File, UploadFile

from plankg.api.auth import require_writer
from plankg.api.deps import SettingsDep, StoreDep
from plankg.api.errors import ApiError, error_responses
from plankg.api.json_response import JSONResponse
from plankg.api.openapi import refusals
from plankg.graph.engine import statistics
from plankg.loaders import prepare
from plankg.model import formats
from plankg.model.errors import InputError, InputProblem

router = APIRouter(prefix="/api/v1", tags=["loads"])
CHUNK = 1024 * 1024


def _suffix(filename: str) -> str:
    """The loader suffix of an uploaded file's name (only the suffix is used, never the name as a path)."""
    name = Path(filename.replace("\\", "/")).name
    suffix = Path(name).suffix.lower()
    fmt = formats.by_extension(name)
    if fmt is None or not fmt.readable:
        raise InputError(
            [
                InputProblem(
                    name or "<upload>",
                    None,
                    "file",
                    f"unknown file type {suffix or '(none)'!r}; expected one of {', '.join(formats.read_extensions())}",
                )
            ]
        )
    return suffix


def _save(upload: UploadFile, target: Path, limit: int) -> None:
    written = 0
    with target.open("wb") as handle:
        while chunk := upload.file.read(CHUNK):
            written += len(chunk)
            if written > limit:
                raise ApiError(
                    413,
                    "payload_too_large",
                    f"the upload is larger than the server's limit of {limit} bytes (PLANKG_MAX_UPLOAD_BYTES)",
                    {"limit_bytes": limit},
                )
            handle.write(chunk)


def _renamed(error: InputError, temp_path: str, display: str) -> InputError:
    """The same problems, naming the uploaded file instead of the server's temporary path."""
    return InputError(
        [InputProblem(p.file.replace(temp_path, display), p.line, p.field, p.message) for p in error.problems]
    )


@router.post(
    "/loads",
    summary="Load a file into the store",
    dependencies=[Depends(require_writer)],
    responses=error_responses(400, 401, 403, 413, 422, 503),
    openapi_extra=refusals(
        "any bytes are a schema-valid file, but only a file with a known extension whose content is a valid plan "
        "in the ontology's vocabulary loads; anything else is answered 422 with every problem found."
    ),
)
def load_file(
    store: StoreDep,
    settings: SettingsDep,
    file: Annotated[
        UploadFile,
        File(description=f"One input file; its extension chooses the reader: {formats.describe_readers()}."),
    ],
) -> JSONResponse:
    """Validate the file against the ontology (and what the store already holds), then write it all or nothing.

    Needs `Authorization: Bearer <token>`. 422 lists every problem found; nothing is written then.
    """
    display = Path((file.filename or "upload").replace("\\", "/")).name or "upload"
    suffix = _suffix(display)
    with tempfile.TemporaryDirectory(prefix="plankg-upload-") as folder:
        path = Path(folder) / f"upload{suffix}"
        _save(file, path, settings.max_upload_bytes)
        try:
            batch = prepare([path], store.known_types)
        except InputError as error:
            raise _renamed(error, str(path), display) from None
        summary = store.upsert(batch).to_dict()
        summary["warnings"] = [w.replace(str(path), display) for w in summary["warnings"]]
    stats = statistics(store).to_dict()
    return JSONResponse({"loaded": summary, "store": {"kind": store.kind, **stats}})
