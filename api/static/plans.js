// Plans: the plan filter (what one plan's documents state is drawn at full strength, the rest faded),
// the plan overview (plan → goals → sub-goals → indicators → deadlines, drawn top-down) and the report.

import { api, allEntities, mapLimited, reportUrl } from "./api.js";
import { clearDetails } from "./details.js";
import { $, el } from "./dom.js";
import { language, t, tIn } from "./i18n.js";
import { entityLabel } from "./labels.js";
import { applyPlanFilter, renderSubgraph, showView } from "./render.js";
import { hideResults } from "./results.js";
import { state, writeHash } from "./state.js";

export const DEADLINE_TYPE = "__deadline__";
export const DUE_RELATION = "__due_by__";
const OVERVIEW_RELATIONS = new Set(["has_goal", "has_sub_goal", "measured_by"]);
const DEPTH = 3; // the API's deepest neighbourhood

/** The Plan entities with their documents (from has_version), for the filter and the welcome screen. */
export async function loadPlans() {
  const plans = await allEntities("Plan").catch(() => []);
  const documents = await allEntities("Document").catch(() => []);
  state.documents = new Map(documents.map((d) => [d.id, d]));
  const versions = await mapLimited(plans, 4, (plan) =>
    api.neighbors(plan.id, { relation: "has_version", direction: "out", limit: 100 }).catch(() => ({ nodes: [] })));
  state.plans = plans.map((plan, index) => ({
    ...plan,
    documents: versions[index].nodes.filter((n) => n.type === "Document").map((n) => n.id),
  }));
  state.relations.set(DUE_RELATION, { key: DUE_RELATION, labels: { en: tIn("en", "dueBy"), zh: tIn("zh", "dueBy") } });
}

export function renderPlanOptions() {
  const select = $("plan-filter");
  select.replaceChildren(el("option", { value: "" }, t("allPlans")),
    ...state.plans.map((plan) => el("option", { value: plan.id }, entityLabel(plan))));
  select.value = state.planFilter;
  updatePlanActions();
}

function updatePlanActions() {
  const plan = state.planFilter;
  $("plan-overview").disabled = !plan;
  const report = $("plan-report");
  if (plan) report.setAttribute("href", reportUrl(plan));
  else report.removeAttribute("href");
  report.classList.toggle("disabled", !plan);
}

/** Choose the plan filter (or "" for all plans); `write: false` while a link is being restored. */
export function setPlanFilter(planId, { write = true } = {}) {
  const changed = state.planFilter !== planId;
  state.planFilter = state.plans.some((p) => p.id === planId) ? planId : "";
  $("plan-filter").value = state.planFilter;
  updatePlanActions();
  applyPlanFilter();
  if (changed) state.deadlines = null;
  if (write) writeHash();
}

function deadlineNode(date) {
  return {
    id: `deadline.${date}`,
    type: DEADLINE_TYPE,
    labels: { en: tIn("en", "dueOn", { date }), zh: tIn("zh", "dueOn", { date }) },
    status: "confirmed",
    sources: [],
  };
}

/** Everything reachable from the plan along has_goal, has_sub_goal and measured_by (as deep as it goes). */
async function planTree(planId) {
  const nodes = new Map();
  const edges = new Map();
  let frontier = [planId];
  const seen = new Set();
  while (frontier.length) {
    const answers = await mapLimited(frontier, 4, (id) => api.neighbors(id, { direction: "out", depth: DEPTH, limit: 2000 }));
    frontier.forEach((id) => seen.add(id));
    for (const answer of answers) {
      for (const node of answer.nodes) nodes.set(node.id, node);
      for (const edge of answer.edges) if (OVERVIEW_RELATIONS.has(edge.relation)) edges.set(`${edge.source}|${edge.relation}|${edge.target}`, edge);
    }
    // keep what hangs from the plan; goals at the fringe may have deeper sub-goals: go on from them
    const reached = new Set([planId]);
    let grown = true;
    while (grown) {
      grown = false;
      for (const edge of edges.values()) {
        if (reached.has(edge.source) && !reached.has(edge.target)) {
          reached.add(edge.target);
          grown = true;
        }
      }
    }
    frontier = [...reached].filter((id) => !seen.has(id) && nodes.get(id)?.type === "Goal" &&
      ![...edges.values()].some((e) => e.source === id));
    frontier = frontier.filter((id) => seen.size < 200 && !seen.has(id));
    for (const id of [...nodes.keys()]) if (!reached.has(id)) nodes.delete(id);
    for (const [key, edge] of [...edges]) if (!reached.has(edge.source) || !reached.has(edge.target)) edges.delete(key);
  }
  return { nodes, edges };
}

/** The plan overview: goals → indicators → deadlines, top-down, with the plan filter set to the plan. */
export async function showPlanOverview(planId) {
  const plan = await api.entity(planId);
  const { nodes, edges } = await planTree(planId);
  nodes.set(planId, plan);
  for (const node of [...nodes.values()]) {
    const deadline = node.properties?.deadline;
    if (!deadline) continue;
    const due = deadlineNode(deadline);
    nodes.set(due.id, due);
    edges.set(`${node.id}|${DUE_RELATION}|${due.id}`, { source: node.id, relation: DUE_RELATION, target: due.id, status: "confirmed", sources: [] });
  }
  Object.assign(state, { mode: "plan", plan: planId, entity: null, expanded: [], query: null, path: null, cell: null, ask: null });
  setPlanFilter(planId, { write: false });
  hideResults();
  clearDetails();
  showView("graph");
  $("path-list").replaceChildren();
  await renderSubgraph({ nodes: [...nodes.values()], edges: [...edges.values()] }, {
    hint: "tree",
    decorate: (cy) => {
      cy.getElementById(planId).addClass("param plan-root");
      cy.nodes(`[type = "${DEADLINE_TYPE}"]`).addClass("deadline");
    },
  });
  writeHash();
}

/** Is this a drawn deadline (not an entity of the graph)? */
export const isDeadline = (id) => typeof id === "string" && id.startsWith("deadline.");

export const dateLabel = (date) => new Date(`${date}T00:00:00`).toLocaleDateString(language() === "zh" ? "zh-CN" : "en-GB",
  { year: "numeric", month: "long", day: "numeric" });
