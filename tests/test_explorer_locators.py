"""Chinese source locators: every bundled locator has one, plan headings are the plan's own, the API returns them."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from fastapi.testclient import TestClient

from plankg.api.app import create_app
from plankg.api.locators import CURATORIAL, GLOSSARY_FILE, PLAN, locator_zh, read_glossary, translate
from plankg.api.settings import ApiSettings
from plankg.graph.memory import MemoryStore
from plankg.loaders import BUNDLED_DATA_DIR, bundled_paths, bundled_plan_dirs, prepare


def _sources(value: Any) -> Iterator[tuple[str, str]]:
    if isinstance(value, list):
        for item in value:
            yield from _sources(item)
    elif isinstance(value, dict):
        if isinstance(value.get("document"), str) and isinstance(value.get("locator"), str):
            yield value["document"], value["locator"]
        for item in value.values():
            yield from _sources(item)


def bundled_locators() -> set[tuple[str, str]]:
    """Every (document, locator) pair the bundled plans' YAML cites."""
    pairs: set[tuple[str, str]] = set()
    for folder in bundled_plan_dirs():
        for path in folder.glob("*.yaml"):
            pairs.update(_sources(yaml.safe_load(path.read_text(encoding="utf-8"))))
    return pairs


def test_every_bundled_locator_has_chinese() -> None:
    pairs = bundled_locators()
    assert len(pairs) > 150
    missing = sorted(pair for pair in pairs if locator_zh(*pair) is None)
    assert not missing, f"locators without a Chinese glossary entry: {missing[:10]}"


@pytest.mark.parametrize("folder", bundled_plan_dirs(), ids=lambda p: p.name)
def test_plan_headings_are_the_plans_own(folder: Path) -> None:
    """A heading marked `plan` is written in the plan's texts (never a translation made up for the glossary)."""
    glossary = read_glossary(folder / GLOSSARY_FILE)
    texts = "".join(p.read_text(encoding="utf-8") for p in (folder / "texts").iterdir())
    texts = texts.replace("“", '"').replace("”", '"')
    for en, heading in glossary.items():
        assert heading.origin in (PLAN, CURATORIAL)
        if heading.origin == PLAN:
            for part in re.split(r"[/、]", heading.zh):
                assert part.strip().replace("“", '"').replace("”", '"') in texts, (folder.name, en, heading.zh)


def test_translation_keeps_numbering_tags_and_marks_remarks() -> None:
    glossary = read_glossary(BUNDLED_DATA_DIR / "miit-5g-sailing-2021" / GLOSSARY_FILE)
    found = translate("Goals for 2023 / key indicators, 2", glossary)
    assert found is not None and found.zh == "到2023年 / 关键指标，第2条" and not found.curatorial
    found = translate("Goals for 2023 / key infrastructure support, 3 (draft only; final unconfirmed)", glossary)
    assert found is not None and found.curatorial and "（仅见于征求意见稿；定稿未确认）" in found.zh
    found = translate("Special actions / 1, task 3 [XMW]", glossary)
    assert found is not None and found.zh == "专项行动 / 5G应用标准体系构建行动，任务3 [XMW]"
    assert translate("A heading nobody wrote down", glossary) is None


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    store = MemoryStore(tmp_path_factory.mktemp("locators") / "graph.db")
    store.upsert(prepare(bundled_paths()))
    with TestClient(create_app(store, ApiSettings())) as test_client:
        yield test_client


def test_api_sources_carry_locator_zh(client: TestClient) -> None:
    entity = client.get("/api/v1/entities/miit-5g-sailing-2021.ind.network-traffic-share").json()
    located = [s for s in entity["sources"] if s["locator"].startswith("Goals for 2023 / key indicators")]
    assert located and all(s["locator_zh"].startswith("到2023年 / 关键指标") for s in located)
    assert all("locator_zh_curatorial" not in s for s in located)
    neighbours = client.get("/api/v1/entities/miit-5g-sailing-2021.ind.network-traffic-share/neighbors").json()
    assert all("locator_zh" in s for edge in neighbours["edges"] for s in edge["sources"])
    coverage = client.get("/api/v1/analytics/coverage").json()
    assert all(
        "locator_zh" in s for pair in coverage["standards_x_industries"] for e in pair["chain"] for s in e["sources"]
    )
