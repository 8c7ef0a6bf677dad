// The graph view: replacing the graph with a subgraph (timed, into window.plankgMetrics), the node/edge
// count, and switching between the graph and coverage tabs.

import { $, setStatus } from "./dom.js";
import { adaptToSize, mergeSubgraph, nextRender, runLayout } from "./graph.js";
import { t } from "./i18n.js";
import { entityLabel, relationLabel } from "./labels.js";
import { renderLegend } from "./legend.js";
import { metrics, state } from "./state.js";

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
  setStatus(t("rendered", { nodes: metrics.lastNodeCount, ms: Math.round(ms) }) + (layout ? ` (${layout})` : ""));
}

export function updateCount() {
  const cy = state.cy;
  $("graph-count").textContent = t("nodesEdges", { nodes: cy.nodes().length, edges: cy.edges().length });
}

export const mergeOptions = () => ({ labelOf: entityLabel, relationLabel });

/**
 * Replace the graph with a subgraph. Timing runs from data arrival (this call) to the first frame
 * drawn after cy.add + layout — the moment the graph is visible and interactive.
 */
export async function renderSubgraph(subgraph, { root = null, decorate = null } = {}) {
  const cy = state.cy;
  const startedAt = performance.now();
  cy.batch(() => cy.elements().remove());
  mergeSubgraph(cy, subgraph, { ...mergeOptions(), via: root });
  cy.batch(() => {
    if (root) cy.getElementById(root).addClass("root expanded");
    decorate?.(cy);
  });
  adaptToSize(cy);
  const added = performance.now();
  const layout = runLayout(cy, $("layout-name").value);
  const laidOut = performance.now();
  await nextRender(cy);
  metrics.lastPhases = { addMs: Math.round(added - startedAt), layoutMs: Math.round(laidOut - added),
    firstFrameMs: Math.round(performance.now() - laidOut) };
  recordRender(startedAt, layout);
}

export function showView(view) {
  state.view = view;
  $("graph-view").hidden = view !== "graph";
  $("coverage-view").hidden = view !== "coverage";
  $("tab-graph").classList.toggle("active", view === "graph");
  $("tab-coverage").classList.toggle("active", view === "coverage");
  if (view === "graph") state.cy?.resize();
}
