// The plankg explorer: search and questions, neighbourhood graph, details with quotes, plans (filter,
// overview, report), named queries with derived answers, path finder, coverage matrix, diff, deadline
// timeline and extraction review — all from the JSON API under /api/v1.
//
// This entry module starts the page, wires the controls and restores the state from the URL.
// Each section lives in its own module (state.js, render.js, layout.js, neighborhood.js, details.js,
// queries.js, results.js, paths.js, coverage.js, plans.js, diff.js, timeline.js, extract.js,
// welcome.js, language.js, export.js, ...). They call each other's actions (ES modules allow such
// cycles): no module but this one runs code when it is imported.

import { api } from "./api.js";
import { askQuestion, wireAsk } from "./ask.js";
import { ensureCjkFont } from "./cjk.js";
import { renderCoverage, showCoverage, showCoverageCell } from "./coverage.js";
import { clearDetails, edgeFromElement, selectNode, showEdgeDetails } from "./details.js";
import { drawDiff, renderDiffOptions, showDiff } from "./diff.js";
import { $, busy, reportError, setStatus } from "./dom.js";
import { downloadPng, downloadResultsCsv, downloadSvg } from "./export.js";
import { createGraph, focusEdges, typeStyles } from "./graph.js";
import { LANGUAGES, language, t } from "./i18n.js";
import { applyLanguage } from "./language.js";
import { fitGraph, registerExtensions } from "./layout.js";
import { renderLegend } from "./legend.js";
import { expandNode, showNeighborhood, toggleNode } from "./neighborhood.js";
import { findPaths, renderPathList } from "./paths.js";
import { entityPicker } from "./picker.js";
import { isDeadline, loadPlans, renderPlanOptions, setPlanFilter, showPlanOverview } from "./plans.js";
import { queryParameter, runNamedQuery, updateQueryForm } from "./queries.js";
import { layoutGraph, renderSubgraph, showView, updateCount, VIEWS, watchGraphSize } from "./render.js";
import { hideResults } from "./results.js";
import { hashParams, state, stateHash, writeHash } from "./state.js";
import { showTimeline, wireTimeline } from "./timeline.js";
import { hideTooltip, showTooltip } from "./tooltip.js";
import { hideLinkProblem, loadExamples, renderWelcome, showLinkProblem, updateWelcome } from "./welcome.js";
import { showExtraction, wireExtraction } from "./extract.js";

// ------------------------------------------------------------------ URL state

function resetGraph() {
  state.cy.elements().remove();
  Object.assign(state, { mode: null, entity: null, expanded: [], selected: null, query: null, path: null, cell: null,
    plan: null, ask: null, paths: [] });
  hideResults();
  renderPathList();
  clearDetails();
  updateCount();
  renderLegend();
  updateWelcome();
}

/** Draw what the hash's graph parameters describe; throws when the link names something that is not there. */
async function restoreGraph(params) {
  const selected = params.get("sel");
  if (params.get("query") && params.get("param")) {
    const name = params.get("query");
    const unconfirmed = params.get("unconfirmed") !== "0";
    const derived = params.get("derived") === "1";
    if (!state.queries.some((q) => q.name === name)) throw new Error(t("unknownQuery", { name }));
    $("query-name").value = name;
    $("query-unconfirmed").checked = unconfirmed;
    $("query-derived").checked = derived;
    await updateQueryForm(false);
    state.pickers.param.set(await api.entity(params.get("param")));
    await runNamedQuery(name, params.get("param"), unconfirmed, derived);
  } else if (params.get("from") && params.get("to")) {
    const [from, to] = await Promise.all([api.entity(params.get("from")), api.entity(params.get("to"))]);
    state.pickers.from.set(from);
    state.pickers.to.set(to);
    const max = Number(params.get("max")) || 6;
    $("path-max").value = String(max);
    await findPaths(from.id, to.id, max);
  } else if (params.get("cell")) {
    const [standard, industry] = params.get("cell").split(" ");
    await showCoverageCell(standard, industry);
  } else if (params.get("compare")) {
    const [a, b] = params.get("compare").split(" ");
    await drawDiff(a, b);
  } else if (params.get("plan")) {
    await showPlanOverview(params.get("plan"));
  } else if (params.get("ask")) {
    $("search-input").value = params.get("ask");
    await askQuestion(params.get("ask"));
  } else if (params.get("entity")) {
    await api.entity(params.get("entity")); // a clear "not found" for a bad link, before anything is drawn
    const expanded = (params.get("expanded") ?? "").split(" ").filter(Boolean);
    await showNeighborhood(params.get("entity"), { expanded, selected: selected ?? params.get("entity") });
    return;
  }
  if (selected && state.cy.getElementById(selected).nonempty()) await selectNode(selected);
}

/** Show what the URL hash describes (a shared link, or the back button); a bad link is explained. */
async function restoreFromHash() {
  const params = hashParams();
  const lang = params.get("lang");
  if (lang && LANGUAGES.includes(lang) && lang !== language()) applyLanguage(lang);
  hideLinkProblem();
  try {
    const filter = params.get("filter") ?? "";
    if (filter && !state.plans.some((p) => p.id === filter)) throw new Error(`${t("planFilter")}: ${filter}?`);
    setPlanFilter(filter, { write: false });
    const view = params.get("view") ?? "graph";
    if (!VIEWS.includes(view)) throw new Error(`view=${view}?`);
    const hasGraph = ["query", "from", "cell", "compare", "plan", "ask", "entity"].some((key) => params.has(key));
    if (hasGraph) await restoreGraph(params);
    else if (state.mode) resetGraph(); // the link draws nothing: neither does the page
    if (view === "coverage") await showCoverage();
    else if (view === "diff" && params.get("a") && params.get("b")) await showDiff(params.get("a"), params.get("b"));
    else if (view === "diff") showView("diff");
    else if (view === "timeline") await showTimeline(params.get("until"));
    else if (view === "extract") showExtraction();
    else showView("graph");
    writeHash();
  } catch (error) {
    resetGraph();
    showView("graph");
    showLinkProblem(error);
    setStatus(t("error", { message: error.message ?? String(error) }), true);
  }
}

// ------------------------------------------------------------------ wiring

function wireGraphEvents(cy) {
  cy.on("tap", "node", (event) => {
    const id = event.target.id();
    if (isDeadline(id)) showTimeline(id.slice("deadline.".length));
    else selectNode(id);
  });
  cy.on("tap", (event) => { if (event.target === cy) clearDetails(); });
  cy.on("dbltap", "node", (event) => { if (!isDeadline(event.target.id())) toggleNode(event.target.id()); });
  cy.on("tap", "edge", (event) => showEdgeDetails(edgeFromElement(event.target)));
  cy.on("mouseover", "node, edge", (event) => {
    showTooltip(event.target, event.renderedPosition ?? event.target.renderedPosition());
    if (event.target.isNode()) focusEdges(cy, event.target);
  });
  cy.on("mouseout", "node, edge", () => {
    hideTooltip();
    focusEdges(cy, state.selected ? cy.getElementById(state.selected) : null);
  });
  cy.on("viewport", hideTooltip);
}

function wireControls() {
  for (const button of document.querySelectorAll(".lang-switch button")) {
    button.addEventListener("click", () => {
      applyLanguage(button.dataset.lang);
      writeHash();
    });
  }
  $("tab-graph").addEventListener("click", () => { showView("graph"); writeHash(); });
  $("tab-coverage").addEventListener("click", () => showCoverage());
  $("tab-diff").addEventListener("click", () => { showView("diff"); writeHash(); });
  $("tab-timeline").addEventListener("click", () => showTimeline());
  $("tab-extract").addEventListener("click", () => showExtraction());
  $("coverage-hide-empty").addEventListener("change", renderCoverage);
  $("relayout").addEventListener("click", () => layoutGraph());
  $("layout-name").addEventListener("change", () => layoutGraph());
  $("fit").addEventListener("click", () => fitGraph(state.cy));
  $("png").addEventListener("click", () => downloadPng($("export-size").value).catch(reportError));
  $("svg").addEventListener("click", () => downloadSvg($("export-size").value));
  $("clear").addEventListener("click", () => { resetGraph(); writeHash(); });
  $("link-problem-reset").addEventListener("click", () => {
    hideLinkProblem();
    resetGraph();
    setPlanFilter("");
    showView("graph");
    writeHash();
    setStatus(t("ready"));
  });
  $("results-csv").addEventListener("click", downloadResultsCsv);
  $("plan-filter").addEventListener("change", () => {
    setPlanFilter($("plan-filter").value);
    if (state.view === "timeline") showTimeline();
  });
  $("plan-overview").addEventListener("click", () => { if (state.planFilter) busy(() => showPlanOverview(state.planFilter)); });
  $("plan-timeline").addEventListener("click", () => showTimeline());
  $("query-name").addEventListener("change", () => updateQueryForm(true));
  $("query-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const entity = state.pickers.param.value;
    if (!entity) {
      $("query-param").focus();
      return;
    }
    busy(() => runNamedQuery($("query-name").value, entity.id, $("query-unconfirmed").checked, $("query-derived").checked));
  });
  $("path-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const from = state.pickers.from.value;
    const to = state.pickers.to.value;
    if (!from || !to) {
      (from ? $("path-to") : $("path-from")).focus();
      return;
    }
    busy(() => findPaths(from.id, to.id, Number($("path-max").value)));
  });
  $("diff-form").addEventListener("submit", (event) => {
    event.preventDefault();
    showDiff($("diff-a").value, $("diff-b").value);
  });
  wireTimeline();
  wireExtraction();
  window.addEventListener("hashchange", () => { if (location.hash !== stateHash()) busy(restoreFromHash); });
}

// ------------------------------------------------------------------ start

async function init() {
  const params = hashParams();
  applyLanguage(params.get("lang") ?? (navigator.language?.startsWith("zh") ? "zh" : "en"));
  $("font-notice").hidden = (await ensureCjkFont()) !== null;
  const [schema, queries] = await Promise.all([api.schema(), api.queries()]);
  state.types = new Map(schema.node_types.map((type) => [type.name, type]));
  state.relations = new Map(schema.relation_types.map((relation) => [relation.key, relation]));
  state.properties = new Map((schema.properties ?? []).map((property) => [property.key, property]));
  state.queries = (Array.isArray(queries) ? queries : queries.items) ?? schema.queries ?? [];
  state.styles = typeStyles(state.types.keys());
  if (typeof window.cytoscape !== "function") throw new Error(t("noGraphLibrary"));
  registerExtensions();
  state.cy = createGraph($("cy"), state.styles);
  wireGraphEvents(state.cy);
  watchGraphSize($("graph-wrap"));

  wireAsk($("search-input")); // before the picker: a question on Enter goes to /api/v1/ask
  state.pickers.search = entityPicker($("search-input"), {
    type: () => $("search-type").value,
    onPick: (entity) => showNeighborhood(entity.id),
  });
  state.pickers.param = entityPicker($("query-param"), {
    type: () => queryParameter(state.queries.find((q) => q.name === $("query-name").value)).type,
  });
  state.pickers.from = entityPicker($("path-from"));
  state.pickers.to = entityPicker($("path-to"));
  await loadPlans();
  await loadExamples();
  wireControls();
  applyLanguage(language());
  renderPlanOptions();
  renderDiffOptions();
  renderWelcome();
  updateCount();
  await updateQueryForm(true);
  await restoreFromHash();
  if (!$("status").textContent || $("status").textContent === t("loading")) setStatus(t("ready"));
  document.body.dataset.ready = "true";
}

/** Expand a node and resolve once the graph is laid out, fitted and drawn (for tests and the console). */
async function expand(id) {
  await expandNode(id);
}

// The test hook: the Cytoscape instance, the state and promise-returning actions (tests use these, not screenshots).
window.plankg = {
  state,
  get cy() { return state.cy; },
  expand,
  renderSubgraph,
  showNeighborhood,
  runNamedQuery,
  findPaths,
  askQuestion,
  showPlanOverview,
  showDiff,
  drawDiff,
  showTimeline,
  showCoverage,
  select: selectNode,
  hash: stateHash,
};

init().catch(reportError);
