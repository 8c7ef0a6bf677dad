"""The SPARQL endpoint's own description (SPARQL 1.1 Service Description), answered at GET without a query.

It names the endpoint, the language it speaks (SPARQL 1.1 Query; no Update, no federation),
every result and graph format it writes, and its one default graph with its triple count
(VoID), so clients and registries can discover what the endpoint does.
"""

from __future__ import annotations

from rdflib import RDF, BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, VOID

from plankg.api.rdf_views import rdf_formats
from plankg.api.sparql_results import RDF_FORMAT_IRIS, RESULT_FORMATS, W3C_FORMATS
from plankg.model.rdf import bind_prefixes

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
ENTAILMENT = Namespace("http://www.w3.org/ns/entailment/")


def format_iris() -> list[URIRef]:
    """The W3C format IRIs of every SPARQL results format and every RDF format the endpoint writes."""
    iris = [URIRef(fmt.iri) for fmt in RESULT_FORMATS]
    for fmt in rdf_formats():
        name = RDF_FORMAT_IRIS.get(fmt.rdf_syntax or "")
        if name:
            iris.append(URIRef(W3C_FORMATS + name))
    return iris


def service_description(endpoint: str, triples: int) -> Graph:
    """The sd:Service at `endpoint` over a default graph of `triples` triples."""
    graph = bind_prefixes(Graph())
    graph.bind("sd", SD)
    graph.bind("void", VOID)
    graph.bind("dcterms", DCTERMS)
    graph.bind("formats", W3C_FORMATS)
    service = URIRef(endpoint)
    graph.add((service, RDF.type, SD.Service))
    graph.add((service, SD.endpoint, service))
    graph.add((service, DCTERMS.title, Literal("plankg SPARQL endpoint (read-only)", lang="en")))
    graph.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    graph.add((service, SD.defaultEntailmentRegime, ENTAILMENT.Simple))
    for iri in format_iris():
        graph.add((service, SD.resultFormat, iri))
    dataset, default_graph = BNode(), BNode()
    graph.add((service, SD.defaultDataset, dataset))
    graph.add((dataset, RDF.type, SD.Dataset))
    graph.add((dataset, SD.defaultGraph, default_graph))
    graph.add((default_graph, RDF.type, SD.Graph))
    graph.add((default_graph, VOID.triples, Literal(triples)))
    return graph
