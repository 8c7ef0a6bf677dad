"""API settings from the environment: write token, CORS origins and the bounds every request obeys."""

from __future__ import annotations

from dataclasses import dataclass

from plankg.graph.engine import MAX_DEPTH
from plankg.settings import DEFAULT_QUERY_SECONDS, DEFAULT_UPLOAD_BYTES, Settings

MAX_PAGE_SIZE = 500
MAX_NEIGHBORS = 2000
"""A neighborhood may be larger than a page: the explorer draws up to 2,000 nodes."""
MAX_PATH_LENGTH = 8
MAX_GET_QUERY_CHARS = 4000
"""The longest SPARQL query GET takes (POST takes more): long enough for clients that declare many prefixes."""
MAX_REQUEST_HEAD_BYTES = 64 * 1024
"""What the HTTP server reads of a request line and headers (uvicorn's h11_max_incomplete_event_size; its
default, 16 KiB, would refuse some schema-valid GET queries before the API sees them): a GET query of
MAX_GET_QUERY_CHARS characters, percent-encoded at up to 12 bytes a character, fits."""


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
        """The API's part of plankg.settings.Settings (PLANKG_API_TOKEN, CORS, upload and query limits)."""
        return cls.from_settings(Settings.from_env())

    @classmethod
    def from_settings(cls, settings: Settings) -> ApiSettings:
        return cls(
            token=settings.api_token,
            cors_origins=settings.cors_origins,
            max_upload_bytes=settings.max_upload_bytes,
            query_seconds=settings.query_seconds,
        )
