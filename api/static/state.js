// The explorer's shared state, its render metrics, and the URL hash that mirrors the state (shareable links).

import { language } from "./i18n.js";

export const state = {
  types: new Map(), // node type name -> schema entry
  relations: new Map(),
  properties: new Map(),
  queries: [],
  styles: new Map(),
  cy: null,
  view: "graph",
  entity: null, // root of the neighbourhood view
  query: null, // {name, param, unconfirmed}
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

/** The hash's parameters: lang, view, and one of query+param(+unconfirmed), from+to+max, or entity. */
export function hashParams() {
  return new URLSearchParams(location.hash.slice(1));
}

/** Mirror the state into the URL hash (replaceState: no history entry per click). */
export function writeHash() {
  const params = new URLSearchParams({ lang: language() });
  if (state.view === "coverage") params.set("view", "coverage");
  if (state.query) {
    params.set("query", state.query.name);
    params.set("param", state.query.param);
    if (!state.query.unconfirmed) params.set("unconfirmed", "0");
  } else if (state.path) {
    params.set("from", state.path.from);
    params.set("to", state.path.to);
    params.set("max", state.path.max);
  } else if (state.entity) {
    params.set("entity", state.entity);
  }
  const hash = `#${params}`;
  if (location.hash !== hash) history.replaceState(null, "", hash);
}
