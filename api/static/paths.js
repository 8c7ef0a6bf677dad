// The path finder: paths between two entities, drawn together, one highlighted at a time, listed in the sidebar.

import { api, mapLimited } from "./api.js";
import { clearDetails } from "./details.js";
import { $, el } from "./dom.js";
import { edgeId } from "./graph.js";
import { t } from "./i18n.js";
import { nodeLabel } from "./labels.js";
import { renderSubgraph, showView } from "./render.js";
import { hideResults } from "./results.js";
import { state, writeHash } from "./state.js";

/** The path's node ids in order from `from` (edges may point either way along the path). */
function pathOrder(path, from) {
  if (path.nodes.length && path.nodes[0].id === from) return path.nodes.map((n) => n.id);
  const order = [from];
  const edges = [...path.edges];
  while (edges.length) {
    const last = order[order.length - 1];
    const index = edges.findIndex((e) => e.source === last || e.target === last);
    if (index < 0) break;
    const [edge] = edges.splice(index, 1);
    order.push(edge.source === last ? edge.target : edge.source);
  }
  return order;
}

export async function findPaths(from, to, max = 6) {
  const answer = await api.paths({ from, to, max_length: max });
  const paths = Array.isArray(answer) ? answer : answer.paths ?? [];
  Object.assign(state, { mode: "path", path: { from, to, max }, entity: null, expanded: [], query: null, cell: null, plan: null,
    ask: null, paths, activePath: 0 });
  hideResults();
  clearDetails();
  showView("graph");
  const nodes = new Map();
  const edges = new Map();
  for (const path of paths) {
    for (const node of path.nodes) nodes.set(node.id, node);
    for (const edge of path.edges) edges.set(edgeId(edge), edge);
  }
  if (!paths.length) {
    const ends = await mapLimited([from, to], 2, (id) => api.entity(id));
    for (const entity of ends) nodes.set(entity.id, entity);
  }
  await renderSubgraph({ nodes: [...nodes.values()], edges: [...edges.values()] }, {
    hint: "path",
    decorate: (cy) => cy.nodes().filter((n) => n.id() === from || n.id() === to).addClass("param"),
  });
  highlightPath(0);
  writeHash();
}

function highlightPath(index) {
  const cy = state.cy;
  state.activePath = index;
  cy.elements().removeClass("path");
  const path = state.paths[index];
  if (path) {
    cy.batch(() => {
      for (const node of path.nodes) cy.getElementById(node.id).addClass("path");
      for (const edge of path.edges) cy.getElementById(edgeId(edge)).addClass("path");
    });
  }
  renderPathList();
}

export function renderPathList() {
  const list = $("path-list");
  if (!state.path) {
    list.replaceChildren();
    return;
  }
  if (!state.paths.length) {
    list.replaceChildren(el("li", { class: "hint" }, t("noPath", { n: state.path.max })));
    return;
  }
  list.replaceChildren(...state.paths.map((path, index) => el("li", {
    class: index === state.activePath ? "active" : "",
    onclick: () => highlightPath(index),
  }, `${t("pathN", { i: index + 1, n: path.edges.length })}: `,
  el("span", { translate: "no" }, pathOrder(path, state.path.from).map(nodeLabel).join(" → ")))));
}
