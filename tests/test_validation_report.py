"""A file with many mistakes shows all of them in one run, each with file, line and field,
and a suggestion of the nearest valid name where one is close."""

from __future__ import annotations

from pathlib import Path

import pytest

import plankg.loaders
from plankg.model.errors import InputError
from plankg.model.text import did_you_mean

SEVEN_MISTAKES = """\
plankg: 1
nodes:
  - id: x.doc.final
    type: Document
    labels: {en: Final}
    sources: [{document: x.doc.final, locator: Title, quote: Final}]
  - id: x.std.one
    type: Standrd
    labels: {en: One}
    sources: [{document: x.doc.final, locator: A, quote: one}]
  - id: industry.health
    type: Industry
    labels: {en: Health}
    status: unconfirmd
    sources: [{document: x.doc.final, locator: B, quote: health}]
  - id: x.std.two
    type: Standard
    labels: {en: Two}
    properties: {descriptin: "typo"}
    sources: [{document: x.doc.final, locator: C, quote: two}]
  - id: x.ind.a
    type: Indicator
    labels: {en: A}
    properties: {target_value: 5, unit: "%", comparator: ge}
    sources: [{document: x.doc.final, locator: D, quote: a}]
edges:
  - from: x.std.two
    relation: supports_industri
    to: industry.health
    sources: [{document: x.doc.final, locator: E, quote: e}]
  - from: x.std.two
    relation: supports_industry
    to: industry.helth
    sources: [{document: x.doc.final, locator: F, quote: f}]
  - from: x.std.one
    relation: supports_industry
    to: industry.health
    sourcez: []
"""


def test_every_mistake_of_a_file_is_reported_in_one_run(tmp_path: Path) -> None:
    path = tmp_path / "seven.yaml"
    path.write_text(SEVEN_MISTAKES, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        plankg.loaders.prepare([path])
    text = str(caught.value)
    expected = [
        "[type] 'Standrd' is not a node type (did you mean Standard?)",
        "[status] 'unconfirmd' is not a status (did you mean unconfirmed?)",
        "[properties.descriptin] is not a property of Standard (did you mean description?)",
        "[properties.deadline] is required on an Indicator",
        "[relation] 'supports_industri' is not a relation (did you mean supports_industry?)",
        "no entity 'industry.helth' in this input or the store (did you mean industry.health?)",
        "[sourcez] unknown field (did you mean sources?)",
    ]
    for fragment in expected:
        assert fragment in text, f"missing {fragment!r} in:\n{text}"
    assert all(str(path) in line for line in text.splitlines())


def test_suggestions_only_when_close() -> None:
    assert did_you_mean("supports_industri", ["supports_industry", "targets_industry"]) == (
        " (did you mean supports_industry?)"
    )
    assert did_you_mean("zzzz", ["supports_industry"]) == ""
    assert did_you_mean("indicator", ["Indicator", "Goal"]) == " (did you mean Indicator?)"


NOTE_YAML = """\
plankg: 1
nodes:
  - id: x.doc.final
    type: Document
    labels: {en: Final}
    sources: [{document: x.doc.final, locator: Title, quote: Final}]
  - id: industry.education
    type: Industry
    labels: {en: Education}
    sources: [{document: x.doc.final, locator: Curation, note: "A top-level field in our taxonomy."}]
"""


@pytest.mark.parametrize("fmt", ["csv", "graphml", "yaml"])
def test_a_curatorial_note_is_its_own_kind_and_survives_exports(tmp_path: Path, fmt: str) -> None:
    from plankg.api.views import evidence_line
    from plankg.graph.export import export_stream

    path = tmp_path / "notes.yaml"
    path.write_text(NOTE_YAML, encoding="utf-8")
    batch = plankg.loaders.prepare([path])
    (note,) = next(n for n in batch.nodes if n.id == "industry.education").sources
    assert (
        note.is_note
        and note.to_dict()["note"] == "A top-level field in our taxonomy."
        and "quote" not in note.to_dict()
    )
    assert evidence_line(note).startswith("[curator's note]") and "“" not in evidence_line(note)
    if fmt != "yaml":
        out = tmp_path / f"export.{fmt}"
        out.write_text("".join(export_stream(batch.nodes, batch.edges, fmt)), encoding="utf-8")
        again = plankg.loaders.prepare([out])
        assert [n.to_dict() for n in sorted(again.nodes, key=lambda n: n.id)] == [
            n.to_dict() for n in sorted(batch.nodes, key=lambda n: n.id)
        ]


def test_a_source_with_both_quote_and_note_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "both.yaml"
    path.write_text(NOTE_YAML.replace('note: "A top-level', 'quote: x, note: "A top-level'), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        plankg.loaders.prepare([path])
    assert "has both quote and note" in str(caught.value)
