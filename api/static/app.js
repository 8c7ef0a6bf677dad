// The plankg explorer: search, neighbourhood graph, details with quotes, named queries,
// path finder and coverage matrix — all from the JSON API under /api/v1.
//
// This entry module starts the page, wires the controls and restores the state from the URL.
// Each section lives in its own module (state.js, render.js, neighborhood.js, details.js, queries.js,
// results.js, paths.js, coverage.js, language.js, export.js, ...). They call each other's actions
// (ES modules allow such cycles): no module but this one runs code when it is imported.

import { api } from "./api.js";
import { askQuestion, wireAsk } from "./ask.js";
import { renderCoverage, showCoverage } from "./coverage.js";
import { edgeFromElement, selectNode, showEdgeDetails } from "./details.js";
import { $, busy, reportError, setStatus } from "./dom.js";
import { downloadPng, downloadResultsCsv } from "./export.js";
import { createGraph, fitGraph, runLayout, typeStyles } from "./graph.js";
import { LANGUAGES, language, t } from "./i18n.js";
import { applyLanguage } from "./language.js";
import { renderLegend } from "./legend.js";
import { showNeighborhood, toggleNode } from "./neighborhood.js";
import { findPaths, renderPathList } from "./paths.js";
import { entityPicker } from "./picker.js";
import { queryParameter, runNamedQuery, updateQueryForm } from "./queries.js";
import { renderSubgraph, showView, updateCount } from "./render.js";
import { hideResults } from "./results.js";
import { hashParams, state, writeHash } from "./state.js";
import { hideTooltip, showTooltip } from "./tooltip.js";

// ------------------------------------------------------------------ URL state

/** Show what the URL hash describes (a shared link, or the back button). */
async function restoreFromHash() {
  const params = hashParams();
  const lang = params.get("lang");
  if (lang && LANGUAGES.includes(lang) && lang !== language()) applyLanguage(lang);
  if (params.get("query") && params.get("param")) {
    const name = params.get("query");
    const unconfirmed = params.get("unconfirmed") !== "0";
    $("query-name").value = name;
    $("query-unconfirmed").checked = unconfirmed;
    await updateQueryForm(false);
    const entity = await api.entity(params.get("param")).catch(() => null);
    state.pickers.param.set(entity);
    await busy(() => runNamedQuery(name, params.get("param"), unconfirmed));
  } else if (params.get("from") && params.get("to")) {
    const [from, to] = await Promise.all([api.entity(params.get("from")), api.entity(params.get("to"))].map((p) => p.catch(() => null)));
    state.pickers.from.set(from);
    state.pickers.to.set(to);
    const max = Number(params.get("max")) || 6;
    $("path-max").value = String(max);
    await busy(() => findPaths(params.get("from"), params.get("to"), max));
  } else if (params.get("entity")) {
    await showNeighborhood(params.get("entity"));
  }
  if (params.get("view") === "coverage") await showCoverage();
  else writeHash();
}

// ------------------------------------------------------------------ wiring

function wireGraphEvents(cy) {
  cy.on("tap", "node", (event) => selectNode(event.target.id()));
  cy.on("dbltap", "node", (event) => toggleNode(event.target.id()));
  cy.on("tap", "edge", (event) => showEdgeDetails(edgeFromElement(event.target)));
  cy.on("mouseover", "node, edge", (event) => showTooltip(event.target, event.renderedPosition ?? event.target.renderedPosition()));
  cy.on("mouseout", "node, edge", hideTooltip);
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
  $("coverage-hide-empty").addEventListener("change", renderCoverage);
  $("relayout").addEventListener("click", () => runLayout(state.cy, $("layout-name").value));
  $("layout-name").addEventListener("change", () => runLayout(state.cy, $("layout-name").value));
  $("fit").addEventListener("click", () => fitGraph(state.cy));
  $("png").addEventListener("click", downloadPng);
  $("clear").addEventListener("click", () => {
    state.cy.elements().remove();
    Object.assign(state, { entity: null, query: null, path: null, paths: [] });
    hideResults();
    renderPathList();
    updateCount();
    renderLegend();
    writeHash();
  });
  $("results-csv").addEventListener("click", downloadResultsCsv);
  $("query-name").addEventListener("change", () => updateQueryForm(true));
  $("query-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const entity = state.pickers.param.value;
    if (!entity) {
      $("query-param").focus();
      return;
    }
    busy(() => runNamedQuery($("query-name").value, entity.id, $("query-unconfirmed").checked));
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
  window.addEventListener("hashchange", () => busy(restoreFromHash));
}

// ------------------------------------------------------------------ start

async function init() {
  const params = hashParams();
  applyLanguage(params.get("lang") ?? (navigator.language?.startsWith("zh") ? "zh" : "en"));
  const [schema, queries] = await Promise.all([api.schema(), api.queries()]);
  state.types = new Map(schema.node_types.map((type) => [type.name, type]));
  state.relations = new Map(schema.relation_types.map((relation) => [relation.key, relation]));
  state.properties = new Map((schema.properties ?? []).map((property) => [property.key, property]));
  state.queries = (Array.isArray(queries) ? queries : queries.items) ?? schema.queries ?? [];
  state.styles = typeStyles(state.types.keys());
  if (typeof window.cytoscape !== "function") throw new Error(t("noGraphLibrary"));
  state.cy = createGraph($("cy"), state.styles);
  wireGraphEvents(state.cy);

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
  wireControls();
  applyLanguage(language());
  updateCount();
  await updateQueryForm(true);
  await restoreFromHash();
  if (!$("status").textContent || $("status").textContent === t("loading")) setStatus(t("ready"));
  document.body.dataset.ready = "true";
}

// A handle for tests and the console: the graph, the state and the render helper.
window.plankg = { state, get cy() { return state.cy; }, renderSubgraph, showNeighborhood, runNamedQuery, findPaths, askQuestion };

init().catch(reportError);
