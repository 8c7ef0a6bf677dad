// The neighbourhood view: an entity and its neighbours, expanding and collapsing nodes in place.

import { api } from "./api.js";
import { $, busy, setStatus } from "./dom.js";
import { adaptToSize, collapseNode, mergeSubgraph, nextRender, runLayout } from "./graph.js";
import { refreshDetails, selectNode } from "./details.js";
import { renderLegend } from "./legend.js";
import { mergeOptions, recordRender, renderSubgraph, showView, updateCount } from "./render.js";
import { hideResults } from "./results.js";
import { state, writeHash } from "./state.js";

const NEIGHBOR_LIMIT = 2000; // the API's largest neighbourhood (settings.MAX_NEIGHBOURS)

export async function showNeighborhood(id) {
  await busy(async () => {
    const data = await api.neighbors(id, { limit: NEIGHBOR_LIMIT });
    Object.assign(state, { entity: id, query: null, path: null });
    hideResults();
    $("path-list").replaceChildren();
    showView("graph");
    await renderSubgraph(data, { root: id });
    noteTruncation(data);
    selectNode(id);
    writeHash();
  });
}

function noteTruncation(data) {
  if (data.nodes.length >= NEIGHBOR_LIMIT) setStatus(`${$("status").textContent} — ${NEIGHBOR_LIMIT}+`);
}

export async function expandNode(id) {
  await busy(async () => {
    const cy = state.cy;
    const node = cy.getElementById(id);
    const data = await api.neighbors(id, { limit: NEIGHBOR_LIMIT });
    const startedAt = performance.now();
    const added = mergeSubgraph(cy, data, { ...mergeOptions(), via: id, near: node.position() });
    node.addClass("expanded");
    adaptToSize(cy);
    const layout = added.nonempty() ? runLayout(cy, $("layout-name").value) : null;
    await nextRender(cy);
    recordRender(startedAt, layout);
    noteTruncation(data);
    refreshDetails();
  });
}

export function collapse(id) {
  const removed = collapseNode(state.cy, id);
  adaptToSize(state.cy);
  updateCount();
  renderLegend();
  setStatus(`−${removed}`);
  refreshDetails();
}

export function toggleNode(id) {
  const node = state.cy.getElementById(id);
  if (node.hasClass("expanded")) collapse(id);
  else expandNode(id);
}
