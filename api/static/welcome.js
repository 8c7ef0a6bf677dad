// The first screen: what is loaded (plans, counts), example questions and queries one click away, and
// how the graph is used. Shown in the empty graph area (it covers nothing); a link that cannot be
// opened is explained here too, with a way to start over.

import { api, getJson, mapLimited, reportUrl } from "./api.js";
import { askQuestion } from "./ask.js";
import { $, busy, el } from "./dom.js";
import { language, pick, t } from "./i18n.js";
import { entityLabel } from "./labels.js";
import { showPlanOverview } from "./plans.js";
import { queryParameter, runNamedQuery } from "./queries.js";
import { state } from "./state.js";

const EXAMPLE_QUERIES = 5;

/** Examples: each named query whose declared example exists in this graph, with that entity. */
export async function loadExamples() {
  const candidates = state.queries.filter((query) => queryParameter(query).example).slice(0, 12);
  const found = await mapLimited(candidates, 4, async (query) => {
    const param = queryParameter(query);
    const page = await api.search({ q: param.example, type: param.type, limit: 5 }).catch(() => ({ items: [] }));
    const entity = page.items.find((item) => item.id === param.example);
    return entity ? { query, entity } : null;
  });
  state.examples = found.filter(Boolean).slice(0, EXAMPLE_QUERIES);
  state.loaded = await getJson("/ready").catch(() => null);
}

/** Example questions for the question box, built from example entities in the graph. */
function exampleQuestions() {
  const byQuery = new Map((state.examples ?? []).map((example) => [example.query.name, example.entity]));
  const questions = [];
  const industry = byQuery.get("standards_for_industry");
  if (industry) questions.push(t("exampleQuestionStandards", { industry: entityLabel(industry) }));
  const goal = byQuery.get("measures_for_goal") ?? byQuery.get("indicators_for_goal");
  if (goal) questions.push(t("exampleQuestionIndicators", { goal: entityLabel(goal) }));
  if (industry) questions.push(t("exampleQuestionCentres", { industry: entityLabel(industry) }));
  return questions;
}

function section(titleKey, ...children) {
  return el("section", {}, el("h3", {}, t(titleKey)), ...children);
}

export function renderWelcome() {
  const loaded = state.loaded;
  const plans = state.plans.map((plan) => el("li", {},
    el("span", { translate: "no" }, entityLabel(plan)), " ",
    el("button", { type: "button", class: "link", dataset: { plan: plan.id }, onclick: () => showPlanOverview(plan.id) }, t("overview")),
    " ",
    el("a", { href: reportUrl(plan.id), target: "_blank", rel: "noopener" }, t("report"))));
  const queries = (state.examples ?? []).map(({ query, entity }) => el("li", {},
    el("button", { type: "button", class: "link example-query", dataset: { query: query.name, param: entity.id },
      onclick: () => busy(() => runNamedQuery(query.name, entity.id)) },
    `${pick(query.title, query.name)}: `, el("span", { translate: "no" }, entityLabel(entity)))));
  const questions = exampleQuestions().map((question) => el("li", {},
    el("button", { type: "button", class: "link example-question", onclick: () => {
      $("search-input").value = question;
      busy(() => askQuestion(question));
    } }, question)));
  $("welcome-body").replaceChildren(...[
    el("p", { class: "lead" }, loaded ? t("welcomeLoaded", { plans: state.plans.length, nodes: loaded.nodes, edges: loaded.edges }) : ""),
    plans.length ? section("welcomePlans", el("ul", {}, plans)) : el("p", {}, t("welcomeNothing")),
    questions.length ? section("welcomeQuestions", el("ul", {}, questions)) : null,
    queries.length ? section("welcomeQueries", el("ul", {}, queries)) : null,
    section("welcomeHow", el("ul", {},
      el("li", {}, t("hintSearch")), el("li", {}, t("hintExpand")), el("li", {}, t("hintDetails")), el("li", {}, t("hintViews")))),
  ].filter(Boolean));
  document.documentElement.dataset.lang = language();
}

/** Show the welcome panel while the graph is empty, hide it once something is drawn. */
export function updateWelcome() {
  const empty = !state.cy || state.cy.nodes().empty();
  $("welcome").hidden = !empty;
}

/** A shared link that could not be opened: say so plainly in the graph area, and offer a fresh start. */
export function showLinkProblem(error) {
  $("link-problem").hidden = false;
  $("link-problem-message").textContent = error.message ?? String(error);
}

export function hideLinkProblem() {
  $("link-problem").hidden = true;
}
