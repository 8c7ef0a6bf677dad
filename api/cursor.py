"""Opaque paging cursors: the next offset plus a hash of the query it belongs to.

A cursor replayed against a different query (or tampered with) is refused with a 400
rather than silently paging through the wrong result set.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Sequence

from plankg.api.errors import ApiError


def _fingerprint(parts: Sequence[object]) -> str:
    return hashlib.sha1("\x1f".join(str(p) for p in parts).encode("utf-8")).hexdigest()[:16]


def encode_cursor(offset: int, parts: Sequence[object]) -> str:
    raw = json.dumps({"o": offset, "q": _fingerprint(parts)}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str | None, parts: Sequence[object]) -> int:
    """The offset a cursor stands for (0 without one); 400 for a malformed or foreign cursor."""
    if not cursor:
        return 0
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        data = json.loads(raw)
        offset = data["o"]
        fingerprint = data["q"]
    except (ValueError, KeyError, TypeError):
        raise ApiError(400, "bad_cursor", "the cursor is not one this API issued; start again without it") from None
    if not isinstance(offset, int) or isinstance(offset, bool) or offset < 0 or offset > 10**9:
        raise ApiError(400, "bad_cursor", "the cursor is not one this API issued; start again without it")
    if fingerprint != _fingerprint(parts):
        raise ApiError(400, "bad_cursor", "the cursor belongs to a different query; start again without it")
    return offset
