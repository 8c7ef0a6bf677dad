// The neighbourhood view: an entity and its neighbours, expanding and collapsing nodes in place.

import { api } from "./api.js";
import { $, busy, setStatus } from "./dom.js";
import { loadGlyphs } from "./cjk.js";
import { adaptToSize, collapseNode, mergeSubgraph, nextRender, setLabelScript } from "./graph.js";
import { clearDetails, refreshDetails, selectNode } from "./details.js";
import { language, t } from "./i18n.js";
import { entityLabel } from "./labels.js";
import { fitGraph } from "./layout.js";
import { renderLegend } from "./legend.js";
import { applyPlanFilter, layoutGraph, mergeOptions, recordRender, renderSubgraph, showView, updateCount } from "./render.js";
import { hideResults } from "./results.js";
import { state, writeHash } from "./state.js";

const NEIGHBOR_LIMIT = 2000; // the API's largest neighbourhood (settings.MAX_NEIGHBOURS)

/** Draw an entity's neighbourhood; `expanded` nodes are expanded again in order (a restored link). */
export async function showNeighborhood(id, { expanded = [], selected = id } = {}) {
  await busy(async () => {
    const data = await api.neighbors(id, { limit: NEIGHBOR_LIMIT });
    Object.assign(state, { mode: "entity", entity: id, expanded: [], query: null, path: null, cell: null, plan: null, ask: null });
    hideResults();
    $("path-list").replaceChildren();
    showView("graph");
    await renderSubgraph(data, { root: id, hint: "force" });
    noteTruncation(data);
    for (const other of expanded) {
      if (other !== id && state.cy.getElementById(other).nonempty()) await expandOnce(other);
    }
    if (selected && state.cy.getElementById(selected).nonempty()) selectNode(selected);
    else clearDetails();
    writeHash();
  });
}

function noteTruncation(data) {
  if (data.nodes.length >= NEIGHBOR_LIMIT) setStatus(`${$("status").textContent} — ${NEIGHBOR_LIMIT}+`);
}

async function expandOnce(id) {
  const cy = state.cy;
  const node = cy.getElementById(id);
  if (node.empty() || node.hasClass("expanded")) return;
  const data = await api.neighbors(id, { limit: NEIGHBOR_LIMIT });
  await loadGlyphs(data.nodes.map((entity) => entityLabel(entity)).join(""));
  const startedAt = performance.now();
  const added = mergeSubgraph(cy, data, { ...mergeOptions(), via: id, near: node.position() });
  node.addClass("expanded");
  if (state.mode === "entity" && !state.expanded.includes(id)) state.expanded.push(id);
  setLabelScript(cy, language() === "zh");
  adaptToSize(cy);
  applyPlanFilter();
  const layout = added.nonempty() ? layoutGraph() : null;
  if (!layout) fitGraph(cy);
  await nextRender(cy);
  recordRender(startedAt, layout);
  noteTruncation(data);
}

/** Expand a node in place (its neighbours join the graph), re-lay out and fit. Resolves when drawn. */
export async function expandNode(id) {
  await busy(async () => {
    await expandOnce(id);
    refreshDetails();
    writeHash();
  });
}

export function collapse(id) {
  const removed = collapseNode(state.cy, id);
  const gone = new Set(state.cy.nodes().map((n) => n.id()));
  state.expanded = state.expanded.filter((other) => other !== id && gone.has(other));
  adaptToSize(state.cy);
  fitGraph(state.cy);
  updateCount();
  renderLegend();
  setStatus(t("collapsed", { n: removed }));
  refreshDetails();
  writeHash();
}

export function toggleNode(id) {
  const node = state.cy.getElementById(id);
  if (node.hasClass("expanded")) collapse(id);
  else expandNode(id);
}
