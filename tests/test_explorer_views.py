"""The explorer for analysts (issue 14), asserted through the `window.plankg` hook — no screenshots.

Real headless Chromium against a real `plankg serve`: node label boxes do not overlap after an
expansion and in a 200-node neighbourhood, and the drawing is fitted; every visible interface string
changes between English and Chinese; a link restores expanded nodes, selection, view, filter and
language exactly, and a bad link says so; the views (plan overview, diff, timeline, derived answers,
question box, extraction review) render the API's data; exports have the chosen size and the legend;
a curatorial note is never shown as a quote; panels never cover the graph.
"""

# The fixtures come from test_explorer (one browser and one server per session); tests take them as
# parameters of the same names, which ruff reads as redefinitions of the imports.
# ruff: noqa: F811

from __future__ import annotations

import os
import re
import shutil
import struct
import subprocess
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from test_explorer import (  # noqa: F401 - fixtures
    ARTIFACTS,
    CHROMIUM,
    CHROMIUM_ARGS,
    Page,
    Server,
    _hub_batch,
    browser,
    browser_ready,
    server,
)

from plankg.graph.memory import MemoryStore
from plankg.model import Edge, GraphBatch, Node, Source

pytestmark = pytest.mark.timeout(600)

HUB = "industry.synthetic-hub"
NEIGHBOURS = 199  # with the hub: a 200-node neighbourhood
PLAN = "plan.miit-5g-sailing-2021"
NOTE = "Curator: the hub stands for no real industry; it tests the drawing."

# Label boxes of every node (model coordinates) and whether the drawing fits the canvas.
LABEL_BOXES = """() => {
  const cy = window.plankg.cy;
  const boxes = cy.nodes().filter((n) => n.data('label')).map((n) => {
    const b = n.boundingBox({ includeNodes: false, includeEdges: false, includeLabels: true, includeOverlays: false });
    return { id: n.id(), x1: b.x1, x2: b.x2, y1: b.y1, y2: b.y2 };
  });
  const r = cy.elements().renderedBoundingBox({ includeLabels: true, includeOverlays: false });
  return { boxes, rendered: { x1: r.x1, y1: r.y1, x2: r.x2, y2: r.y2 }, width: cy.width(), height: cy.height() };
}"""

# Visible text of the interface in document order (data — labels, quotes, ids — is marked translate="no").
INTERFACE_TEXT = """() => {
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.textContent.trim();
    const parent = node.parentElement;
    if (!text || !/[A-Za-z\\u4e00-\\u9fff]/.test(text)) continue;
    if (parent.closest('[translate=no], script, style, option:not(:checked)')) continue;
    if (!parent.checkVisibility()) continue;
    out.push([parent.tagName + (parent.id ? '#' + parent.id : ''), text]);
  }
  for (const input of document.querySelectorAll('input[placeholder], textarea[placeholder]')) {
    if (input.checkVisibility() && input.placeholder) out.push(['placeholder#' + input.id, input.placeholder]);
  }
  return out;
}"""


@pytest.fixture(scope="module")
def hub_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A hub industry with 199 standards (a 200-node neighbourhood); the hub's source is a curatorial note."""
    folder = tmp_path_factory.mktemp("explorer-views-hub")
    db = folder / "graph.json"
    batch = _hub_batch(NEIGHBOURS)
    hub = next(node for node in batch.nodes if node.id == HUB)
    hub.sources.append(Source("synthetic.doc.plan", "curation", NOTE, "note"))
    store = MemoryStore(db)
    store.upsert(batch)
    store.close()
    running = Server(db, folder / "serve.log")
    try:
        yield running
    finally:
        running.stop()


def _page(browser: Any, url: str, width: int = 1400, height: int = 900) -> tuple[Any, Page]:
    context = browser.new_context(viewport={"width": width, "height": height}, accept_downloads=True)
    return context, Page(context.new_page(), url)


@pytest.fixture
def explorer(browser: Any, server: Server) -> Iterator[Page]:
    context, page = _page(browser, server.url)
    try:
        yield page
    finally:
        context.close()
    assert page.errors == [], f"console errors: {page.errors}"


def _overlaps(boxes: list[dict[str, Any]]) -> list[tuple[str, str]]:
    found = []
    ordered = sorted(boxes, key=lambda b: b["x1"])
    for i, a in enumerate(ordered):
        for b in ordered[i + 1 :]:
            if b["x1"] >= a["x2"]:
                break
            if min(a["y2"], b["y2"]) - max(a["y1"], b["y1"]) > 0 and min(a["x2"], b["x2"]) - max(a["x1"], b["x1"]) > 0:
                found.append((a["id"], b["id"]))
    return found


def _assert_readable(page: Page) -> dict[str, Any]:
    """No two node labels overlap, and the whole drawing (labels included) is inside the canvas."""
    measured = page.js(LABEL_BOXES)
    assert measured["boxes"], "nothing drawn"
    assert _overlaps(measured["boxes"]) == []
    rendered = measured["rendered"]
    slack = 2
    assert rendered["x1"] >= -slack and rendered["y1"] >= -slack, rendered
    assert rendered["x2"] <= measured["width"] + slack and rendered["y2"] <= measured["height"] + slack, measured
    return measured


def _expand(page: Page, node_id: str) -> None:
    page.js("(id) => window.plankg.expand(id)", node_id)


# ------------------------------------------------------------------ readable drawings


def test_labels_do_not_overlap_after_expanding_the_key_fields_goal(explorer: Page, server: Server) -> None:
    goal = next(
        item["id"]
        for item in server.get("/api/v1/entities", q="15 key fields", type="Goal")["items"]
        if "15" in item["labels"]["en"]
    )
    explorer.open(f"entity={PLAN}")
    _assert_readable(explorer)
    _expand(explorer, goal)
    neighbours = {n["id"] for n in server.get(f"/api/v1/entities/{goal}/neighbors", limit=500)["nodes"]}
    assert neighbours <= explorer.node_ids() and len(neighbours) >= 16
    _assert_readable(explorer)
    # in Chinese too (other label widths), and labels are whole: none is cut
    explorer.page.locator("#lang-zh").click()
    _assert_readable(explorer)
    labels = explorer.js("() => window.plankg.cy.nodes().map((n) => [n.id(), n.data('label')])")
    zh = {n["id"]: n["labels"].get("zh") for n in server.get(f"/api/v1/entities/{goal}/neighbors", limit=500)["nodes"]}
    assert all(label == zh[node] for node, label in labels if zh.get(node))


def test_two_hundred_node_neighbourhood_is_readable(browser: Any, hub_server: Server) -> None:
    context, page = _page(browser, hub_server.url)
    try:
        page.open(f"entity={HUB}")
        assert len(page.node_ids()) == NEIGHBOURS + 1
        measured = _assert_readable(page)
        assert len(measured["boxes"]) == NEIGHBOURS + 1
        assert page.errors == []
    finally:
        context.close()


def test_panels_never_cover_the_graph(explorer: Page) -> None:
    explorer.open("query=standards_for_industry&param=industry.healthcare")
    explorer.page.wait_for_selector("#results-table tbody tr")
    rect = (
        "(id) => { const r = document.getElementById(id).getBoundingClientRect();"
        " return [r.x, r.y, r.right, r.bottom]; }"
    )
    canvas = explorer.js(rect, "cy")
    for panel in ("results", "legend", "details"):
        left, top, right, bottom = explorer.js(rect, panel)
        assert right <= canvas[0] or left >= canvas[2] or bottom <= canvas[1] or top >= canvas[3], panel
    # the canvas follows its box, and the drawing is fitted into what is left
    assert explorer.js("() => window.plankg.cy.height()") == pytest.approx(canvas[3] - canvas[1], abs=2)
    _assert_readable(explorer)


# ------------------------------------------------------------------ both languages


STATES = [
    "",  # the first screen
    f"entity={PLAN}&sel={PLAN}",
    "query=measures_for_goal&param=miit-5g-sailing-2021.goal.key-fields-15&derived=1",
    "view=coverage",
    "view=diff&a=miit-5g-sailing-2021.doc.draft&b=miit-5g-sailing-2021.doc.final",
    "view=timeline",
    "view=extract",
    "compare=miit-5g-sailing-2021.doc.draft+miit-5g-sailing-2021.doc.final",
]


@pytest.mark.parametrize(
    "state", STATES, ids=["welcome", "details", "derived", "coverage", "diff", "timeline", "extract", "diff-graph"]
)
def test_every_interface_string_changes_with_the_language(explorer: Page, state: str) -> None:
    texts = {}
    for lang in ("en", "zh"):
        explorer.page.goto("about:blank")
        explorer.open(f"lang={lang}&{state}" if state else f"lang={lang}")
        explorer.page.wait_for_function("() => !document.getElementById('status').textContent.includes('…')")
        explorer.page.wait_for_timeout(300)  # lets a view fill in after its data (not a timing assertion)
        texts[lang] = explorer.js(INTERFACE_TEXT)
    assert len(texts["en"]) == len(texts["zh"]), (texts["en"], texts["zh"])
    same = [(where, en) for (where, en), (_, zh) in zip(texts["en"], texts["zh"], strict=True) if en == zh]
    assert same == [], f"not translated: {same}"
    assert len(texts["en"]) >= 5


def test_string_tables_are_complete_and_query_texts_come_in_both_languages(explorer: Page, server: Server) -> None:
    explorer.open()
    keys = explorer.js(
        "async () => { const m = await import('/static/i18n.js'); return [m.stringKeys('en'), m.stringKeys('zh')]; }"
    )
    assert sorted(keys[0]) == sorted(keys[1])
    for query in server.get("/api/v1/queries")["items"]:
        explorer.page.select_option("#query-name", query["name"])
        assert explorer.page.locator("#query-description").inner_text() == query["descriptions"]["en"]
    explorer.page.locator("#lang-zh").click()
    for query in server.get("/api/v1/queries")["items"]:
        explorer.page.select_option("#query-name", query["name"])
        assert explorer.page.locator("#query-description").inner_text() == query["descriptions"]["zh"]
        assert (
            explorer.page.locator(f'#query-name option[value="{query["name"]}"]').inner_text() == query["title"]["zh"]
        )


def test_coverage_headers_are_legible_in_both_languages(explorer: Page) -> None:
    for lang in ("en", "zh"):
        explorer.open(f"lang={lang}&view=coverage")
        explorer.page.wait_for_selector("#coverage-table th.col")
        headers = explorer.page.locator("#coverage-table th.col:not(.total)").evaluate_all(
            "(ths) => ths.map((th) => { const s = getComputedStyle(th); const r = th.getBoundingClientRect();"
            " return { mode: s.writingMode, transform: s.transform, width: r.width, size: parseFloat(s.fontSize) }; })"
        )
        assert headers
        for header in headers:
            assert header["mode"] == "horizontal-tb" and header["transform"] == "none", header
            assert header["width"] >= 80 and header["size"] >= 12, header
        # row headers wrap by words, never one character per line
        rows = explorer.page.locator("#coverage-table th.row").evaluate_all(
            "(ths) => ths.map((th) => th.getBoundingClientRect().width)"
        )
        assert min(rows) >= 150


# ------------------------------------------------------------------ the URL


def test_url_round_trip_restores_everything(browser: Any, explorer: Page, server: Server) -> None:
    explorer.open(f"entity={PLAN}")
    goal = "miit-5g-sailing-2021.goal.key-fields-15"
    _expand(explorer, goal)
    _expand(explorer, "industry.smart-healthcare")
    explorer.js("(id) => window.plankg.select(id)", "industry.smart-healthcare")
    explorer.page.locator("#lang-zh").click()
    explorer.page.select_option("#plan-filter", PLAN)
    before = {
        "nodes": explorer.node_ids(),
        "expanded": explorer.node_ids("node.expanded"),
        "faded": explorer.node_ids(".filtered-out"),
        "hash": explorer.js("() => location.hash"),
    }
    assert len(before["nodes"]) > 20 and {goal, "industry.smart-healthcare"} <= before["expanded"]
    assert "expanded=" in before["hash"] and "sel=industry.smart-healthcare" in before["hash"]

    context, fresh = _page(browser, server.url)
    try:
        fresh.open(before["hash"].lstrip("#"))
        fresh.page.wait_for_selector('#details-body .title[data-id="industry.smart-healthcare"]')
        assert fresh.node_ids() == before["nodes"]
        assert fresh.node_ids("node.expanded") == before["expanded"]
        assert fresh.node_ids(":selected") == {"industry.smart-healthcare"}
        assert fresh.node_ids(".filtered-out") == before["faded"]
        assert fresh.page.locator("#search-heading").inner_text() == "搜索"
        assert fresh.page.locator("#plan-filter").input_value() == PLAN
        assert fresh.js("() => location.hash") == before["hash"]

        # views round-trip too: the diff, the timeline at a date, a coverage cell
        for state, selector in (
            ("view=diff&a=miit-5g-sailing-2021.doc.draft&b=miit-5g-sailing-2021.doc.final", "#diff-body .diff-summary"),
            ("view=timeline&until=2023-12-31", "#timeline-body .due-group"),
            (
                "cell=miit-5g-sailing-2021.std.medical-convergence industry.healthcare",
                "#details-body blockquote.source",
            ),
        ):
            fresh.open(state)
            fresh.page.wait_for_selector(selector)
            for pair in state.split("&"):
                assert pair.replace(" ", "+") in fresh.js("() => location.hash"), (
                    pair,
                    fresh.js("() => location.hash"),
                )
        assert fresh.errors == []
    finally:
        context.close()


def test_a_bad_link_is_explained(explorer: Page) -> None:
    explorer.page.goto(f"{explorer.base_url}/#entity=no.such-entity")
    explorer.page.wait_for_selector("body[data-ready=true]")
    explorer.page.wait_for_selector("#link-problem:not([hidden])")
    assert "no.such-entity" in explorer.page.locator("#link-problem-message").inner_text()
    explorer.page.locator("#link-problem-reset").click()
    assert explorer.page.locator("#link-problem").is_hidden()
    assert explorer.page.locator("#welcome").is_visible()
    explorer.errors.clear()  # the browser logs the 404 the link caused


def test_clicking_a_coverage_cell_keeps_it_in_the_url(explorer: Page) -> None:
    explorer.open("view=coverage")
    cell = explorer.page.locator('#coverage-table td.cell[data-kind="direct"]').first
    standard, industry = cell.get_attribute("data-standard"), cell.get_attribute("data-industry")
    before = explorer.renders()
    cell.click()
    explorer.wait_render(before)
    assert f"cell={standard}+{industry}" in explorer.js("() => location.hash")
    explorer.page.reload()
    explorer.page.wait_for_selector("body[data-ready=true]")
    explorer.page.wait_for_selector("#details-body blockquote.source")
    assert {standard, industry} <= explorer.node_ids()


# ------------------------------------------------------------------ views


def test_first_screen_says_what_is_loaded_and_what_to_try(explorer: Page, server: Server) -> None:
    explorer.open()
    welcome = explorer.page.locator("#welcome")
    assert welcome.is_visible()
    plans = server.get("/api/v1/entities", type="Plan")["items"]
    ready = server.get("/ready")
    text = welcome.inner_text()
    assert str(ready["nodes"]) in text and str(ready["edges"]) in text
    assert explorer.page.locator("#welcome [data-plan]").count() == len(plans)
    assert "double-click" in text.lower()
    before = explorer.renders()
    explorer.page.locator("#welcome .example-query").first.click()
    explorer.wait_render(before)
    assert welcome.is_hidden() and explorer.node_ids("node.result")
    before = explorer.renders()
    explorer.page.locator("#clear").click()
    assert welcome.is_visible()
    explorer.page.locator("#welcome .example-question").first.click()
    explorer.wait_render(before)
    assert explorer.page.locator("#results-table tbody tr").count() > 0


def test_plan_overview_draws_goals_indicators_and_deadlines(explorer: Page, server: Server) -> None:
    explorer.open(f"plan={PLAN}")
    explorer.page.wait_for_function("() => window.plankg.cy.nodes().length > 5")
    deadlines = server.get("/api/v1/deadlines", plan=PLAN)
    indicators = {item["indicator"]["id"] for item in deadlines["indicators"]}
    goals = {item["entity"]["id"] for item in server.get_all("/api/v1/queries/goals_of_plan", plan=PLAN)["items"]}
    drawn = explorer.node_ids()
    assert goals <= drawn and indicators <= drawn and PLAN in drawn
    due = {f"deadline.{item['deadline']}" for item in deadlines["indicators"]}
    assert explorer.node_ids("node[type = '__deadline__']") == due
    # a hierarchy: left to right, plan → goals → indicators → deadlines
    x = explorer.js("() => Object.fromEntries(window.plankg.cy.nodes().map((n) => [n.id(), n.position('x')]))")
    assert all(x[PLAN] < x[goal] for goal in goals)
    assert all(x[indicator] < x[deadline] for indicator in indicators for deadline in due if indicator in x)
    assert explorer.js("() => window.plankgMetrics.lastLayout") == "dagre"
    _assert_readable(explorer)
    assert explorer.page.locator("#plan-report").get_attribute("href") == f"/api/v1/plans/{PLAN}/report"


def test_diff_view_matches_the_api(explorer: Page, server: Server) -> None:
    a, b = "miit-5g-sailing-2021.doc.draft", "miit-5g-sailing-2021.doc.final"
    explorer.open()
    explorer.page.locator("#tab-diff").click()
    explorer.page.select_option("#diff-a", a)
    explorer.page.select_option("#diff-b", b)
    explorer.page.locator("#diff-run").click()
    explorer.page.wait_for_selector("#diff-body .diff-summary")
    expected = server.get("/api/v1/diff", a=a, b=b)
    for group in ("entities", "relations"):
        for kind, count in expected["summary"][group].items():
            cell = explorer.page.locator(f'.diff-summary td[data-group="{group}"][data-kind="{kind}"]')
            assert cell.inner_text() == str(count)
            items = explorer.page.locator(f'.diff-group[data-group="{group}"][data-kind="{kind}"] .diff-item')
            assert items.count() == count


def test_timeline_slider_filters_by_deadline(explorer: Page, server: Server) -> None:
    explorer.open("view=timeline")
    explorer.page.wait_for_selector("#timeline-body .due-group")
    answer = server.get("/api/v1/deadlines")
    dates = sorted({item["deadline"] for item in answer["indicators"]} | {g["deadline"] for g in answer["goals"]})
    assert len(dates) >= 2
    shown = explorer.page.locator("#timeline-body .due-group .due-item[data-id]")
    assert shown.count() >= len(answer["indicators"])
    explorer.page.locator("#timeline-slider").fill("0")
    first = [item["indicator"]["id"] for item in answer["indicators"] if item["deadline"] <= dates[0]]
    explorer.page.wait_for_function(
        "(n) => document.querySelectorAll('.due-item[data-id]').length >= n", arg=len(first)
    )
    ids = set(
        explorer.page.locator("#timeline-body .due-item[data-id]").evaluate_all("(els) => els.map((e) => e.dataset.id)")
    )
    assert set(first) <= ids
    later = {item["indicator"]["id"] for item in answer["indicators"] if item["deadline"] > dates[0]}
    assert not (later & ids)
    assert f"until={dates[0]}" in explorer.js("() => location.hash")


def test_derived_answers_are_drawn_apart_from_direct_ones(explorer: Page, server: Server) -> None:
    goal = "miit-5g-sailing-2021.goal.key-fields-15"
    expected = server.get("/api/v1/derived/measures_for_goal", id=goal)
    assert expected["derived"], "the test needs derived answers"
    explorer.open(f"query=measures_for_goal&param={goal}&derived=1")
    explorer.page.wait_for_selector("#results-table tbody tr.derived")
    assert explorer.node_ids("node.derived") == {item["entity"]["id"] for item in expected["derived"]} - {
        item["entity"]["id"] for item in expected["items"]
    }
    assert explorer.node_ids("node.result") == {item["entity"]["id"] for item in expected["items"]}
    chain = {f"{e['source']}|{e['relation']}|{e['target']}" for item in expected["derived"] for e in item["chain"]}
    assert chain <= explorer.node_ids("edge.derived") | explorer.node_ids("edge.evidence")
    assert explorer.page.locator("#results-table tr.derived").count() == len(expected["derived"])
    # a derived row explains its chain, each step with its source
    explorer.page.locator("#results-table tr.derived").first.click()
    explorer.page.wait_for_selector("#details-body ol.chain li")
    assert explorer.page.locator("#details-body .badge.derived").count() == 1
    legend = explorer.page.locator("#legend").inner_text()
    assert "derived answer" in legend


def test_extraction_review_highlights_items_in_place_and_downloads_the_draft(explorer: Page, server: Server) -> None:
    text = (
        "一、工作目标\n到2023年，5G个人用户普及率超过40%，建设5G基站3000个以上。\n"
        "二、重点任务\n（一）推进智慧医疗应用。"
    )
    explorer.open("view=extract")
    explorer.page.locator("#extract-input").fill(text)
    explorer.page.locator("#extract-name").fill("review.txt")
    explorer.page.locator("#extract-run").click()
    explorer.page.wait_for_selector("#extract-text mark.extracted")
    assert explorer.page.locator("#extract-text").inner_text() == text
    marks = explorer.page.locator("#extract-text mark.extracted").evaluate_all(
        "(ms) => ms.map((m) => [Number(m.dataset.start), Number(m.dataset.end), m.textContent, m.dataset.type])"
    )
    assert any(kind == "Indicator" for *_, kind in marks)
    for start, end, piece, _kind in marks:
        assert text[start:end] == piece
    with explorer.page.expect_download() as download_info:
        explorer.page.locator("#extract-download").click()
    yaml_text = Path(download_info.value.path()).read_text(encoding="utf-8")
    assert download_info.value.suggested_filename == "review.draft.yaml"
    assert "5G个人用户普及率超过40%" in yaml_text and yaml_text.startswith("# plankg extraction draft")


def test_a_curatorial_note_is_never_shown_as_a_quote(browser: Any, hub_server: Server) -> None:
    context, page = _page(browser, hub_server.url)
    try:
        page.open(f"entity={HUB}")
        page.page.wait_for_selector(f'#details-body .title[data-id="{HUB}"]')
        note = page.page.locator('#details-body .source[data-kind="note"]')
        assert note.count() == 1
        assert note.evaluate("(n) => n.tagName") != "BLOCKQUOTE" and note.locator("q").count() == 0
        assert NOTE in note.inner_text()
        quotes = page.page.locator("#details-body blockquote.source q").all_inner_texts()
        assert NOTE not in quotes and quotes
        assert page.errors == []
    finally:
        context.close()


# ------------------------------------------------------------------ exports


def _png_size(data: bytes) -> tuple[int, int]:
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_png_and_svg_export_at_the_chosen_size_with_the_legend(explorer: Page, server: Server) -> None:
    explorer.open("query=standards_for_industry&param=industry.healthcare")
    explorer.page.wait_for_selector("#results-table tbody tr")
    explorer.page.select_option("#export-size", "1200x800")
    with explorer.page.expect_download() as download_info:
        explorer.page.locator("#png").click()
    data = Path(download_info.value.path()).read_bytes()
    assert _png_size(data) == (1200, 800)
    (ARTIFACTS / "explorer-export.png").write_bytes(data)

    explorer.page.select_option("#export-size", "2400x1600")
    with explorer.page.expect_download() as download_info:
        explorer.page.locator("#svg").click()
    svg = Path(download_info.value.path()).read_text(encoding="utf-8")
    assert 'width="2400" height="1600"' in svg
    assert 'class="legend"' in svg and "Standard" in svg and "yellow ring: direct answer" in svg
    labels = explorer.js("() => window.plankg.cy.nodes().map((n) => n.data('label'))")
    flat = svg.replace("</tspan><tspan", " <tspan")
    for label in labels:
        for word in label.split():
            assert word.replace("&", "&amp;").replace('"', "&quot;") in flat, word
    (ARTIFACTS / "explorer-export.svg").write_text(svg, encoding="utf-8")


# ------------------------------------------------------------------ issue 14: the remaining gaps

CJK_TEXT = "[\\u4e00-\\u9fff]"


def test_locators_are_chinese_in_chinese_mode(explorer: Page, server: Server) -> None:
    """In 中文 the details panel gives each quote's locator from the plan's glossary (curatorial parts marked)."""
    entity_id = "miit-5g-sailing-2021.ind.network-traffic-share"
    entity = server.get(f"/api/v1/entities/{entity_id}")
    assert all(source.get("locator_zh") for source in entity["sources"])
    explorer.open(f"lang=zh&entity={entity_id}")
    explorer.page.wait_for_selector(f'#details-body .title[data-id="{entity_id}"]')
    shown = explorer.page.locator("#details-body .cite .locator").evaluate_all(
        "(els) => els.map((e) => [e.firstChild.textContent, e.classList.contains('curatorial')])"
    )
    expected = [[s["locator_zh"], bool(s.get("locator_zh_curatorial"))] for s in entity["sources"]]
    assert shown == expected
    assert all(re.search(CJK_TEXT, text) for text, _ in shown)
    # a curatorial translation says so (mark + tooltip with the English locator)
    cited = server.get("/api/v1/entities/miit-5g-sailing-2021.doc.final")
    explorer.js("(id) => window.plankg.select(id)", "miit-5g-sailing-2021.doc.final")
    curatorial = [s for s in cited["sources"] if s.get("locator_zh_curatorial")]
    if curatorial:
        explorer.page.wait_for_selector("#details-body .locator.curatorial sup.curatorial-mark")
        title = explorer.page.locator("#details-body .locator.curatorial").first.get_attribute("title")
        assert curatorial[0]["locator"] in title
    # English mode: the English locator
    explorer.page.locator("#lang-en").click()
    explorer.js("(id) => window.plankg.select(id)", entity_id)
    explorer.page.wait_for_selector(f'#details-body .title[data-id="{entity_id}"]')
    assert explorer.page.locator("#details-body .cite .locator").all_inner_texts() == [
        s["locator"] for s in entity["sources"]
    ]


@pytest.fixture(scope="module")
def coverage_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A standard that supports an industry (a stated cell) and one a measure targeting it calls for (derived)."""
    folder = tmp_path_factory.mktemp("explorer-coverage")
    db = folder / "graph.json"
    doc = "synthetic.doc.coverage"

    def src(where: str) -> list[Source]:
        return [Source(doc, where, f"The plan says so in {where}.")]

    nodes = [
        Node(doc, "Document", {"en": "Synthetic coverage plan", "zh": "合成覆盖规划"}, sources=src("title")),
        Node("industry.synthetic-a", "Industry", {"en": "Synthetic industry", "zh": "合成行业"}, sources=src("s1")),
        Node("synthetic.std.stated", "Standard", {"en": "Stated standard", "zh": "陈述标准"}, sources=src("s2")),
        Node("synthetic.std.derived", "Standard", {"en": "Called-for standard", "zh": "要求的标准"}, sources=src("s3")),
        Node("synthetic.measure.m", "Measure", {"en": "Synthetic measure", "zh": "合成措施"}, sources=src("s4")),
    ]
    edges = [
        Edge("synthetic.std.stated", "supports_industry", "industry.synthetic-a", sources=src("s2")),
        Edge("synthetic.measure.m", "targets_industry", "industry.synthetic-a", sources=src("s4")),
        Edge("synthetic.measure.m", "calls_for_standard", "synthetic.std.derived", sources=src("s4")),
    ]
    store = MemoryStore(db)
    store.upsert(GraphBatch(nodes=nodes, edges=edges))
    store.close()
    running = Server(db, folder / "serve.log")
    try:
        yield running
    finally:
        running.stop()


def test_coverage_draws_derived_cells_apart_with_legend_and_tooltip(browser: Any, coverage_server: Server) -> None:
    server = coverage_server
    context, explorer = _page(browser, server.url)
    try:
        _coverage_derived(explorer, server)
    finally:
        context.close()
    assert explorer.errors == [], f"console errors: {explorer.errors}"


def _coverage_derived(explorer: Page, server: Server) -> None:
    analytics = server.get("/api/v1/analytics/coverage")
    explorer.open("view=coverage")
    explorer.page.wait_for_selector("#coverage-table td.cell")
    explorer.page.uncheck("#coverage-hide-empty")
    stated = set(
        explorer.page.locator(
            '#coverage-table td.cell[data-kind="direct"], #coverage-table td.cell[data-kind="inherited"]'
        ).evaluate_all("(cells) => cells.map((c) => c.dataset.standard + '|' + c.dataset.industry)")
    )
    direct = {f"{p['row']}|{p['column']}" for p in analytics["standards_x_industries"] if p["kind"] == "direct"}
    assert direct <= stated
    expected = {f"{p['row']}|{p['column']}" for p in analytics["standards_x_industries"] if p["kind"] == "derived"}
    expected -= stated
    assert expected == {"synthetic.std.derived|industry.synthetic-a"}
    derived = explorer.page.locator('#coverage-table td.cell[data-kind="derived"]')
    shown = set(derived.evaluate_all("(cells) => cells.map((c) => c.dataset.standard + '|' + c.dataset.industry)"))
    assert shown == expected
    # drawn apart: its own mark and background, a legend entry, a tooltip naming the derivation
    style = "(c) => [c.textContent, getComputedStyle(c).backgroundImage, getComputedStyle(c).color]"
    direct_cell = explorer.page.locator('#coverage-table td.cell[data-kind="direct"]').first.evaluate(style)
    derived_cell = derived.first.evaluate(style)
    assert derived_cell != direct_cell and derived_cell[0] == "◆"
    assert explorer.page.locator('#coverage-legend li[data-kind="derived"]').is_visible()
    pair = next(p for p in analytics["standards_x_industries"] if f"{p['row']}|{p['column']}" in expected)
    cell = explorer.page.locator(
        f'#coverage-table td.cell[data-standard="{pair["row"]}"][data-industry="{pair["column"]}"]'
    )
    measure = next(e["source"] for e in pair["chain"] if e["relation"] == "calls_for_standard")
    measure_label = server.get(f"/api/v1/entities/{measure}")["labels"]["en"]
    assert "derived" in cell.get_attribute("title") and measure_label in cell.get_attribute("title")
    # a derived cell opens its chain, drawn as derived
    before = explorer.renders()
    cell.click()
    explorer.wait_render(before)
    chain = {f"{e['source']}|{e['relation']}|{e['target']}" for e in pair["chain"]}
    assert explorer.node_ids("edge.derived") == chain
    assert pair["row"] in explorer.node_ids("node.derived")
    explorer.page.wait_for_selector("#details-body ol.chain li")
    # Chinese: the tooltip and the legend change language
    explorer.page.locator("#lang-zh").click()
    explorer.page.locator("#tab-coverage").click()
    explorer.page.wait_for_selector("#coverage-legend")
    assert re.search(CJK_TEXT, explorer.page.locator("#coverage-legend").inner_text())


def test_diff_is_drawn_in_the_graph_coloured_by_kind(explorer: Page, server: Server) -> None:
    a, b = "miit-5g-sailing-2021.doc.draft", "miit-5g-sailing-2021.doc.final"
    expected = server.get("/api/v1/diff", a=a, b=b)
    explorer.open(f"view=diff&a={a}&b={b}")
    explorer.page.wait_for_selector("#diff-body .diff-summary")
    before = explorer.renders()
    explorer.page.locator("#diff-draw").click()
    explorer.wait_render(before)
    assert "view" not in explorer.js("() => location.hash") or "view=graph" in explorer.js("() => location.hash")
    for kind in ("added", "changed", "not_stated", "unchanged"):
        css = "diff-" + kind.replace("_", "-")
        ids = {(c["b"] or c["a"])["id"] for c in expected["entities"][kind]}
        assert explorer.node_ids(f"node.{css}") == ids, kind
        edges = {
            f"{(c['b'] or c['a'])['source']}|{(c['b'] or c['a'])['relation']}|{(c['b'] or c['a'])['target']}"
            for c in expected["relations"][kind]
        }
        assert explorer.node_ids(f"edge.{css}") == edges, kind
    colours = explorer.js(
        """() => Object.fromEntries(['added', 'changed', 'not-stated'].map((k) =>
             [k, window.plankg.cy.$('node.diff-' + k).first().style('border-color')]))"""
    )
    assert len(set(colours.values())) == 3
    _assert_readable(explorer)
    legend = explorer.page.locator("#legend")
    for mark in ("markDiffAdded", "markDiffNotStated"):
        assert legend.locator(f'[data-mark="{mark}"]').is_visible()
    # the drawing is a state of its own in the URL
    assert f"compare={a}+{b}" in explorer.js("() => location.hash")
    explorer.page.reload()
    explorer.page.wait_for_selector("body[data-ready=true]")
    explorer.page.wait_for_function("() => window.plankg.cy.$('node.diff-added').length > 0")
    assert explorer.node_ids("node.diff-added") == {(c["b"] or c["a"])["id"] for c in expected["entities"]["added"]}


def test_chinese_text_has_a_font_the_vendored_web_font_or_the_systems(explorer: Page, server: Server) -> None:
    explorer.open("lang=zh")
    source = explorer.js("() => document.documentElement.dataset.cjkFont")
    assert source in ("system", "web")
    assert explorer.page.locator("#font-notice").is_hidden()
    # the vendored Noto Sans SC (npm, OFL-1.1) loads from this server, one subset slice for these characters
    faces = explorer.js(
        """async () => (await document.fonts.load('16px "Noto Sans SC"', '中文')).map((f) => [f.family, f.status])"""
    )
    assert faces and all(status == "loaded" for _family, status in faces)
    assert explorer.js("""() => document.fonts.check('16px "Noto Sans SC"', '中文')""")
    fetched = explorer.js(
        "() => performance.getEntriesByType('resource').map((r) => r.name).filter((n) => n.includes('/vendor/files/'))"
    )
    assert fetched and all(url.startswith(server.url + "/vendor/files/noto-sans-sc-") for url in fetched)
    # a glyph drawn with the web font alone is not the missing-glyph box
    assert explorer.js(
        """async () => { const m = await import('/static/cjk.js'); return m.hasCjkFont('"Noto Sans SC"'); }"""
    )
    assert _status(server.url + "/vendor/files/not-a-font.woff2") == 404


def _status(url: str) -> int:
    """The HTTP status of a GET, errors included."""
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return error.code


def _fonts_without_chinese(folder: Path) -> Path:
    """A fontconfig file that shows Chromium only the system's fonts without Chinese (as on a bare machine)."""
    fonts = folder / "fonts"
    fonts.mkdir()
    listed = subprocess.run(["fc-list", "--format", "%{file}\\n"], capture_output=True, text=True, check=False)
    chinese = subprocess.run(
        ["fc-list", ":lang=zh", "--format", "%{file}\\n"], capture_output=True, text=True, check=False
    )
    for index, name in enumerate(sorted(set(listed.stdout.split()) - set(chinese.stdout.split()))):
        if name.endswith((".ttf", ".otf")):
            (fonts / f"{index}-{Path(name).name}").symlink_to(name)
    cache = folder / "cache"
    config = folder / "fonts.conf"
    config.write_text(
        f'<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd">'
        f"<fontconfig><dir>{fonts}</dir><cachedir>{cache}</cachedir></fontconfig>\n",
        encoding="utf-8",
    )
    return config


def test_without_a_system_cjk_font_the_web_font_draws_chinese_and_without_both_the_page_warns(
    browser: Any, server: Server, tmp_path: Path
) -> None:
    if shutil.which("fc-list") is None:
        pytest.skip("fontconfig's fc-list is needed to hide the system's Chinese fonts")
    config = _fonts_without_chinese(tmp_path)
    bare = browser.browser_type.launch(
        executable_path=str(CHROMIUM),
        args=CHROMIUM_ARGS,
        headless=True,
        env={**os.environ, "FONTCONFIG_FILE": str(config)},
    )
    try:
        context, explorer = _page(bare, server.url)
        try:
            explorer.open("lang=zh&entity=industry.healthcare")
            explorer.page.wait_for_selector("#details-body .title")
            assert explorer.js("() => document.documentElement.dataset.cjkFont") == "web"
            assert explorer.page.locator("#font-notice").is_hidden()
            assert explorer.js("""() => document.fonts.check('16px "Noto Sans SC"', '医疗')""")
        finally:
            context.close()
        assert explorer.errors == []
        # neither the system's font nor the web font: the page says so, naming the fix
        context, explorer = _page(bare, server.url)
        try:
            explorer.page.route("**/vendor/files/**", lambda route: route.abort())
            explorer.open("lang=zh")
            assert explorer.js("() => document.documentElement.dataset.cjkFont") == "none"
            assert explorer.page.locator("#font-notice").is_visible()
            assert "fonts-noto-cjk" in explorer.page.locator("#font-notice").inner_text()
        finally:
            context.close()
    finally:
        bare.close()


def test_a_paged_named_query_answer_is_shown_whole(browser: Any, hub_server: Server) -> None:
    """The API pages named-query answers (20 by default); the explorer follows next_cursor to the end."""
    first = hub_server.get("/api/v1/queries/standards_for_industry", industry=HUB)
    assert first["total"] == NEIGHBOURS and len(first["items"]) < NEIGHBOURS and first["next_cursor"]
    context, page = _page(browser, hub_server.url)
    try:
        page.open(f"query=standards_for_industry&param={HUB}")
        page.page.wait_for_selector("#results-table tbody tr")
        assert page.page.locator("#results-table tbody tr").count() == NEIGHBOURS
        whole = hub_server.get_all("/api/v1/queries/standards_for_industry", industry=HUB)
        assert page.node_ids("node.result") == {item["entity"]["id"] for item in whole["items"]}
        # the coverage matrix counts the whole answer too
        page.open("view=coverage")
        page.page.wait_for_selector(f'#coverage-table td.col-total[data-industry="{HUB}"]')
        assert page.page.locator(f'#coverage-table td.col-total[data-industry="{HUB}"]').inner_text() == str(NEIGHBOURS)
        assert page.errors == []
    finally:
        context.close()
