// The diff view: two documents or two plans side by side — what B adds, changes, leaves unsaid
// (not "removed": B is silent) and keeps — for entities and relations, with the evidence on each side;
// as tables here, and drawn in the graph (drawDiff: each element classed and coloured by its kind).

import { api, mapLimited } from "./api.js";
import { clearDetails, sourceBlock } from "./details.js";
import { edgeId } from "./graph.js";
import { $, busy, el } from "./dom.js";
import { t } from "./i18n.js";
import { entityLabel, nodeLabel, relationLabel } from "./labels.js";
import { typeChip } from "./legend.js";
import { showNeighborhood } from "./neighborhood.js";
import { renderSubgraph, showView } from "./render.js";
import { hideResults } from "./results.js";
import { state, writeHash } from "./state.js";

const KINDS = ["added", "changed", "not_stated", "unchanged"];
const kindKey = { added: "diffAdded", changed: "diffChanged", not_stated: "diffNotStated", unchanged: "diffUnchanged" };

/** Both selects list the plans, then the documents (a plan compares all of its documents). */
export function renderDiffOptions() {
  for (const id of ["diff-a", "diff-b"]) {
    const select = $(id);
    const chosen = select.value;
    select.replaceChildren(
      el("optgroup", { label: t("plansGroup") }, state.plans.map((plan) => el("option", { value: plan.id }, entityLabel(plan)))),
      el("optgroup", { label: t("documentsGroup") }, [...(state.documents?.values() ?? [])]
        .filter((d) => state.plans.some((p) => p.documents.includes(d.id)))
        .map((d) => el("option", { value: d.id }, entityLabel(d)))));
    if (chosen) select.value = chosen;
  }
  // a first useful pair: the first plan with two documents (draft → final)
  if (!state.diff) {
    const plan = state.plans.find((p) => p.documents.length >= 2);
    if (plan) {
      const [a, b] = [...plan.documents].sort((x, y) =>
        String(state.documents.get(x)?.properties?.issued ?? "").localeCompare(String(state.documents.get(y)?.properties?.issued ?? "")));
      $("diff-a").value = a;
      $("diff-b").value = b;
    }
  } else {
    $("diff-a").value = state.diff.a;
    $("diff-b").value = state.diff.b;
  }
}

function sideLabel(side) {
  return side ? entityLabel(side) : "";
}

function evidence(list) {
  return (list ?? []).slice(0, 3).map(sourceBlock);
}

function entityRow(kind, change) {
  const entity = change.b ?? change.a;
  return el("li", { class: `diff-item ${kind}`, dataset: { id: entity.id, kind } },
    el("div", { class: "diff-title" }, typeChip(entity.type), " ",
      el("a", { href: "#", translate: "no", onclick: (e) => { e.preventDefault(); showNeighborhood(entity.id); } }, sideLabel(entity)),
      change.match && change.match !== "same id" ? el("span", { class: "badge" },
        t("matchedBy", { how: change.match === "scoped id" ? t("matchScoped") : relationLabel(change.match) })) : null),
    change.changes?.length ? el("ul", { class: "changes" }, change.changes.map((c) => el("li", {},
      el("code", { translate: "no" }, c.field), " ", el("del", { translate: "no" }, String(c.a ?? "")), " → ", el("ins", { translate: "no" }, String(c.b ?? ""))))) : null,
    kind === "unchanged" ? null : el("div", { class: "diff-evidence" },
      change.a ? el("div", {}, el("span", { class: "side", translate: "no" }, "A"), evidence(change.a.evidence)) : null,
      change.b ? el("div", {}, el("span", { class: "side", translate: "no" }, "B"), evidence(change.b.evidence)) : null));
}

function relationRow(kind, change) {
  const edge = change.b ?? change.a;
  return el("li", { class: `diff-item ${kind}`, dataset: { kind } },
    el("div", { class: "diff-title" },
      el("span", { translate: "no" }, nodeLabel(edge.source)), ` — ${relationLabel(edge.relation)} → `, el("span", { translate: "no" }, nodeLabel(edge.target))),
    kind === "unchanged" ? null : el("div", { class: "diff-evidence" },
      change.a ? el("div", {}, el("span", { class: "side", translate: "no" }, "A"), evidence(change.a.evidence)) : null,
      change.b ? el("div", {}, el("span", { class: "side", translate: "no" }, "B"), evidence(change.b.evidence)) : null));
}

export function renderDiff() {
  const answer = state.diffAnswer;
  if (!answer) return;
  const block = (group, row) => KINDS.map((kind) => {
    const list = answer[group][kind] ?? [];
    return el("details", { class: `diff-group ${kind}`, open: kind !== "unchanged" && list.length <= 80, dataset: { group, kind } },
      el("summary", {}, `${t(kindKey[kind])} (${list.length})`),
      el("ul", {}, list.map((change) => row(kind, change))));
  });
  $("diff-body").replaceChildren(
    el("p", { class: "hint" }, t("diffRule")),
    el("p", { class: "diff-draw" },
      el("button", { type: "button", id: "diff-draw", onclick: () => busy(() => drawDiff(state.diff.a, state.diff.b)) }, t("diffDraw")),
      " ", KINDS.map((kind) => el("span", { class: `diff-key ${kind}`, dataset: { kind } }, t(kindKey[kind])))),
    el("table", { class: "diff-summary" },
      el("thead", {}, el("tr", {}, el("th", {}, ""), KINDS.map((kind) => el("th", {}, t(kindKey[kind]))))),
      el("tbody", {}, ["entities", "relations"].map((group) => el("tr", {}, el("th", {}, t(group === "entities" ? "diffEntities" : "diffRelations")),
        KINDS.map((kind) => el("td", { dataset: { group, kind } }, String(answer.summary[group][kind]))))))),
    el("h3", {}, t("diffEntities")), ...block("entities", entityRow),
    el("h3", {}, t("diffRelations")), ...block("relations", relationRow));
}

export async function showDiff(a, b) {
  showView("diff");
  state.diff = { a, b };
  $("diff-a").value = a;
  $("diff-b").value = b;
  writeHash();
  await busy(async () => {
    state.diffAnswer = await api.diff(a, b);
    renderDiff();
  });
}

/** The graph class of a diff kind: diff-added, diff-changed, diff-not-stated, diff-unchanged. */
export const diffClass = (kind) => `diff-${kind.replace("_", "-")}`;

/**
 * Draw the diff in the graph: every entity and relation of either side, classed by its kind (added in B,
 * changed, not stated in B, unchanged), with the evidence of the side that states it; ends of relations
 * that neither side lists as an entity are fetched and drawn plain, as context.
 */
export async function drawDiff(a, b) {
  if (!state.diffAnswer || state.diff?.a !== a || state.diff?.b !== b) {
    state.diff = { a, b };
    state.diffAnswer = await api.diff(a, b);
  }
  const answer = state.diffAnswer;
  const kindOf = new Map();
  const nodes = [];
  for (const kind of KINDS) {
    for (const change of answer.entities[kind] ?? []) {
      const entity = change.b ?? change.a;
      if (kindOf.has(entity.id)) continue;
      kindOf.set(entity.id, kind);
      nodes.push({ ...entity, sources: entity.evidence ?? entity.sources ?? [] });
    }
  }
  const edges = [];
  const edgeKind = new Map();
  for (const kind of KINDS) {
    for (const change of answer.relations[kind] ?? []) {
      const edge = change.b ?? change.a;
      const drawn = { ...edge, sources: edge.evidence ?? edge.sources ?? [] };
      if (edgeKind.has(edgeId(drawn))) continue;
      edgeKind.set(edgeId(drawn), kind);
      edges.push(drawn);
    }
  }
  const missing = [...new Set(edges.flatMap((e) => [e.source, e.target]))].filter((id) => !kindOf.has(id));
  const context = await mapLimited(missing, 6, (id) => api.entity(id).catch(() => null));
  Object.assign(state, { mode: "diff", entity: null, expanded: [], selected: null, query: null, path: null, cell: null,
    plan: null, ask: null });
  hideResults();
  clearDetails();
  showView("graph");
  await renderSubgraph({ nodes: [...nodes, ...context.filter(Boolean)], edges }, {
    decorate: (cy) => {
      cy.nodes().forEach((node) => node.addClass(kindOf.has(node.id()) ? diffClass(kindOf.get(node.id())) : "diff-context"));
      cy.edges().forEach((edge) => { if (edgeKind.has(edge.id())) edge.addClass(diffClass(edgeKind.get(edge.id()))); });
    },
  });
  writeHash();
}
