// The details panel: an entity (indicator targets, properties, quoted sources, relations) or an edge with its quotes.

import { api } from "./api.js";
import { $, busy, el } from "./dom.js";
import { focusEdges } from "./graph.js";
import { language, t } from "./i18n.js";
import { documentLabel, entityLabel, nodeLabel, otherLanguage, propertyLabel, relationLabel } from "./labels.js";
import { statusBadge, typeChip } from "./legend.js";
import { collapse, expandNode, showNeighborhood } from "./neighborhood.js";
import { state, writeHash } from "./state.js";

const COMPARATORS = { eq: "=", ge: "≥", gt: ">", le: "≤", lt: "<" };
const INDICATOR_KEYS = ["comparator", "target_value", "target_max", "unit", "deadline", "baseline_value", "baseline_date"];

/** Select a node and show its details; resolves when they are shown. */
export async function selectNode(id) {
  const cy = state.cy;
  cy.elements().unselect();
  const node = cy.getElementById(id);
  if (node.nonempty()) node.select();
  focusEdges(cy, node.nonempty() ? node : null);
  state.selected = id;
  writeHash();
  await showEntityDetails(id);
}

async function showEntityDetails(id) {
  await busy(async () => {
    const entity = await api.entity(id);
    if (state.selected !== id) return; // another selection came first
    state.detail = { kind: "node", entity };
    renderDetails();
  });
}

export function refreshDetails() {
  if (state.detail) renderDetails();
  else clearDetails();
}

/** Nothing selected: the panel says what to do next (never the previous view's item). */
export function clearDetails() {
  state.detail = null;
  state.selected = null;
  state.cy?.elements().unselect();
  if (state.cy) focusEdges(state.cy, null);
  $("details-body").replaceChildren(el("p", { class: "hint", id: "details-empty" }, t(state.mode ? "detailsPick" : "detailsEmpty")));
}

function renderDetails() {
  if (state.detail.kind === "chain") {
    $("details-body").replaceChildren(...chainDetails(state.detail.item));
    return;
  }
  const body = state.detail.kind === "node" ? entityDetails(state.detail.entity) : edgeDetails(state.detail.edge);
  $("details-body").replaceChildren(...body);
}

/**
 * The locator in the page's language: in 中文 the API's `locator_zh` (the plan's own Chinese headings, from
 * its glossary); a part a curator translated is marked, and the English locator stays in the tooltip.
 */
function locatorText(source) {
  if (language() === "zh" && source.locator_zh) {
    return el("span", { translate: "no", class: `locator${source.locator_zh_curatorial ? " curatorial" : ""}`, lang: "zh",
      title: source.locator_zh_curatorial ? `${source.locator} — ${t("curatorialTranslation")}` : source.locator },
    source.locator_zh, source.locator_zh_curatorial ? el("sup", { class: "curatorial-mark" }, "†") : null);
  }
  return el("span", { translate: "no", class: "locator", lang: "en" }, source.locator ?? "");
}

/** Where a source is: its document (by label, a link to its neighbourhood) and the locator inside it. */
function citation(source) {
  return el("p", { class: "cite" },
    el("a", { href: "#", onclick: (e) => { e.preventDefault(); showNeighborhood(source.document); } },
      el("span", { translate: "no" }, documentLabel(source.document))),
    ` · ${t("locator")}: `, locatorText(source));
}

/**
 * A verbatim quote in a blockquote with <q>; a curatorial note (kind "note") as a note, never in
 * quotation marks: the plan did not say it.
 */
export function sourceBlock(source) {
  if (source.kind === "note") {
    return el("aside", { class: "source note", dataset: { kind: "note" } },
      el("p", {}, el("span", { class: "note-label" }, t("curatorialNote")), " ", el("span", { translate: "no", class: "note-text" }, source.note ?? "")),
      citation(source));
  }
  return el("blockquote", { class: "source", dataset: { kind: "quote" } },
    el("p", {}, el("q", { translate: "no" }, source.quote)),
    citation(source));
}

function sourcesBlock(sources) {
  if (!sources?.length) return [el("p", { class: "hint" }, t("noSources"))];
  return sources.map(sourceBlock);
}

function indicatorBlock(properties) {
  if (!INDICATOR_KEYS.some((key) => key in properties)) return [];
  const unit = properties.unit ? ` ${properties.unit}` : "";
  const rows = [];
  if ("target_value" in properties || "target_max" in properties) {
    const value = properties.comparator === "range"
      ? `${properties.target_value ?? ""}–${properties.target_max ?? ""}`
      : `${COMPARATORS[properties.comparator] ?? properties.comparator ?? ""} ${properties.target_value ?? ""}`;
    rows.push(el("dt", {}, t("target")), el("dd", { class: "target", translate: "no" }, `${value.trim()}${unit}`));
  }
  if (properties.deadline) rows.push(el("dt", {}, t("deadline")), el("dd", { translate: "no" }, properties.deadline));
  if ("baseline_value" in properties) {
    const date = properties.baseline_date ? ` (${properties.baseline_date})` : "";
    rows.push(el("dt", {}, t("baseline")), el("dd", { translate: "no" }, `${properties.baseline_value}${unit}${date}`));
  }
  return [el("dl", { class: "indicator" }, rows)];
}

function propertiesBlock(properties) {
  const shownElsewhere = new Set(["comparator", "target_value", "target_max", "deadline", "baseline_value", "baseline_date"]);
  const entries = Object.entries(properties).filter(([key]) => !shownElsewhere.has(key));
  if (!entries.length) return [];
  return [el("h3", {}, t("properties")),
    el("dl", {}, entries.flatMap(([key, value]) => [el("dt", { title: key }, propertyLabel(key)), el("dd", { translate: "no" }, String(value))]))];
}

function relationsBlock(entity) {
  const summary = entity.relations;
  if (!summary?.edges?.length) return [];
  const items = summary.edges.map((edge) => {
    const outgoing = edge.source === entity.id;
    const other = outgoing ? edge.target : edge.source;
    return el("li", {},
      outgoing ? `→ ${relationLabel(edge.relation)} → ` : `← ${relationLabel(edge.relation)} ← `,
      el("a", { onclick: () => focusOrShow(other), dataset: { id: other }, translate: "no" }, nodeLabel(other)),
      edge.status === "unconfirmed" ? [" ", statusBadge("unconfirmed")] : null);
  });
  if (summary.truncated) items.push(el("li", { class: "hint" }, t("moreRelations", { n: summary.total - summary.edges.length })));
  return [el("h3", {}, `${t("relations")} (${summary.total})`), el("ul", { class: "relations" }, items)];
}

export function focusOrShow(id) {
  const node = state.cy.getElementById(id);
  if (node.nonempty()) {
    selectNode(id);
    state.cy.animate({ center: { eles: node } }, { duration: 200 });
  } else {
    showNeighborhood(id);
  }
}

function entityDetails(entity) {
  const node = state.cy.getElementById(entity.id);
  const inGraph = node.nonempty();
  const actions = el("div", { class: "actions" },
    inGraph && !node.hasClass("expanded") ? el("button", { type: "button", id: "details-expand", onclick: () => expandNode(entity.id) }, t("expand")) : null,
    inGraph && node.hasClass("expanded") ? el("button", { type: "button", id: "details-collapse", onclick: () => collapse(entity.id) }, t("collapse")) : null,
    el("button", { type: "button", id: "details-focus", onclick: () => showNeighborhood(entity.id) }, t("focus")));
  return [
    el("div", { class: "title", dataset: { id: entity.id }, translate: "no" }, entityLabel(entity)),
    el("div", { class: "subtitle", translate: "no" }, entity.labels?.[otherLanguage()] ?? ""),
    el("div", { class: "meta" }, typeChip(entity.type), statusBadge(entity.status ?? "confirmed")),
    el("div", { class: "id", translate: "no" }, entity.iri ?? entity.id),
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
      el("a", { href: "#", translate: "no", onclick: (e) => { e.preventDefault(); focusOrShow(edge.source); } }, nodeLabel(edge.source)),
      " → ",
      el("a", { href: "#", translate: "no", onclick: (e) => { e.preventDefault(); focusOrShow(edge.target); } }, nodeLabel(edge.target))),
    el("div", { class: "meta" }, statusBadge(edge.status ?? "confirmed")),
    el("div", { class: "id", translate: "no" }, `${edge.source} —${edge.relation}→ ${edge.target}`),
    el("h3", {}, t("sources")),
    el("div", { class: "sources" }, sourcesBlock(edge.sources)),
  ];
}

export function showEdgeDetails(edge) {
  state.detail = { kind: "edge", edge };
  renderDetails();
}

/** A derived answer's chain: each edge with its sources, from the start to the answer. */
export function showChainDetails(item) {
  state.detail = { kind: "chain", item };
  $("details-body").replaceChildren(...chainDetails(item));
}

function chainDetails(item) {
  return [
    el("div", { class: "title", dataset: { id: item.entity.id }, translate: "no" }, entityLabel(item.entity)),
    el("div", { class: "meta" }, typeChip(item.entity.type), el("span", { class: "badge derived" }, t("derivedAnswer"))),
    el("p", { class: "hint" }, t("derivedWhy")),
    el("ol", { class: "chain" }, item.chain.map((edge) => el("li", {},
      el("div", { translate: "no" }, `${nodeLabel(edge.source)} → `),
      el("div", { class: "relation" }, relationLabel(edge.relation)),
      el("div", { translate: "no" }, `→ ${nodeLabel(edge.target)}`),
      el("div", { class: "sources" }, sourcesBlock(edge.sources))))),
  ];
}

export function edgeFromElement(element) {
  const data = element.data();
  return { source: data.source, relation: data.relation, target: data.target, status: data.status, sources: data.sources };
}
