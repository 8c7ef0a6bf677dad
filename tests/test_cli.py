"""The plankg command line: exit codes (0 ok, 1 user error, 2 usage error) and --json documents."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from plankg.cli.main import app

MINI = Path(__file__).parent / "data" / "mini.yaml"


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("PLANKG_DB", str(tmp_path / "graph.json"))
    monkeypatch.delenv("NEO4J_URI", raising=False)
    monkeypatch.delenv("PLANKG_STORE", raising=False)
    return CliRunner()


def run(cli: CliRunner, *args: str) -> tuple[int, str, str]:
    result = cli.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_load_then_query_prints_json_with_quotes(cli: CliRunner) -> None:
    code, out, _ = run(cli, "load", str(MINI), "--json")
    assert code == 0, out
    assert json.loads(out)["loaded"] == {"nodes": 5, "edges": 3, "warnings": []}
    code, out, _ = run(cli, "query", "standards_for_industry", "--industry", "industry.healthcare", "--json")
    assert code == 0
    items = json.loads(out)["items"]
    assert [i["entity"]["id"] for i in items] == ["mini.std.med", "mini.std.sm"]
    for item in items:
        assert item["entity"]["labels"].keys() == {"en", "zh"}
        assert all(source["quote"] for edge in item["evidence"] for source in edge["sources"])


def test_query_accepts_a_label_and_excludes_unconfirmed(cli: CliRunner) -> None:
    run(cli, "load", str(MINI))
    code, out, _ = run(cli, "query", "standards_for_industry", "--industry", "医疗", "--exclude-unconfirmed", "--json")
    assert code == 0
    assert [i["entity"]["id"] for i in json.loads(out)["items"]] == ["mini.std.med"]


def test_table_output_shows_the_quote(cli: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    from rich.console import Console

    import plankg.cli.main

    monkeypatch.setattr(plankg.cli.main, "out", Console(width=250, soft_wrap=True))
    run(cli, "load", str(MINI))
    code, out, _ = run(cli, "query", "standards_for_industry", "--industry", "industry.healthcare")
    assert code == 0
    assert "“medical care”" in out and "mini.std.med" in out


def test_search_show_stats_json(cli: CliRunner) -> None:
    run(cli, "load", str(MINI))
    code, out, _ = run(cli, "search", "智慧", "--json")
    assert code == 0
    hit = json.loads(out)["items"][0]
    assert {"id", "type", "labels", "sources"} <= hit.keys() and hit["id"] == "industry.smart-healthcare"
    code, out, _ = run(cli, "show", "industry.healthcare", "--json")
    assert code == 0 and json.loads(out)["labels"]["zh"] == "医疗"
    code, out, _ = run(cli, "stats", "--json")
    stats = json.loads(out)
    assert stats["nodes"] == 5 and stats["edges"] == 3
    assert stats["node_types"]["Industry"] == 2 and stats["relation_types"]["supports_industry"] == 2


def test_user_errors_exit_1(cli: CliRunner, tmp_path: Path) -> None:
    run(cli, "load", str(MINI))
    assert run(cli, "show", "no.such.id")[0] == 1
    assert run(cli, "query", "standards_for_industry", "--industry", "mini.std.med")[0] == 1
    assert run(cli, "query", "standards_for_industry", "--industry", "no such industry")[0] == 1
    bad = tmp_path / "bad.yaml"
    bad.write_text("plankg: 1\nnodes:\n  - id: x\n    type: Nope\n", encoding="utf-8")
    code, _out, err = run(cli, "load", str(bad))
    assert code == 1 and "bad.yaml:3" in err and "type" in err


def test_usage_errors_exit_2(cli: CliRunner) -> None:
    assert run(cli, "frobnicate")[0] == 2
    assert run(cli, "search")[0] == 2
    assert run(cli, "load", "--no-such-option")[0] == 2
    assert run(cli, "query", "no_such_query", "--x", "y")[0] == 2
    assert run(cli, "search", "x", "--type", "Nonsense")[0] == 2
    assert run(cli, "export", "--format", "pdf")[0] == 2


def test_query_help_lists_every_query_with_its_parameter(cli: CliRunner) -> None:
    code, out, _ = run(cli, "query", "--help")
    assert code == 0
    assert "standards_for_industry --industry <Industry>" in out
    assert "document_statements --document <Document>" in out


def test_names_and_aliases_resolve_and_outputs_fit_80_columns(cli: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    from rich.console import Console

    import plankg.cli.main

    monkeypatch.setattr(plankg.cli.main, "out", Console(width=80, soft_wrap=False))
    run(cli, "load")
    code, out, _ = run(cli, "search", "工信部")
    assert code == 0 and "org.miit" in out.splitlines()[1]
    code, out, _ = run(cli, "query", "signatories_of_document", "--document", "miit-5g-sailing-2021.doc.final")
    assert code == 0 and "org.miit" in out
    code, out, _ = run(cli, "show", "org.miit")
    assert code == 0 and "(miit-5g-sailing-2021.doc.final)" in out and "工业和信息化部" in out
    assert all(len(line) <= 80 for line in out.splitlines())


def test_failed_load_writes_nothing(cli: CliRunner, tmp_path: Path) -> None:
    run(cli, "load", str(MINI))
    before = (tmp_path / "graph.json").read_bytes()
    bad = tmp_path / "half.yaml"
    bad.write_text(
        MINI.read_text(encoding="utf-8").replace("relation: broader", "relation: narrower_than"), encoding="utf-8"
    )
    assert run(cli, "load", str(bad))[0] == 1
    assert (tmp_path / "graph.json").read_bytes() == before


def test_console_script_runs(tmp_path: Path) -> None:
    env = {**os.environ, "PLANKG_DB": str(tmp_path / "g.json")}
    env.pop("NEO4J_URI", None)
    exe = Path(sys.executable).parent / "plankg"
    result = subprocess.run([str(exe), "--help"], capture_output=True, text=True, env=env, check=False)
    assert result.returncode == 0 and "plankg" in result.stdout
    result = subprocess.run([str(exe), "show", "x"], capture_output=True, text=True, env=env, check=False)
    assert result.returncode == 1 and "Traceback" not in result.stderr


def test_schema_lists_the_ontology(cli: CliRunner) -> None:
    code, out, _ = run(cli, "schema", "--json")
    assert code == 0
    data = json.loads(out)
    assert "supports_industry" in {r["key"] for r in data["relation_types"]}
    code, out, _ = run(cli, "schema")
    assert code == 0 and "supports_industry" in out and "Indicator" in out
