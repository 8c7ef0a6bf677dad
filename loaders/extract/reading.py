"""Turn an input file's bytes into plain text: decoding, and HTML / Markdown / Word to text.

Bad input never crashes: empty files, binary data and texts in another encoding give a
clear problem (GBK text is detected and named), and whatever text can be read is kept.
"""

from __future__ import annotations

import html
import io
import re
import zipfile
from dataclasses import dataclass, field
from html.parser import HTMLParser

from plankg.model.errors import InputProblem

MAX_BYTES = 20 * 1024 * 1024
TEXT_SUFFIXES = {".txt", ".text", ".md", ".markdown", ".html", ".htm", ".docx", ""}


@dataclass
class TextInput:
    """Plain text ready for extraction, what it was read from, and the problems met reading it."""

    text: str
    name: str
    encoding: str = "utf-8"
    kind: str = "text"
    problems: list[InputProblem] = field(default_factory=list)

    def warn(self, message: str, field_name: str | None = None) -> None:
        self.problems.append(InputProblem(self.name, None, field_name, message))


class _HtmlText(HTMLParser):
    """Block-level HTML to lines; headings become Markdown headings so structure survives."""

    BLOCKS = {"p", "div", "li", "tr", "br", "section", "article", "table", "ul", "ol", "blockquote", "title"}  # noqa: RUF012
    SKIP = {"script", "style", "head", "noscript", "nav", "footer"}  # noqa: RUF012

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.SKIP:
            self.skipping += 1
        elif re.fullmatch(r"h[1-6]", tag):
            self.parts.append("\n" + "#" * int(tag[1]) + " ")
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP:
            self.skipping = max(0, self.skipping - 1)
        elif tag in self.BLOCKS or re.fullmatch(r"h[1-6]", tag):
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(re.sub(r"[ \t\r\n]+", " ", data))


def html_to_text(markup: str) -> str:
    parser = _HtmlText()
    parser.feed(markup)
    parser.close()
    lines = [line.strip() for line in "".join(parser.parts).split("\n")]
    return html.unescape("\n".join(line for line in lines if line))


def markdown_to_text(text: str) -> str:
    """Keep headings (`#`) as structure; drop emphasis, link targets and list bullets' markup."""
    text = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"(\*\*|__)(.+?)\1", r"\2", text)
    text = re.sub(r"^\s*[-*+]\s+", "", text, flags=re.MULTILINE)
    text = re.sub(r"^\s*>\s?", "", text, flags=re.MULTILINE)
    return text


def docx_to_text(data: bytes) -> str:
    """The paragraphs of a Word (.docx) file, read with the standard library (it is zipped XML)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        xml = archive.read("word/document.xml").decode("utf-8")
    paragraphs = []
    for para in re.findall(r"<w:p[ >].*?</w:p>", xml, flags=re.DOTALL):
        runs = re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", para)
        paragraphs.append(html.unescape("".join(runs)))
    return "\n".join(paragraphs)


def _looks_binary(data: bytes) -> bool:
    sample = data[:4096]
    if b"\x00" in sample:
        return True
    controls = sum(1 for b in sample if b < 9 or 13 < b < 32)
    return controls > max(8, len(sample) // 50)


def decode(data: bytes, name: str) -> TextInput:
    """Bytes to text. UTF-8 (with or without BOM) is expected; another encoding is detected,
    named in a problem and decoded anyway; binary data gives an empty text and a problem."""
    result = TextInput("", name)
    if not data.strip():
        result.warn("the file is empty; expected the text of a plan (UTF-8 text, Markdown, HTML or .docx)")
        return result
    if len(data) > MAX_BYTES:
        result.warn(f"the file is {len(data)} bytes; only the first {MAX_BYTES} are read")
        data = data[:MAX_BYTES]
    if data[:2] == b"PK" and name.lower().endswith(".docx"):
        try:
            result.text, result.kind = docx_to_text(data), "docx"
            return result
        except (KeyError, zipfile.BadZipFile, UnicodeDecodeError) as error:
            result.warn(f"could not read the Word file ({error}); expected a .docx document")
            return result
    if data[:5] == b"%PDF-":
        result.warn(
            "PDF is not read directly; extract its text first (e.g. `pdftotext -layout FILE.pdf`) and pass that"
        )
        return result
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    elif data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        result.text, result.encoding = data.decode("utf-16"), "utf-16"
        result.warn("the file is UTF-16; read it as such (UTF-8 is expected)", "encoding")
        return result
    if _looks_binary(data):
        result.warn("the file is binary data, not text; expected UTF-8 text, Markdown, HTML or .docx")
        return result
    try:
        result.text = data.decode("utf-8")
        return result
    except UnicodeDecodeError as error:
        position = error.start
    guess = _detect(data)
    if guess is not None:
        result.text, result.encoding = data.decode(guess, errors="replace"), guess
        result.warn(
            f"the file is not UTF-8 (invalid byte at offset {position}); it looks like {guess.upper()} and was "
            f"decoded as such — convert it with `iconv -f {guess.upper()} -t UTF-8` to be sure",
            "encoding",
        )
    else:
        result.text = data.decode("utf-8", errors="replace")
        result.warn(f"the file is not UTF-8 (invalid byte at offset {position}); unreadable bytes were replaced")
    return result


def _detect(data: bytes) -> str | None:
    """The encoding of a non-UTF-8 text: GB18030 (a superset of GBK/GB2312) first, as Chinese plans come in it."""
    for candidate in ("gb18030", "big5"):
        try:
            text = data.decode(candidate)
        except UnicodeDecodeError:
            continue
        if sum("\u4e00" <= ch <= "\u9fff" for ch in text) >= max(1, len(text) // 20):
            return "gbk" if candidate == "gb18030" and _is_gbk(data) else candidate
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(data).best()
    except Exception:  # pragma: no cover - detection is a courtesy
        return None
    return best.encoding if best is not None else None


def _is_gbk(data: bytes) -> bool:
    try:
        data.decode("gbk")
        return True
    except UnicodeDecodeError:
        return False


def read_input(data: bytes, name: str) -> TextInput:
    """Decode and convert by the name's suffix (.html/.htm, .md, .docx; anything else is plain text)."""
    lower = name.lower()
    result = decode(data, name)
    if result.kind == "docx" or not result.text:
        return result
    text = result.text.replace("\r\n", "\n").replace("\r", "\n")
    if lower.endswith((".html", ".htm")) or re.match(r"\s*<(?:!doctype html|html|body|p|div|h[1-6])\b", text, re.I):
        result.kind, text = "html", html_to_text(text)
    elif lower.endswith((".md", ".markdown")):
        result.kind, text = "markdown", markdown_to_text(text)
    result.text = text
    return result
