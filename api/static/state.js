// The explorer's shared state, its render metrics, and the URL hash that mirrors the state (shareable links).

import { language } from "./i18n.js";

export const state = {
  types: new Map(), // node type name -> schema entry
  relations: new Map(),
  properties: new Map(),
  queries: [],
  styles: new Map(),
  cy: null,
  view: "graph", // graph | coverage | diff | timeline | extract
  mode: null, // what the graph shows: entity | query | path | cell | plan | ask | diff | null (empty)
  entity: null, // root of the neighbourhood view
  expanded: [], // nodes expanded in the neighbourhood view, in order
  selected: null, // the selected node's id
  cell: null, // {standard, industry}: a coverage cell drawn in the graph
  plan: null, // the plan drawn as an overview (goals → indicators → deadlines)
  ask: null, // the question answered in the graph
  planFilter: "", // only what this plan's documents state is drawn at full strength
  diff: null, // {a, b}
  until: null, // the timeline slider's date
  plans: [], // the Plan entities, with their documents
  hint: "force", // the drawing's shape for the automatic layout: force | tree | path
  query: null, // {name, param, unconfirmed, derived}
  path: null, // {from, to, max}
  results: null, // {query, items}
  paths: [],
  activePath: 0,
  detail: null, // what the details panel shows: {kind: "node", entity} | {kind: "edge", edge}
  coverage: null,
  pickers: {},
};

export const metrics = { lastPhases: null, lastRenderMs: null, lastNodeCount: 0, lastEdgeCount: 0, lastLayout: null, renders: [] };
window.plankgMetrics = metrics;

/** The hash's parameters: lang, view, filter, sel and the graph's mode (see writeHash). */
export function hashParams() {
  return new URLSearchParams(location.hash.slice(1));
}

/** The URL hash that describes the state: a shared link restores exactly this. */
export function stateHash() {
  const params = new URLSearchParams({ lang: language() });
  if (state.view !== "graph") params.set("view", state.view);
  if (state.planFilter) params.set("filter", state.planFilter);
  if (state.view === "diff" && state.diff) {
    params.set("a", state.diff.a);
    params.set("b", state.diff.b);
  }
  if (state.view === "timeline" && state.until) params.set("until", state.until);
  if (state.mode === "query" && state.query) {
    params.set("query", state.query.name);
    params.set("param", state.query.param);
    if (!state.query.unconfirmed) params.set("unconfirmed", "0");
    if (state.query.derived) params.set("derived", "1");
  } else if (state.mode === "path" && state.path) {
    params.set("from", state.path.from);
    params.set("to", state.path.to);
    params.set("max", state.path.max);
  } else if (state.mode === "cell" && state.cell) {
    params.set("cell", `${state.cell.standard} ${state.cell.industry}`);
  } else if (state.mode === "diff" && state.diff) {
    params.set("compare", `${state.diff.a} ${state.diff.b}`);
  } else if (state.mode === "plan" && state.plan) {
    params.set("plan", state.plan);
  } else if (state.mode === "ask" && state.ask) {
    params.set("ask", state.ask);
  } else if (state.mode === "entity" && state.entity) {
    params.set("entity", state.entity);
    if (state.expanded.length) params.set("expanded", state.expanded.join(" "));
  }
  if (state.selected && state.mode) params.set("sel", state.selected);
  return `#${params}`;
}

/** Mirror the state into the URL hash (replaceState: no history entry per click). */
export function writeHash() {
  const hash = stateHash();
  if (location.hash !== hash) history.replaceState(null, "", hash);
}
