"""The one format registry: every file format plankg reads or writes, declared once.

Each format states its name, title, file extensions, media types, and the dotted paths of
its reader (`plankg.loaders…`) and/or writer (`plankg.graph…`), the way rdflib registers
its parser and serializer plugins. Loaders pick readers by extension, exports and HTTP
content negotiation pick writers by name or media type, and the CLI and API build their
help texts and enums from this table, so a new format is one module plus one `register`
call below. Readers and writers are imported lazily by path, so the model layer never
imports the packages above it.

Reader: `read(path: Path, display: str, fmt: Format) -> GraphBatch`.
Writer: `write(nodes: list[Node], edges: list[Edge], fmt: Format) -> Iterator[str]`.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, cast

if TYPE_CHECKING:
    from plankg.model.elements import Edge, GraphBatch, Node

Reader = Callable[[Path, str, "Format"], "GraphBatch"]
Writer = Callable[[list["Node"], list["Edge"], "Format"], Iterator[str]]


@dataclass(frozen=True)
class Format:
    """One file format: how it is named, recognised and served, and who reads or writes it."""

    name: str
    title: str
    extensions: tuple[str, ...]
    media_types: tuple[str, ...]
    reader: str | None = None
    writer: str | None = None
    rdf_syntax: str | None = None
    """rdflib's name for the syntax, for RDF formats."""

    @property
    def media_type(self) -> str:
        return self.media_types[0]

    @property
    def extension(self) -> str:
        return self.extensions[0]

    @property
    def readable(self) -> bool:
        return self.reader is not None

    @property
    def writable(self) -> bool:
        return self.writer is not None

    @property
    def is_rdf(self) -> bool:
        return self.rdf_syntax is not None

    def read(self, path: Path, display: str) -> GraphBatch:
        """Parse one file of this format into a batch (InputError on bad input)."""
        if self.reader is None:
            raise ValueError(f"{self.title} is an export-only format")
        reader = cast(Reader, _resolve(self.reader))
        return reader(path, display, self)

    def write(self, nodes: list[Node], edges: list[Edge]) -> Iterator[str]:
        """The nodes and edges in this format, as text chunks."""
        if self.writer is None:
            raise ValueError(f"{self.title} is an input-only format")
        writer = cast(Writer, _resolve(self.writer))
        return writer(nodes, edges, self)


def _resolve(path: str) -> Callable[..., object]:
    module, _, attribute = path.partition(":")
    return getattr(importlib.import_module(module), attribute)  # type: ignore[no-any-return]


FORMATS: dict[str, Format] = {}


def register(fmt: Format) -> Format:
    """Add a format; names, extensions and media types must be unique."""
    for other in FORMATS.values():
        clash = (
            other.name == fmt.name
            or set(other.extensions) & set(fmt.extensions)
            or set(other.media_types) & set(fmt.media_types)
        )
        if clash:
            raise ValueError(f"format {fmt.name!r} clashes with {other.name!r}")
    FORMATS[fmt.name] = fmt
    return fmt


def by_name(name: str) -> Format | None:
    return FORMATS.get(name)


def by_extension(path: Path | str) -> Format | None:
    """The format whose extension the file name ends with (longest extension first: `.nodes.csv`)."""
    name = Path(path).name.lower()
    matches = [(len(ext), fmt) for fmt in FORMATS.values() for ext in fmt.extensions if name.endswith(ext)]
    return max(matches, key=lambda match: match[0])[1] if matches else None


def by_media_type(media_type: str) -> Format | None:
    wanted = media_type.split(";")[0].strip().lower()
    return next((fmt for fmt in FORMATS.values() if wanted in fmt.media_types), None)


def readable() -> list[Format]:
    return [fmt for fmt in FORMATS.values() if fmt.readable]


def writable() -> list[Format]:
    return [fmt for fmt in FORMATS.values() if fmt.writable]


def read_extensions() -> list[str]:
    """Every file extension a loader reads, for directory scans and error messages."""
    return sorted({ext for fmt in readable() for ext in fmt.extensions})


def describe_writers() -> str:
    """One help line: the export formats, marking those that do not load back."""
    return ", ".join(fmt.name if fmt.readable else f"{fmt.name} (export only)" for fmt in writable())


def describe_readers() -> str:
    """One help line: the input formats with their extensions."""
    return "; ".join(f"{fmt.title} ({', '.join(fmt.extensions)})" for fmt in readable())


# ------------------------------------------------------------------ registrations
_RDF_READER = "plankg.loaders.rdf_loader:read"
_RDF_WRITER = "plankg.graph.writers.rdf:write"

register(Format("yaml", "Curated YAML", (".yaml", ".yml"), ("application/yaml", "text/yaml"),
                reader="plankg.loaders.yaml_loader:read"))  # fmt: skip
register(Format("csv", "CSV", (".csv",), ("text/csv",),
                reader="plankg.loaders.csv_loader:read", writer="plankg.graph.writers.csv:write"))  # fmt: skip
register(Format("turtle", "Turtle", (".ttl", ".turtle"), ("text/turtle", "application/x-turtle"),
                reader=_RDF_READER, writer=_RDF_WRITER, rdf_syntax="turtle"))  # fmt: skip
register(Format("jsonld", "JSON-LD", (".jsonld", ".json"), ("application/ld+json",),
                reader=_RDF_READER, writer=_RDF_WRITER, rdf_syntax="json-ld"))  # fmt: skip
register(Format("ntriples", "N-Triples", (".nt",), ("application/n-triples",),
                reader=_RDF_READER, writer=_RDF_WRITER, rdf_syntax="nt"))  # fmt: skip
register(Format("graphml", "GraphML", (".graphml",), ("application/graphml+xml",),
                reader="plankg.loaders.graphml_loader:read", writer="plankg.graph.writers.graphml:write"))  # fmt: skip
