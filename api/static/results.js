// The answers table under the graph: each answer with its type, status and the quoted evidence.

import { $, el } from "./dom.js";
import { focusOrShow } from "./details.js";
import { pick, t } from "./i18n.js";
import { entityLabel, relationLabel } from "./labels.js";
import { statusBadge, typeChip } from "./legend.js";
import { state } from "./state.js";

export function evidenceSources(item) {
  const fromEdges = item.evidence.flatMap((edge) => edge.sources.map((source) => ({ edge, source })));
  return fromEdges.length ? fromEdges : (item.entity.sources ?? []).map((source) => ({ edge: null, source }));
}

export function renderResults() {
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

export function hideResults() {
  state.results = null;
  $("results").hidden = true;
}
