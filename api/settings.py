"""API settings from the environment: write token, CORS origins and the bounds every request obeys."""

from __future__ import annotations

import os
from dataclasses import dataclass

from plankg.graph.engine import MAX_DEPTH

MIB = 1024 * 1024
MAX_PAGE_SIZE = 500
MAX_NEIGHBOURS = 2000
"""A neighbourhood may be larger than a page: the explorer draws up to 2,000 nodes."""
MAX_PATH_LENGTH = 8
DEFAULT_UPLOAD_BYTES = 20 * MIB
DEFAULT_QUERY_SECONDS = 10.0


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        number = int(value)
    except ValueError:
        raise ValueError(f"{name} must be a whole number of bytes, got {value!r}") from None
    if number <= 0:
        raise ValueError(f"{name} must be positive, got {number}")
    return number


def _float(name: str, default: float) -> float:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        number = float(value)
    except ValueError:
        raise ValueError(f"{name} must be a number of seconds, got {value!r}") from None
    if number <= 0:
        raise ValueError(f"{name} must be positive, got {number}")
    return number


@dataclass(frozen=True)
class ApiSettings:
    """What the API allows: writes (only with a token), CORS origins, and size/time bounds."""

    token: str | None = None
    cors_origins: tuple[str, ...] = ()
    max_upload_bytes: int = DEFAULT_UPLOAD_BYTES
    max_page_size: int = MAX_PAGE_SIZE
    max_depth: int = MAX_DEPTH
    max_path_length: int = MAX_PATH_LENGTH
    query_seconds: float = DEFAULT_QUERY_SECONDS
    relation_edges_shown: int = 200

    @property
    def writes_enabled(self) -> bool:
        return bool(self.token)

    @classmethod
    def from_env(cls) -> ApiSettings:
        """PLANKG_API_TOKEN, PLANKG_CORS_ORIGINS, PLANKG_MAX_UPLOAD_BYTES, PLANKG_QUERY_SECONDS."""
        origins = tuple(o.strip() for o in os.environ.get("PLANKG_CORS_ORIGINS", "").split(",") if o.strip())
        return cls(
            token=os.environ.get("PLANKG_API_TOKEN") or None,
            cors_origins=origins,
            max_upload_bytes=_int("PLANKG_MAX_UPLOAD_BYTES", DEFAULT_UPLOAD_BYTES),
            query_seconds=_float("PLANKG_QUERY_SECONDS", DEFAULT_QUERY_SECONDS),
        )
