// Named queries: the form (query, parameter picker), and running one as a highlighted answer subgraph.

import { api, mapLimited } from "./api.js";
import { $, el } from "./dom.js";
import { edgeId } from "./graph.js";
import { pick, t } from "./i18n.js";
import { typeLabel } from "./labels.js";
import { renderSubgraph, showView } from "./render.js";
import { renderResults } from "./results.js";
import { state, writeHash } from "./state.js";

export function queryParameter(query) {
  return query.parameters.find((p) => state.types.has(p.type)) ?? query.parameters[0];
}

export function renderQueryOptions() {
  const select = $("query-name");
  const chosen = select.value;
  select.replaceChildren(...state.queries.map((q) => el("option", { value: q.name }, pick(q.title, q.name))));
  if (chosen) select.value = chosen;
  updateQueryForm(false);
}

/** Show the chosen query's description and restrict the parameter picker to its type. */
export async function updateQueryForm(prefill = true) {
  const query = state.queries.find((q) => q.name === $("query-name").value);
  if (!query) return;
  const param = queryParameter(query);
  $("query-description").textContent = query.description ?? "";
  state.pickers.param.setPlaceholder(t("pickEntity", { type: typeLabel(param.type) }));
  const current = state.pickers.param.value;
  if (prefill && (!current || current.type !== param.type)) {
    state.pickers.param.set(null);
    if (param.example) {
      // a search, not GET /entities/{id}: the example may not exist in this graph, and a 404 is noise
      const page = await api.search({ q: param.example, type: param.type, limit: 5 }).catch(() => ({ items: [] }));
      const example = page.items.find((item) => item.id === param.example);
      if (example) state.pickers.param.set(example);
    }
  }
}

/** The answer's subgraph: the parameter, the answers and every node on their evidence edges. */
async function answerSubgraph(paramId, items) {
  const nodes = new Map(items.map((item) => [item.entity.id, item.entity]));
  const edges = new Map();
  for (const item of items) for (const edge of item.evidence) edges.set(edgeId(edge), edge);
  const needed = new Set([paramId]);
  for (const edge of edges.values()) needed.add(edge.source).add(edge.target);
  const missing = [...needed].filter((id) => !nodes.has(id));
  const fetched = await mapLimited(missing, 6, (id) => api.entity(id).catch(() => null));
  for (const entity of fetched) if (entity) nodes.set(entity.id, entity);
  return { nodes: [...nodes.values()], edges: [...edges.values()] };
}

export async function runNamedQuery(name, paramId, unconfirmed = true) {
  const query = state.queries.find((q) => q.name === name);
  if (!query) throw new Error(`unknown query ${name}`);
  const param = queryParameter(query);
  const answer = await api.runQuery(name, { [param.name]: paramId, include_unconfirmed: unconfirmed });
  Object.assign(state, { query: { name, param: paramId, unconfirmed }, entity: null, path: null });
  state.results = { query, items: answer.items, param: paramId };
  showView("graph");
  $("path-list").replaceChildren();
  const subgraph = await answerSubgraph(paramId, answer.items);
  const resultIds = new Set(answer.items.map((item) => item.entity.id));
  const evidenceIds = new Set(answer.items.flatMap((item) => item.evidence.map(edgeId)));
  await renderSubgraph(subgraph, {
    decorate: (cy) => {
      cy.nodes().forEach((node) => { if (resultIds.has(node.id())) node.addClass("result"); });
      cy.edges().forEach((edge) => { if (evidenceIds.has(edge.id())) edge.addClass("evidence"); });
      cy.getElementById(paramId).addClass("param");
    },
  });
  renderResults();
  writeHash();
}
