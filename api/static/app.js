// The plankg explorer: search, neighbourhood graph, details with quotes, named queries,
// path finder and coverage matrix — all from the JSON API under /api/v1.

import { allEntities, api, mapLimited } from "./api.js";
import { downloadBlob, downloadCsv } from "./csv.js";
import {
  SHAPES, adaptToSize, collapseNode, createGraph, edgeId, fitGraph, mergeSubgraph, nextRender, runLayout, typeStyles,
} from "./graph.js";
import { LANGUAGES, language, pick, setLanguage, t, translatePage } from "./i18n.js";

const NEIGHBOR_LIMIT = 2000; // the API's largest neighbourhood (settings.MAX_NEIGHBOURS)
const COVERAGE_QUERY = "standards_for_industry";
const COMPARATORS = { eq: "=", ge: "≥", gt: ">", le: "≤", lt: "<" };
const INDICATOR_KEYS = ["comparator", "target_value", "target_max", "unit", "deadline", "baseline_value", "baseline_date"];

const $ = (id) => document.getElementById(id);

const state = {
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

const metrics = { lastPhases: null, lastRenderMs: null, lastNodeCount: 0, lastEdgeCount: 0, lastLayout: null, renders: [] };
window.plankgMetrics = metrics;

// ------------------------------------------------------------------ small helpers

/** Build a DOM element; children are nodes or strings (as text, never as HTML). */
function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "class") node.className = value;
    else if (key === "dataset") Object.assign(node.dataset, value);
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? "" : value);
  }
  node.append(...children.flat().filter((c) => c !== undefined && c !== null && c !== false));
  return node;
}

function setStatus(text, isError = false) {
  const status = $("status");
  status.textContent = text;
  status.classList.toggle("error", isError);
}

function reportError(error) {
  console.warn(error);
  setStatus(t("error", { message: error.message ?? String(error) }), true);
}

/** Run an async UI action, showing "Loading…" and any error in the status line. */
async function busy(action) {
  setStatus(t("loading"));
  try {
    const result = await action();
    if ($("status").textContent === t("loading")) setStatus(t("ready"));
    return result;
  } catch (error) {
    reportError(error);
    return undefined;
  }
}

const entityLabel = (entity) => pick(entity?.labels, entity?.id ?? "");
const typeLabel = (name) => pick(state.types.get(name)?.labels, name);
const relationLabel = (key) => pick(state.relations.get(key)?.labels, key);
const propertyLabel = (key) => pick(state.properties.get(key)?.labels, key);
const otherLanguage = () => (language() === "en" ? "zh" : "en");

function nodeLabel(id) {
  const node = state.cy?.getElementById(id);
  return node && node.nonempty() ? node.data("label") : id;
}

// ------------------------------------------------------------------ type swatches and legend

function polygon(sides, radius = 6, rotation = -Math.PI / 2, inner = null) {
  const points = [];
  const count = inner ? sides * 2 : sides;
  for (let i = 0; i < count; i++) {
    const r = inner && i % 2 ? inner : radius;
    const angle = rotation + (i * 2 * Math.PI) / count;
    points.push(`${(6 + r * Math.cos(angle)).toFixed(2)},${(6 + r * Math.sin(angle)).toFixed(2)}`);
  }
  return points.join(" ");
}

const SHAPE_SVG = {
  ellipse: () => ["circle", { cx: 6, cy: 6, r: 5.5 }],
  "round-rectangle": () => ["rect", { x: 0.5, y: 1.5, width: 11, height: 9, rx: 2.5 }],
  diamond: () => ["polygon", { points: "6,0 12,6 6,12 0,6" }],
  triangle: () => ["polygon", { points: "6,0.5 11.5,11.5 0.5,11.5" }],
  hexagon: () => ["polygon", { points: polygon(6, 6, 0) }],
  star: () => ["polygon", { points: polygon(5, 6.2, -Math.PI / 2, 2.6) }],
  pentagon: () => ["polygon", { points: polygon(5, 6) }],
};

/** A 12×12 SVG of the type's node shape and colour, as drawn in the graph. */
function swatch(typeName) {
  const style = state.styles.get(typeName) ?? { color: "#999", shape: SHAPES[0] };
  const [tag, attrs] = (SHAPE_SVG[style.shape] ?? SHAPE_SVG.ellipse)();
  const svgNs = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(svgNs, "svg");
  svg.setAttribute("viewBox", "0 0 12 12");
  svg.setAttribute("class", "swatch");
  svg.setAttribute("aria-hidden", "true");
  const shape = document.createElementNS(svgNs, tag);
  for (const [key, value] of Object.entries(attrs)) shape.setAttribute(key, value);
  shape.setAttribute("fill", style.color);
  svg.append(shape);
  return svg;
}

function typeChip(typeName) {
  return el("span", { class: "type-chip", dataset: { type: typeName } }, swatch(typeName), typeLabel(typeName));
}

function statusBadge(status) {
  return el("span", { class: `badge ${status}`, dataset: { status } }, t(status));
}

function renderLegend() {
  const present = new Set(state.cy ? state.cy.nodes().map((n) => n.data("type")) : []);
  const items = [...state.types.keys()].sort().map((name) =>
    el("span", { class: "item", dataset: { type: name }, title: name, style: null },
      swatch(name), typeLabel(name)));
  for (const item of items) item.classList.toggle("absent", present.size > 0 && !present.has(item.dataset.type));
  $("legend").replaceChildren(el("h4", {}, t("legend")), ...items);
}

// ------------------------------------------------------------------ type-ahead entity picker

/**
 * A search box that suggests entities as you type (debounced; stale requests aborted).
 * `type()` restricts the suggestions to one node type ("" for all).
 */
function entityPicker(input, { type = () => "", onPick = () => {} } = {}) {
  const list = el("ul", { class: "suggestions", role: "listbox" });
  list.hidden = true;
  input.after(list);
  let items = [];
  let active = -1;
  let timer = null;
  let controller = null;
  let picked = null;

  const close = () => {
    list.hidden = true;
    active = -1;
  };

  const choose = (entity) => {
    picked = entity;
    input.value = entityLabel(entity);
    input.dataset.id = entity.id;
    close();
    onPick(entity);
  };

  const render = () => {
    if (!items.length) {
      list.replaceChildren(el("li", { class: "empty" }, t("noMatches")));
    } else {
      list.replaceChildren(...items.map((entity, index) => el("li", {
        role: "option",
        class: index === active ? "active" : "",
        dataset: { id: entity.id, type: entity.type },
        // mousedown, not click: it fires before the input's blur closes the list
        onmousedown: (event) => { event.preventDefault(); choose(entity); },
      },
      el("span", { class: "primary" }, entityLabel(entity)),
      el("span", { class: "secondary" }, typeChip(entity.type), entity.labels?.[otherLanguage()] ?? "",
        entity.status === "unconfirmed" ? statusBadge("unconfirmed") : null))));
    }
    list.hidden = false;
  };

  const search = async () => {
    const text = input.value.trim();
    controller?.abort();
    if (!text) {
      close();
      return;
    }
    controller = new AbortController();
    try {
      const page = await api.search({ q: text, type: type(), lang: language(), limit: 12 }, { signal: controller.signal });
      items = page.items;
      active = items.length ? 0 : -1;
      render();
    } catch (error) {
      if (error.name !== "AbortError") reportError(error);
    }
  };

  input.addEventListener("input", () => {
    picked = null;
    delete input.dataset.id;
    clearTimeout(timer);
    timer = setTimeout(search, 200);
  });
  input.addEventListener("keydown", (event) => {
    if (list.hidden && event.key !== "Enter") return;
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      const step = event.key === "ArrowDown" ? 1 : -1;
      active = (active + step + items.length) % Math.max(items.length, 1);
      render();
    } else if (event.key === "Enter") {
      if (!list.hidden && items[active]) {
        event.preventDefault();
        choose(items[active]);
      }
    } else if (event.key === "Escape") {
      close();
    }
  });
  input.addEventListener("blur", () => setTimeout(close, 150));

  return {
    get value() {
      return picked;
    },
    set(entity) {
      picked = entity;
      input.value = entity ? entityLabel(entity) : "";
      if (entity) input.dataset.id = entity.id;
      else delete input.dataset.id;
    },
    relabel() {
      if (picked) input.value = entityLabel(picked);
    },
    setPlaceholder(text) {
      input.placeholder = text;
    },
  };
}

// ------------------------------------------------------------------ rendering subgraphs, with timing

function recordRender(startedAt, layout) {
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

function updateCount() {
  const cy = state.cy;
  $("graph-count").textContent = t("nodesEdges", { nodes: cy.nodes().length, edges: cy.edges().length });
}

const mergeOptions = () => ({ labelOf: entityLabel, relationLabel });

/**
 * Replace the graph with a subgraph. Timing runs from data arrival (this call) to the first frame
 * drawn after cy.add + layout — the moment the graph is visible and interactive.
 */
async function renderSubgraph(subgraph, { root = null, decorate = null } = {}) {
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

function clearHighlights() {
  state.cy.elements().removeClass("result param evidence path faded");
}

// ------------------------------------------------------------------ neighbourhood view, expand, collapse

async function showNeighbourhood(id) {
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

async function expandNode(id) {
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

function collapse(id) {
  const removed = collapseNode(state.cy, id);
  adaptToSize(state.cy);
  updateCount();
  renderLegend();
  setStatus(`−${removed}`);
  refreshDetails();
}

function toggleNode(id) {
  const node = state.cy.getElementById(id);
  if (node.hasClass("expanded")) collapse(id);
  else expandNode(id);
}

// ------------------------------------------------------------------ details panel

function selectNode(id) {
  const cy = state.cy;
  cy.elements().unselect();
  const node = cy.getElementById(id);
  if (node.nonempty()) node.select();
  showEntityDetails(id);
}

async function showEntityDetails(id) {
  await busy(async () => {
    const entity = await api.entity(id);
    state.detail = { kind: "node", entity };
    renderDetails();
  });
}

function refreshDetails() {
  if (state.detail) renderDetails();
}

function renderDetails() {
  const body = state.detail.kind === "node" ? entityDetails(state.detail.entity) : edgeDetails(state.detail.edge);
  $("details-body").replaceChildren(...body);
}

function sourcesBlock(sources) {
  if (!sources?.length) return [el("p", { class: "hint" }, t("noSources"))];
  return sources.map((source) => el("blockquote", { class: "source" },
    el("p", {}, el("q", {}, source.quote)),
    el("p", { class: "cite" },
      el("a", { href: "#", onclick: (e) => { e.preventDefault(); showNeighbourhood(source.document); } },
        source.document),
      ` · ${source.locator}`)));
}

function indicatorBlock(properties) {
  if (!INDICATOR_KEYS.some((key) => key in properties)) return [];
  const unit = properties.unit ? ` ${properties.unit}` : "";
  const rows = [];
  if ("target_value" in properties || "target_max" in properties) {
    const value = properties.comparator === "range"
      ? `${properties.target_value ?? ""}–${properties.target_max ?? ""}`
      : `${COMPARATORS[properties.comparator] ?? properties.comparator ?? ""} ${properties.target_value ?? ""}`;
    rows.push(el("dt", {}, t("target")), el("dd", { class: "target" }, `${value.trim()}${unit}`));
  }
  if (properties.deadline) rows.push(el("dt", {}, t("deadline")), el("dd", {}, properties.deadline));
  if ("baseline_value" in properties) {
    const date = properties.baseline_date ? ` (${properties.baseline_date})` : "";
    rows.push(el("dt", {}, t("baseline")), el("dd", {}, `${properties.baseline_value}${unit}${date}`));
  }
  return [el("dl", { class: "indicator" }, rows)];
}

function propertiesBlock(properties) {
  const shownElsewhere = new Set(["comparator", "target_value", "target_max", "deadline", "baseline_value", "baseline_date"]);
  const entries = Object.entries(properties).filter(([key]) => !shownElsewhere.has(key));
  if (!entries.length) return [];
  return [el("h3", {}, t("properties")),
    el("dl", {}, entries.flatMap(([key, value]) => [el("dt", { title: key }, propertyLabel(key)), el("dd", {}, String(value))]))];
}

function relationsBlock(entity) {
  const summary = entity.relations;
  if (!summary?.edges?.length) return [];
  const items = summary.edges.map((edge) => {
    const outgoing = edge.source === entity.id;
    const other = outgoing ? edge.target : edge.source;
    return el("li", {},
      outgoing ? `→ ${relationLabel(edge.relation)} → ` : `← ${relationLabel(edge.relation)} ← `,
      el("a", { onclick: () => focusOrShow(other), dataset: { id: other } }, nodeLabel(other)),
      edge.status === "unconfirmed" ? [" ", statusBadge("unconfirmed")] : null);
  });
  if (summary.truncated) items.push(el("li", { class: "hint" }, t("moreRelations", { n: summary.total - summary.edges.length })));
  return [el("h3", {}, `${t("relations")} (${summary.total})`), el("ul", { class: "relations" }, items)];
}

function focusOrShow(id) {
  const node = state.cy.getElementById(id);
  if (node.nonempty()) {
    selectNode(id);
    state.cy.animate({ center: { eles: node } }, { duration: 200 });
  } else {
    showNeighbourhood(id);
  }
}

function entityDetails(entity) {
  const node = state.cy.getElementById(entity.id);
  const inGraph = node.nonempty();
  const actions = el("div", { class: "actions" },
    inGraph && !node.hasClass("expanded") ? el("button", { type: "button", id: "details-expand", onclick: () => expandNode(entity.id) }, t("expand")) : null,
    inGraph && node.hasClass("expanded") ? el("button", { type: "button", id: "details-collapse", onclick: () => collapse(entity.id) }, t("collapse")) : null,
    el("button", { type: "button", id: "details-focus", onclick: () => showNeighbourhood(entity.id) }, t("focus")));
  return [
    el("div", { class: "title", dataset: { id: entity.id } }, entityLabel(entity)),
    el("div", { class: "subtitle" }, entity.labels?.[otherLanguage()] ?? ""),
    el("div", { class: "meta" }, typeChip(entity.type), statusBadge(entity.status ?? "confirmed")),
    el("div", { class: "id" }, entity.iri ?? entity.id),
    actions,
    ...indicatorBlock(entity.properties ?? {}),
    ...propertiesBlock(entity.properties ?? {}),
    el("h3", {}, t("sources")),
    el("div", { class: "sources" }, sourcesBlock(entity.sources)),
    ...relationsBlock(entity),
  ];
}

function edgeDetails(edge) {
  return [
    el("div", { class: "title" }, relationLabel(edge.relation)),
    el("div", { class: "subtitle" },
      el("a", { href: "#", onclick: (e) => { e.preventDefault(); focusOrShow(edge.source); } }, nodeLabel(edge.source)),
      " → ",
      el("a", { href: "#", onclick: (e) => { e.preventDefault(); focusOrShow(edge.target); } }, nodeLabel(edge.target))),
    el("div", { class: "meta" }, statusBadge(edge.status ?? "confirmed")),
    el("div", { class: "id" }, `${edge.source} —${edge.relation}→ ${edge.target}`),
    el("h3", {}, t("sources")),
    el("div", { class: "sources" }, sourcesBlock(edge.sources)),
  ];
}

function showEdgeDetails(edge) {
  state.detail = { kind: "edge", edge };
  renderDetails();
}

function edgeFromElement(element) {
  const data = element.data();
  return { source: data.source, relation: data.relation, target: data.target, status: data.status, sources: data.sources };
}

// ------------------------------------------------------------------ tooltips

function showTooltip(element, position) {
  const tip = $("tooltip");
  if (element.isNode()) {
    const labels = element.data("labels");
    tip.replaceChildren(
      el("div", {}, element.data("label")),
      el("div", { class: "sub" }, labels?.[otherLanguage()] ?? ""),
      el("div", { class: "sub" }, `${typeLabel(element.data("type"))}${element.data("status") === "unconfirmed" ? ` · ${t("unconfirmed")}` : ""}`));
  } else {
    tip.replaceChildren(
      el("div", {}, relationLabel(element.data("relation"))),
      el("div", { class: "sub" }, `${nodeLabel(element.data("source"))} → ${nodeLabel(element.data("target"))}`));
  }
  tip.style.left = `${position.x + 14}px`;
  tip.style.top = `${position.y + 14}px`;
  tip.hidden = false;
}

function hideTooltip() {
  $("tooltip").hidden = true;
}

// ------------------------------------------------------------------ named queries

function queryParameter(query) {
  return query.parameters.find((p) => state.types.has(p.type)) ?? query.parameters[0];
}

function renderQueryOptions() {
  const select = $("query-name");
  const chosen = select.value;
  select.replaceChildren(...state.queries.map((q) => el("option", { value: q.name }, pick(q.title, q.name))));
  if (chosen) select.value = chosen;
  updateQueryForm(false);
}

/** Show the chosen query's description and restrict the parameter picker to its type. */
async function updateQueryForm(prefill = true) {
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

async function runNamedQuery(name, paramId, unconfirmed = true) {
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

function evidenceSources(item) {
  const fromEdges = item.evidence.flatMap((edge) => edge.sources.map((source) => ({ edge, source })));
  return fromEdges.length ? fromEdges : (item.entity.sources ?? []).map((source) => ({ edge: null, source }));
}

function renderResults() {
  const results = state.results;
  if (!results) return;
  $("results").hidden = false;
  $("results-title").textContent = t("answers", { n: results.items.length, title: pick(results.query.title, results.query.name) });
  const rows = results.items.map((item) => el("tr", { dataset: { id: item.entity.id }, onclick: () => focusOrShow(item.entity.id) },
    el("td", {}, entityLabel(item.entity), el("div", { class: "cite" }, item.entity.id)),
    el("td", {}, typeChip(item.entity.type)),
    el("td", {}, statusBadge(item.entity.status ?? "confirmed")),
    el("td", {}, evidenceSources(item).map(({ edge, source }) => el("div", { class: "quote" },
      el("q", {}, source.quote),
      el("span", { class: "cite" }, ` — ${source.document}, ${source.locator}${edge ? ` [${relationLabel(edge.relation)}]` : ""}`))))));
  $("results-table").tBodies[0].replaceChildren(...rows);
}

function hideResults() {
  state.results = null;
  $("results").hidden = true;
}

function downloadResultsCsv() {
  const results = state.results;
  if (!results) return;
  const header = ["entity_id", "type", "label_en", "label_zh", "status", "evidence_source", "evidence_relation",
    "evidence_target", "evidence_status", "quote", "document", "locator"];
  const rows = [header];
  for (const item of results.items) {
    const entity = item.entity;
    const base = [entity.id, entity.type, entity.labels?.en ?? "", entity.labels?.zh ?? "", entity.status ?? ""];
    const evidence = evidenceSources(item);
    if (!evidence.length) rows.push([...base, "", "", "", "", "", "", ""]);
    for (const { edge, source } of evidence) {
      rows.push([...base, edge?.source ?? "", edge?.relation ?? "", edge?.target ?? "", edge?.status ?? "",
        source.quote, source.document, source.locator]);
    }
  }
  downloadCsv(`plankg-${results.query.name}-${results.param}.csv`, rows);
}

// ------------------------------------------------------------------ path finder

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

async function findPaths(from, to, max = 6) {
  const answer = await api.paths({ from, to, max_length: max });
  const paths = Array.isArray(answer) ? answer : answer.paths ?? [];
  Object.assign(state, { path: { from, to, max }, entity: null, query: null, paths, activePath: 0 });
  hideResults();
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

function renderPathList() {
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
  }, `${t("pathN", { i: index + 1, n: path.edges.length })}: ${pathOrder(path, state.path.from).map(nodeLabel).join(" → ")}`)));
}

// ------------------------------------------------------------------ coverage matrix

/**
 * Standards × industries from one named query per industry. An answer is "direct" when its
 * evidence holds the industry's own supports_industry edge, else it comes through a narrower industry.
 */
async function loadCoverage() {
  const query = state.queries.find((q) => q.name === COVERAGE_QUERY);
  const param = queryParameter(query);
  const relation = query.steps?.[0]?.relation;
  const rowType = query.result_types?.[0];
  const [columns, rows] = await Promise.all([allEntities(param.type), allEntities(rowType)]);
  const answers = await mapLimited(columns, 6, (column) =>
    api.runQuery(query.name, { [param.name]: column.id }).then((answer) => answer.items));
  const cells = new Map(); // "row|column" -> {kind, evidence}
  columns.forEach((column, index) => {
    for (const item of answers[index]) {
      const direct = item.evidence.some((e) => e.relation === relation && e.source === item.entity.id && e.target === column.id);
      cells.set(`${item.entity.id}|${column.id}`, { kind: direct ? "direct" : "inherited", evidence: item.evidence });
    }
  });
  const columnTotals = new Map(columns.map((column, index) => [column.id, answers[index].length]));
  const rowTotals = new Map(rows.map((row) => [row.id, columns.filter((c) => cells.has(`${row.id}|${c.id}`)).length]));
  state.coverage = { query, rows, columns, cells, rowTotals, columnTotals };
}

function renderCoverage() {
  const coverage = state.coverage;
  if (!coverage) return;
  const hideEmpty = $("coverage-hide-empty").checked;
  const byLabel = (a, b) => entityLabel(a).localeCompare(entityLabel(b), language());
  const rows = coverage.rows.filter((r) => !hideEmpty || coverage.rowTotals.get(r.id)).sort(byLabel);
  const columns = coverage.columns.filter((c) => !hideEmpty || coverage.columnTotals.get(c.id)).sort(byLabel);
  const head = el("tr", {}, el("th", {}, `${typeLabel(coverage.rows[0]?.type ?? "")} \\ ${typeLabel(coverage.columns[0]?.type ?? "")}`),
    columns.map((c) => el("th", { class: "col", title: c.id, dataset: { industry: c.id } }, entityLabel(c))),
    el("th", { class: "col total" }, t("total")));
  const body = rows.map((row) => el("tr", { dataset: { standard: row.id } },
    el("th", { class: "row", title: row.id }, entityLabel(row)),
    columns.map((column) => {
      const cell = coverage.cells.get(`${row.id}|${column.id}`);
      return el("td", {
        class: `cell ${cell?.kind ?? ""}`,
        dataset: { standard: row.id, industry: column.id, kind: cell?.kind ?? "none" },
        title: `${entityLabel(row)} × ${entityLabel(column)}`,
        onclick: cell ? () => showCoverageCell(row.id, column.id) : undefined,
      }, cell ? (cell.kind === "direct" ? "●" : "○") : "");
    }),
    el("td", { class: "total row-total", dataset: { standard: row.id } }, String(coverage.rowTotals.get(row.id)))));
  const foot = el("tr", {}, el("th", { class: "row" }, t("total")),
    columns.map((c) => el("td", { class: "total col-total", dataset: { industry: c.id } }, String(coverage.columnTotals.get(c.id)))),
    el("td", { class: "total" }, String(coverage.cells.size)));
  $("coverage-table").replaceChildren(el("thead", {}, head), el("tbody", {}, body), el("tfoot", {}, foot));
}

async function showCoverage() {
  showView("coverage");
  writeHash();
  if (!state.coverage) await busy(loadCoverage);
  renderCoverage();
}

/** Open one matrix cell in the graph: the standard, the industry and the evidence between them. */
async function showCoverageCell(standard, industry) {
  await busy(async () => {
    const cell = state.coverage.cells.get(`${standard}|${industry}`);
    const ids = new Set([standard, industry, ...cell.evidence.flatMap((e) => [e.source, e.target])]);
    const entities = await mapLimited([...ids], 6, (id) => api.entity(id));
    Object.assign(state, { entity: null, query: null, path: null });
    hideResults();
    showView("graph");
    await renderSubgraph({ nodes: entities, edges: cell.evidence }, {
      decorate: (cy) => {
        cy.getElementById(standard).addClass("result");
        cy.getElementById(industry).addClass("param");
        cy.edges().addClass("evidence");
      },
    });
    const relation = state.coverage.query.steps?.[0]?.relation;
    const link = cell.evidence.find((e) => e.relation === relation) ?? cell.evidence[0];
    if (link) {
      state.cy.getElementById(edgeId(link)).select();
      showEdgeDetails(link);
    }
    writeHash();
  });
}

// ------------------------------------------------------------------ views, language, URL state

function showView(view) {
  state.view = view;
  $("graph-view").hidden = view !== "graph";
  $("coverage-view").hidden = view !== "coverage";
  $("tab-graph").classList.toggle("active", view === "graph");
  $("tab-coverage").classList.toggle("active", view === "coverage");
  if (view === "graph") state.cy?.resize();
}

function applyLanguage(lang) {
  setLanguage(lang);
  translatePage();
  for (const button of document.querySelectorAll(".lang-switch button")) {
    button.classList.toggle("active", button.dataset.lang === language());
  }
  renderTypeOptions();
  if (state.cy) {
    state.cy.batch(() => {
      state.cy.nodes().forEach((node) => node.data("label", pick(node.data("labels"), node.id())));
      state.cy.edges().forEach((edge) => edge.data("label", relationLabel(edge.data("relation"))));
    });
    updateCount();
  }
  renderLegend();
  if (state.queries.length) renderQueryOptions();
  for (const picker of Object.values(state.pickers)) picker.relabel();
  refreshDetails();
  renderResults();
  renderPathList();
  renderCoverage();
}

function renderTypeOptions() {
  const select = $("search-type");
  const chosen = select.value;
  const names = [...state.types.keys()].sort((a, b) => typeLabel(a).localeCompare(typeLabel(b), language()));
  select.replaceChildren(el("option", { value: "" }, t("allTypes")), ...names.map((name) => el("option", { value: name }, typeLabel(name))));
  select.value = chosen;
}

function writeHash() {
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

async function restoreFromHash() {
  const params = new URLSearchParams(location.hash.slice(1));
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
    await showNeighbourhood(params.get("entity"));
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

async function downloadPng() {
  const blob = await state.cy.png({ output: "blob-promise", full: true, scale: 2, bg: "#ffffff", maxWidth: 4096, maxHeight: 4096 });
  downloadBlob("plankg-graph.png", blob);
}

async function init() {
  const params = new URLSearchParams(location.hash.slice(1));
  applyLanguage(params.get("lang") ?? (navigator.language?.startsWith("zh") ? "zh" : "en"));
  const [schema, queries] = await Promise.all([api.schema(), api.queries()]);
  state.types = new Map(schema.node_types.map((type) => [type.name, type]));
  state.relations = new Map(schema.relation_types.map((relation) => [relation.key, relation]));
  state.properties = new Map((schema.properties ?? []).map((property) => [property.key, property]));
  state.queries = (Array.isArray(queries) ? queries : queries.items) ?? schema.queries ?? [];
  state.styles = typeStyles(state.types.keys());
  state.cy = createGraph($("cy"), state.styles);
  wireGraphEvents(state.cy);

  state.pickers.search = entityPicker($("search-input"), {
    type: () => $("search-type").value,
    onPick: (entity) => showNeighbourhood(entity.id),
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
window.plankg = { state, get cy() { return state.cy; }, renderSubgraph, showNeighbourhood, runNamedQuery, findPaths };

init().catch(reportError);
