// The answers table beside the graph: direct answers with their quoted evidence, then the answers
// derived through the graph (their rule and chain) in a section of their own.

import { $, el } from "./dom.js";
import { focusOrShow, showChainDetails } from "./details.js";
import { language, pick, t } from "./i18n.js";
import { documentLabel, entityLabel, nodeLabel, relationLabel } from "./labels.js";
import { statusBadge, typeChip } from "./legend.js";
import { state } from "./state.js";

export function evidenceSources(item) {
  const fromEdges = (item.evidence ?? item.chain ?? []).flatMap((edge) => (edge.sources ?? []).map((source) => ({ edge, source })));
  return fromEdges.length ? fromEdges : (item.entity.sources ?? []).map((source) => ({ edge: null, source }));
}

/** One piece of evidence: a quote in <q>, or a curatorial note (never in quotation marks). */
function evidenceLine({ edge, source }) {
  const locator = (language() === "zh" && source.locator_zh) || source.locator || "";
  const where = ` — ${documentLabel(source.document)}, ${locator}${edge ? ` [${relationLabel(edge.relation)}]` : ""}`;
  if (source.kind === "note") {
    return el("div", { class: "quote note", dataset: { kind: "note" } },
      el("span", { class: "note-label" }, t("curatorialNote")), " ",
      el("span", { translate: "no" }, source.note ?? ""), el("span", { class: "cite", translate: "no" }, where));
  }
  return el("div", { class: "quote", dataset: { kind: "quote" } },
    el("q", { translate: "no" }, source.quote), el("span", { class: "cite", translate: "no" }, where));
}

/** The node ids along a chain of edges, from the end that touches `start` (edges may point either way). */
export function chainNodes(chain, start) {
  if (!chain?.length) return [];
  const [first, second] = chain;
  let current = [first.source, first.target].includes(start) ? start
    : second && [second.source, second.target].includes(first.source) ? first.target : first.source;
  const nodes = [current];
  for (const edge of chain) {
    current = edge.source === current ? edge.target : edge.source;
    nodes.push(current);
  }
  return nodes;
}

function answerRow(item, derived) {
  return el("tr", {
    class: derived ? "derived" : "direct",
    dataset: { id: item.entity.id, kind: derived ? "derived" : "direct" },
    onclick: () => (derived ? showChainDetails(item) : focusOrShow(item.entity.id)),
  },
  el("td", {}, el("span", { translate: "no" }, entityLabel(item.entity)), el("div", { class: "cite", translate: "no" }, item.entity.id)),
  el("td", {}, typeChip(item.entity.type)),
  el("td", {}, derived ? el("span", { class: "badge derived" }, t("derived")) : statusBadge(item.entity.status ?? "confirmed")),
  el("td", {},
    derived ? el("div", { class: "chain-line", translate: "no" }, chainNodes(item.chain, state.results.param).map(nodeLabel).join(" → ")) : null,
    evidenceSources(item).map(evidenceLine)));
}

export function renderResults() {
  const results = state.results;
  if (!results) return;
  $("results").hidden = false;
  const derived = results.derived ?? [];
  $("results-title").textContent = t(derived.length ? "answersDerived" : "answers",
    { n: results.items.length, d: derived.length, title: pick(results.query.title, results.query.name) });
  const rows = results.items.map((item) => answerRow(item, false));
  if (derived.length) {
    rows.push(el("tr", { class: "section" }, el("th", { colspan: 4 }, t("derivedHeading"))));
    rows.push(...derived.map((item) => answerRow(item, true)));
  }
  $("results-table").tBodies[0].replaceChildren(...rows);
}

export function hideResults() {
  state.results = null;
  $("results").hidden = true;
}
