"""Large inputs on the command line: no size limit there (the API keeps its own), CSV read as a stream."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import plankg.loaders.reading
from bench.synthetic import generate
from plankg.cli.main import app
from plankg.graph.export import export_stream
from plankg.loaders import prepare
from plankg.loaders.reading import open_lines
from plankg.model.errors import InputError


@pytest.fixture
def plan_csv(tmp_path: Path) -> Path:
    batch = generate(600, seed=3)
    path = tmp_path / "plan.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.writelines(export_stream(batch.nodes, batch.edges, "csv"))
    return path


def test_the_command_line_loads_a_file_over_the_upload_limit(
    plan_csv: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(plankg.loaders.reading, "MAX_FILE_BYTES", 4096)
    with pytest.raises(InputError, match="expected at most 4096"):  # a library (or API) caller keeps the limit
        prepare([plan_csv])
    monkeypatch.setenv("PLANKG_DB", str(tmp_path / "graph.db"))
    monkeypatch.delenv("NEO4J_URI", raising=False)
    monkeypatch.delenv("PLANKG_STORE", raising=False)
    result = CliRunner().invoke(app, ["load", str(plan_csv), "--json"])
    assert result.exit_code == 0, result.stdout + result.stderr
    loaded = json.loads(result.stdout)["loaded"]
    assert loaded["nodes"] + loaded["edges"] == 600


def test_streamed_lines_split_like_csv_and_keep_quoted_newlines(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_bytes('\ufeffa,b\r\n1,"two\nlines"\r3,4\n'.encode())
    assert list(open_lines(path)) == ["a,b\r\n", '1,"two\n', 'lines"\r', "3,4\n"]


@pytest.mark.parametrize("chunk", [3, 1 << 20])
def test_a_bad_byte_is_named_with_its_line_and_offset(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, chunk: int
) -> None:
    monkeypatch.setattr(plankg.loaders.reading, "CHUNK_BYTES", chunk)
    path = tmp_path / "bad.csv"
    data = "kind,id\n节点,x\n".encode() + b"node,\xff\n"
    path.write_bytes(data)
    with pytest.raises(InputError) as caught:
        list(open_lines(path))
    problem = caught.value.problems[0]
    assert problem.line == 3
    offset = data.index(b"\xff")
    assert f"offset {offset}" in problem.message and "0xff" in problem.message


def test_an_empty_stream_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "empty.csv"
    path.write_text(" \n\n", encoding="utf-8")
    with pytest.raises(InputError, match="is empty"):
        prepare([path])
