// The graph view: replacing the graph with a subgraph (timed, into window.plankgMetrics), the node/edge
// count, the plan filter's fading, and switching between the views (tabs).

import { loadGlyphs } from "./cjk.js";
import { $, setStatus } from "./dom.js";
import { adaptToSize, mergeSubgraph, nextRender, setLabelScript } from "./graph.js";
import { language, t } from "./i18n.js";
import { entityLabel, relationLabel } from "./labels.js";
import { fitGraph, runLayout } from "./layout.js";
import { renderLegend } from "./legend.js";
import { metrics, state } from "./state.js";
import { updateWelcome } from "./welcome.js";

export const VIEWS = ["graph", "coverage", "diff", "timeline", "extract"];

export function recordRender(startedAt, layout) {
  const cy = state.cy;
  const ms = performance.now() - startedAt;
  metrics.lastRenderMs = Math.round(ms * 10) / 10;
  metrics.lastNodeCount = cy.nodes().length;
  metrics.lastEdgeCount = cy.edges().length;
  metrics.lastLayout = layout;
  metrics.renders.push({ ms: metrics.lastRenderMs, nodes: metrics.lastNodeCount, edges: metrics.lastEdgeCount, layout });
  updateCount();
  renderLegend();
  updateWelcome();
  setStatus(t("rendered", { nodes: metrics.lastNodeCount, ms: Math.round(ms) }) + (layout ? ` (${layout})` : ""));
}

export function updateCount() {
  const cy = state.cy;
  $("graph-count").textContent = t("nodesEdges", { nodes: cy.nodes().length, edges: cy.edges().length });
}

export const mergeOptions = () => ({ labelOf: entityLabel, relationLabel });

/** Lay out with the chosen layout (or the automatic one for this drawing's shape) and fit. */
export function layoutGraph() {
  return runLayout(state.cy, $("layout-name").value, state.hint);
}

/** Fade what the plan filter's documents do not state (nodes and edges keep their place). */
export function applyPlanFilter() {
  const cy = state.cy;
  if (!cy) return;
  const plan = state.plans.find((p) => p.id === state.planFilter);
  const documents = new Set(plan?.documents ?? []);
  cy.batch(() => {
    cy.elements().removeClass("filtered-out");
    if (!plan) return;
    cy.elements().forEach((element) => {
      if (element.isNode() && (element.id() === plan.id || element.data("type") === "__deadline__")) return;
      if (element.isEdge() && element.data("relation") === "__due_by__") return;
      const sources = element.data("sources") ?? [];
      const stated = sources.some((source) => documents.has(source.document)) || documents.has(element.id());
      if (!stated) element.addClass("filtered-out");
    });
  });
}

/**
 * Replace the graph with a subgraph. Timing runs from data arrival (this call) to the first frame
 * drawn after cy.add + layout — the moment the graph is visible and interactive.
 */
export async function renderSubgraph(subgraph, { root = null, decorate = null, hint = "force" } = {}) {
  const cy = state.cy;
  const startedAt = performance.now();
  await loadGlyphs(subgraph.nodes.map((node) => entityLabel(node)).join(""));
  state.hint = hint;
  cy.batch(() => cy.elements().remove());
  cy.removeScratch("plankgLaidOut");
  mergeSubgraph(cy, subgraph, { ...mergeOptions(), via: root });
  cy.batch(() => {
    if (root) cy.getElementById(root).addClass("root expanded");
    decorate?.(cy);
  });
  setLabelScript(cy, language() === "zh");
  adaptToSize(cy);
  applyPlanFilter();
  const added = performance.now();
  const layout = layoutGraph();
  const laidOut = performance.now();
  await nextRender(cy);
  metrics.lastPhases = { addMs: Math.round(added - startedAt), layoutMs: Math.round(laidOut - added),
    firstFrameMs: Math.round(performance.now() - laidOut) };
  recordRender(startedAt, layout);
}

export function showView(view) {
  state.view = VIEWS.includes(view) ? view : "graph";
  for (const name of VIEWS) {
    $(`${name}-view`).hidden = name !== state.view;
    $(`tab-${name}`).classList.toggle("active", name === state.view);
    $(`tab-${name}`).setAttribute("aria-selected", String(name === state.view));
  }
  if (state.view === "graph" && state.cy) {
    state.cy.resize();
    fitGraph(state.cy);
  }
}

/** Keep the canvas the size of its box (results table opening, window resizing) and the drawing fitted. */
export function watchGraphSize(container) {
  let last = "";
  new ResizeObserver(() => {
    const size = `${container.clientWidth}x${container.clientHeight}`;
    if (size === last || !state.cy || container.clientWidth === 0) return;
    last = size;
    state.cy.resize();
    fitGraph(state.cy);
  }).observe(container);
}
