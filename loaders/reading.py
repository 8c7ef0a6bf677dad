"""Read an input file safely: UTF-8 only, a clear error otherwise; a size limit for uploads only.

The command line reads files of any size (`unbounded()`), streaming where the format
allows (`open_lines`: CSV is read line by line, never held whole); everything else — the
HTTP API's uploads, library callers — keeps MAX_FILE_BYTES, so a server cannot be made to
parse a huge body.
"""

from __future__ import annotations

import codecs
import gc
import io
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

from plankg.model.errors import InputError

MAX_FILE_BYTES = 50 * 1024 * 1024
"""The largest file read outside `unbounded()` (the API's uploads and library callers)."""
CHUNK_BYTES = 1 << 20

_bounded: ContextVar[bool] = ContextVar("plankg_reading_bounded", default=True)
_pause_lock = threading.Lock()
_pauses = 0
_paused_here = False


@contextmanager
def unbounded() -> Iterator[None]:
    """Within this block files of any size are read (the command line: the user chose the file)."""
    token = _bounded.set(False)
    try:
        yield
    finally:
        _bounded.reset(token)


def _checked_size(path: Path, name: str) -> int:
    try:
        size = path.stat().st_size
    except OSError as error:
        raise InputError.single(name, None, None, f"cannot be read: {error.strerror}") from None
    if _bounded.get() and size > MAX_FILE_BYTES:
        raise InputError.single(name, None, None, f"is {size} bytes; expected at most {MAX_FILE_BYTES}")
    return size


def _not_utf8(name: str, line: int, byte: int, offset: int) -> InputError:
    return InputError.single(name, line, None, f"is not UTF-8 (byte 0x{byte:02x} at offset {offset}); save it as UTF-8")


def read_text(path: Path, display: str | None = None) -> str:
    """The file's text; InputError naming the file for a missing, empty, too large or non-UTF-8 file."""
    name = display or str(path)
    _checked_size(path, name)
    data = path.read_bytes()
    if not data.strip():
        raise InputError.single(name, None, None, "is empty; expected plan data")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise _not_utf8(name, line, data[error.start], error.start) from None


def _first_bad_byte(path: Path, name: str) -> InputError:
    """The error for the first byte that is not UTF-8, with its line and offset (scanned again, chunk by chunk)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    offset = 0
    lines = 1
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK_BYTES):
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as error:
                held = len(decoder.getstate()[0])  # bytes of a character begun in the previous chunk
                start = max(error.start - held, 0)
                return _not_utf8(name, lines + chunk[:start].count(b"\n"), chunk[start], offset + start)
            offset += len(chunk)
            lines += chunk.count(b"\n")
    return InputError.single(name, None, None, "is not UTF-8 (it ends inside a character); save it as UTF-8")


def open_lines(path: Path, display: str | None = None) -> Iterator[str]:
    """The file's lines (ends kept, split as csv wants: \\n, \\r or \\r\\n), decoded as they are read.

    Memory stays flat for any size. The same errors as read_text (empty, too large, not UTF-8
    with its line and offset), raised when the reader reaches them.
    """
    name = display or str(path)
    _checked_size(path, name)
    seen_text = False
    with path.open("rb") as raw, io.TextIOWrapper(raw, encoding="utf-8-sig", newline="") as text:
        try:
            for line in text:
                if not seen_text and line.strip():
                    seen_text = True
                yield line
        except UnicodeDecodeError:
            raise _first_bad_byte(path, name) from None
    if not seen_text:
        raise InputError.single(name, None, None, "is empty; expected plan data")


@contextmanager
def gc_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off for a bulk step of a load (reading, batch checks, shape checks).

    Why: those steps allocate millions of small objects that live on, and each allocation burst
    makes the collector walk the growing heap again: measured at 100,000 elements, ~25 % of the
    CPU of reading, checking and shape-checking went to collections that found almost nothing.
    Reference counting still frees everything that is not in a cycle; the steps wrapped here
    make no cycles that outlive them (the shape checks break their view's on the way out), and
    the collector is back on when the outermost pause ends. Pauses nest and may overlap across
    threads: the last one out turns it back on, and only if it was on before.
    """
    global _pauses, _paused_here
    with _pause_lock:
        if _pauses == 0:
            _paused_here = gc.isenabled()
            gc.disable()
        _pauses += 1
    try:
        yield
    finally:
        with _pause_lock:
            _pauses -= 1
            if _pauses == 0 and _paused_here:
                _paused_here = False
                gc.enable()
