"""SPARQL 1.1 result formats: which media types answer which query form, and how each is written.

SELECT and ASK results are written by rdflib's result serializers (JSON, XML, CSV) plus the
TSV serializer below, which rdflib lacks and which is registered as its "tsv" plugin. CSV and
TSV are defined for SELECT only (SPARQL 1.1 Query Results CSV and TSV Formats), so an ASK
offers JSON and XML. CONSTRUCT and DESCRIBE graphs are offered in every RDF format the format
registry writes (Turtle, N-Triples, JSON-LD), serialised by rdflib.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import IO, Any

from rdflib import BNode, Literal, URIRef, plugin
from rdflib.query import Result, ResultSerializer

from plankg.api.rdf_views import rdf_formats, with_charset
from plankg.graph.sparql import SparqlAnswer
from plankg.model import formats

W3C_FORMATS = "http://www.w3.org/ns/formats/"
"""The W3C's IRIs for media formats, as the SPARQL Service Description names them."""
RDF_FORMAT_IRIS = {"turtle": "Turtle", "nt": "N-Triples", "json-ld": "JSON-LD", "xml": "RDF_XML", "n3": "N3"}


@dataclass(frozen=True)
class ResultFormat:
    """One SPARQL results format: its media types (the first is canonical), rdflib name and W3C IRI."""

    media_types: tuple[str, ...]
    rdflib_name: str
    iri: str
    forms: frozenset[str]


RESULT_FORMATS = (
    ResultFormat(
        ("application/sparql-results+json", "application/json"),
        "json",
        W3C_FORMATS + "SPARQL_Results_JSON",
        frozenset({"SELECT", "ASK"}),
    ),
    ResultFormat(
        ("application/sparql-results+xml",), "xml", W3C_FORMATS + "SPARQL_Results_XML", frozenset({"SELECT", "ASK"})
    ),
    ResultFormat(("text/csv",), "csv", W3C_FORMATS + "SPARQL_Results_CSV", frozenset({"SELECT"})),
    ResultFormat(("text/tab-separated-values",), "tsv", W3C_FORMATS + "SPARQL_Results_TSV", frozenset({"SELECT"})),
)
GRAPH_FORMS = frozenset({"CONSTRUCT", "DESCRIBE"})


def _tsv_term(term: Any) -> str:
    """One RDF term in the TSV format's Turtle-like syntax; tabs and line breaks escaped, never raw."""
    if term is None:
        return ""
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, BNode):
        return f"_:{term}"
    assert isinstance(term, Literal)
    text = str(term)
    for raw, escaped in (("\\", "\\\\"), ('"', '\\"'), ("\n", "\\n"), ("\r", "\\r"), ("\t", "\\t")):
        text = text.replace(raw, escaped)
    if term.language:
        return f'"{text}"@{term.language}'
    if term.datatype:
        return f'"{text}"^^<{term.datatype}>'
    return f'"{text}"'


class TSVResultSerializer(ResultSerializer):
    """SELECT results as SPARQL 1.1 TSV: a header of ?variables, then one line of terms per row."""

    def __init__(self, result: Result) -> None:
        super().__init__(result)
        if result.type != "SELECT":
            raise ValueError("TSV is defined for SELECT results only")

    def serialize(self, stream: IO[Any], encoding: str = "utf-8", **kwargs: Any) -> None:
        names = list(self.result.vars or [])
        lines = ["\t".join(f"?{name}" for name in names)]
        lines += ["\t".join(_tsv_term(row.get(name)) for name in names) for row in self.result.bindings]
        stream.write(("\n".join(lines) + "\n").encode(encoding))


plugin.register("tsv", ResultSerializer, __name__, "TSVResultSerializer")


def offered(form: str) -> list[str]:
    """The media types an answer of this query form can be written in, the default first."""
    if form in GRAPH_FORMS:
        return [media_type for fmt in rdf_formats() for media_type in fmt.media_types]
    return [media_type for fmt in RESULT_FORMATS if form in fmt.forms for media_type in fmt.media_types]


def all_media_types() -> list[str]:
    """Every media type some answer is written in (for the OpenAPI description)."""
    seen = dict.fromkeys(offered("SELECT") + offered("ASK") + offered("CONSTRUCT"))
    return list(seen)


def serialize(answer: SparqlAnswer, media_type: str) -> tuple[bytes, str]:
    """The answer written in media_type (one of offered(answer.form)), and the Content-Type to send."""
    if answer.graph is not None:
        fmt = formats.by_media_type(media_type)
        assert fmt is not None and fmt.rdf_syntax is not None
        body = answer.graph.serialize(format=fmt.rdf_syntax, encoding="utf-8")
        return body, with_charset(media_type)
    assert answer.result is not None
    result_format = next(fmt for fmt in RESULT_FORMATS if media_type in fmt.media_types)
    written = answer.result.serialize(format=result_format.rdflib_name, encoding="utf-8")
    assert written is not None
    return written, with_charset(media_type)
