// Named queries: the form (query, parameter picker), and running one as a highlighted answer subgraph.

import { api, mapLimited } from "./api.js";
import { clearDetails } from "./details.js";
import { $, el } from "./dom.js";
import { edgeId } from "./graph.js";
import { pick, t } from "./i18n.js";
import { typeLabel } from "./labels.js";
import { renderSubgraph, showView } from "./render.js";
import { renderResults } from "./results.js";
import { state, writeHash } from "./state.js";

/** A query's description in the current language (the declarations carry en and zh). */
export const queryDescription = (query) => pick(query.descriptions, query.description ?? "");

export function queryParameter(query) {
  return query.parameters.find((p) => state.types.has(p.type)) ?? query.parameters[0];
}

export function renderQueryOptions() {
  const select = $("query-name");
  const chosen = select.value;
  select.replaceChildren(...state.queries.map((q) => el("option", { value: q.name }, pick(q.title, q.name))));
  $("query-description").textContent = queryDescription(state.queries.find((q) => q.name === select.value) ?? state.queries[0] ?? {});
  if (chosen) select.value = chosen;
  updateQueryForm(false);
}

/** Show the chosen query's description and restrict the parameter picker to its type. */
export async function updateQueryForm(prefill = true) {
  const query = state.queries.find((q) => q.name === $("query-name").value);
  if (!query) return;
  const param = queryParameter(query);
  $("query-description").textContent = queryDescription(query);
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

/** The answer's subgraph: the parameter, the answers and every node on their evidence edges and chains. */
export async function answerSubgraph(paramId, items, derived = []) {
  const nodes = new Map([...items, ...derived].map((item) => [item.entity.id, item.entity]));
  const edges = new Map();
  for (const item of items) for (const edge of item.evidence) edges.set(edgeId(edge), edge);
  for (const item of derived) for (const edge of item.chains?.flat() ?? item.chain) edges.set(edgeId(edge), edge);
  const needed = new Set(paramId ? [paramId] : []);
  for (const edge of edges.values()) needed.add(edge.source).add(edge.target);
  const missing = [...needed].filter((id) => !nodes.has(id));
  const fetched = await mapLimited(missing, 6, (id) => api.entity(id).catch(() => null));
  for (const entity of fetched) if (entity) nodes.set(entity.id, entity);
  return { nodes: [...nodes.values()], edges: [...edges.values()] };
}

/**
 * Run a named query and draw its answer: the parameter (blue ring), direct answers (yellow ring) with
 * their evidence edges, and — with `derived` — the answers derived through the graph (violet double
 * ring, dotted chains), listed apart in the table.
 */
export async function runNamedQuery(name, paramId, unconfirmed = true, derived = false) {
  const query = state.queries.find((q) => q.name === name);
  if (!query) throw new Error(t("unknownQuery", { name }));
  const param = queryParameter(query);
  const answer = derived
    ? await api.derived(name, { id: paramId, include_unconfirmed: unconfirmed })
    : await api.runQuery(name, { [param.name]: paramId, include_unconfirmed: unconfirmed });
  const derivedItems = answer.derived ?? [];
  Object.assign(state, { mode: "query", query: { name, param: paramId, unconfirmed, derived }, entity: null, expanded: [],
    path: null, cell: null, plan: null, ask: null });
  state.results = { query, items: answer.items, derived: derivedItems, param: paramId };
  showView("graph");
  $("path-list").replaceChildren();
  const subgraph = await answerSubgraph(paramId, answer.items, derivedItems);
  const resultIds = new Set(answer.items.map((item) => item.entity.id));
  const derivedIds = new Set(derivedItems.map((item) => item.entity.id));
  const evidenceIds = new Set(answer.items.flatMap((item) => item.evidence.map(edgeId)));
  const chainIds = new Set(derivedItems.flatMap((item) => (item.chains?.flat() ?? item.chain).map(edgeId)));
  clearDetails();
  await renderSubgraph(subgraph, {
    hint: "tree",
    decorate: (cy) => {
      cy.nodes().forEach((node) => {
        if (resultIds.has(node.id())) node.addClass("result");
        else if (derivedIds.has(node.id())) node.addClass("derived");
      });
      cy.edges().forEach((edge) => {
        if (evidenceIds.has(edge.id())) edge.addClass("evidence");
        else if (chainIds.has(edge.id())) edge.addClass("derived");
      });
      cy.getElementById(paramId).addClass("param");
    },
  });
  renderResults();
  writeHash();
}
