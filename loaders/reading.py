"""Read an input file's bytes safely: size limit, UTF-8 only, a clear error otherwise."""

from __future__ import annotations

from pathlib import Path

from plankg.model.errors import InputError

MAX_FILE_BYTES = 50 * 1024 * 1024


def read_text(path: Path, display: str | None = None) -> str:
    """The file's text; InputError naming the file for a missing, empty, huge or non-UTF-8 file."""
    name = display or str(path)
    try:
        size = path.stat().st_size
    except OSError as error:
        raise InputError.single(name, None, None, f"cannot be read: {error.strerror}") from None
    if size > MAX_FILE_BYTES:
        raise InputError.single(name, None, None, f"is {size} bytes; expected at most {MAX_FILE_BYTES}")
    data = path.read_bytes()
    if not data.strip():
        raise InputError.single(name, None, None, "is empty; expected plan data")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise InputError.single(
            name, line, None, f"is not UTF-8 (byte 0x{data[error.start]:02x} at offset {error.start}); save it as UTF-8"
        ) from None
    return text
