// The deadline timeline: every goal and indicator deadline on one axis, a slider over the deadlines,
// and what is due by the chosen date (targets with their quotes), for all plans or the filtered one.

import { api } from "./api.js";
import { sourceBlock } from "./details.js";
import { $, busy, el } from "./dom.js";
import { t } from "./i18n.js";
import { entityLabel } from "./labels.js";
import { typeChip } from "./legend.js";
import { showNeighborhood } from "./neighborhood.js";
import { dateLabel } from "./plans.js";
import { showView } from "./render.js";
import { state, writeHash } from "./state.js";

const COMPARATORS = { eq: "=", ge: "≥", gt: ">", le: "≤", lt: "<" };

function targetText(target) {
  if (!target) return "";
  const unit = target.unit ? ` ${target.unit}` : "";
  if (target.comparator === "range") return `${target.target_value ?? ""}–${target.target_max ?? ""}${unit}`;
  return `${COMPARATORS[target.comparator] ?? target.comparator ?? ""} ${target.target_value ?? ""}${unit}`.trim();
}

async function loadDeadlines() {
  const key = state.planFilter || "*";
  if (state.deadlines?.key === key) return state.deadlines;
  const answer = await api.deadlines(state.planFilter ? { plan: state.planFilter } : {});
  const dates = [...new Set([...answer.indicators.map((i) => i.deadline), ...answer.goals.map((g) => g.deadline)])].filter(Boolean).sort();
  state.deadlines = { key, answer, dates };
  return state.deadlines;
}

function renderAxis(dates, until) {
  const counts = new Map(dates.map((d) => [d, 0]));
  for (const item of state.deadlines.answer.indicators) counts.set(item.deadline, (counts.get(item.deadline) ?? 0) + 1);
  const first = Date.parse(dates[0]);
  const span = Math.max(Date.parse(dates[dates.length - 1]) - first, 1);
  return el("div", { class: "axis", role: "presentation" },
    dates.map((date) => el("button", {
      type: "button",
      class: `tick${date <= until ? " due" : ""}`,
      style: `left: ${dates.length === 1 ? 50 : 4 + (92 * (Date.parse(date) - first)) / span}%`,
      dataset: { date },
      title: dateLabel(date),
      onclick: () => setUntil(date),
    }, el("span", { class: "count" }, String(counts.get(date))), el("span", { class: "date", translate: "no" }, date))));
}

export function renderTimeline() {
  const data = state.deadlines;
  if (!data) return;
  const { answer, dates } = data;
  if (!dates.length) {
    $("timeline-body").replaceChildren(el("p", { class: "hint" }, t("noDeadlines")));
    return;
  }
  const until = dates.includes(state.until) ? state.until : dates[dates.length - 1];
  state.until = until;
  const slider = $("timeline-slider");
  slider.max = String(dates.length - 1);
  slider.value = String(dates.indexOf(until));
  $("timeline-until").textContent = t("dueBy", {}) + " " + dateLabel(until);
  const today = new Date().toISOString().slice(0, 10);
  const due = answer.indicators.filter((item) => item.deadline <= until);
  const byDate = new Map();
  for (const item of due) byDate.set(item.deadline, [...(byDate.get(item.deadline) ?? []), item]);
  const goalsDue = answer.goals.filter((goal) => goal.deadline <= until && !(goal.indicators ?? []).length);
  $("timeline-body").replaceChildren(
    renderAxis(dates, until),
    el("p", { class: "hint" }, t("timelineSummary", { n: due.length, g: goalsDue.length })),
    ...[...byDate].map(([date, items]) => el("section", { class: "due-group", dataset: { date } },
      el("h3", {}, dateLabel(date), date < today ? el("span", { class: "badge overdue" }, t("passed")) : null),
      el("ul", {}, items.map((item) => el("li", { class: "due-item", dataset: { id: item.indicator.id } },
        el("div", {}, typeChip(item.indicator.type), " ",
          el("a", { href: "#", translate: "no", onclick: (e) => { e.preventDefault(); showNeighborhood(item.indicator.id); } }, entityLabel(item.indicator)),
          " ", el("strong", { class: "target", translate: "no" }, targetText(item.target))),
        el("div", { class: "sources" }, (item.evidence ?? item.indicator.sources ?? []).slice(0, 2).map(sourceBlock))))))),
    ...(goalsDue.length ? [el("section", { class: "due-group" }, el("h3", {}, t("goalsWithoutIndicators")),
      el("ul", {}, goalsDue.map((goal) => el("li", { class: "due-item", dataset: { id: goal.goal.id } },
        typeChip(goal.goal.type), " ",
        el("a", { href: "#", translate: "no", onclick: (e) => { e.preventDefault(); showNeighborhood(goal.goal.id); } }, entityLabel(goal.goal)),
        " ", el("span", { translate: "no" }, goal.deadline)))))] : []));
}

export function setUntil(date) {
  state.until = date;
  renderTimeline();
  writeHash();
}

export async function showTimeline(until = state.until) {
  showView("timeline");
  state.until = until;
  writeHash();
  await busy(async () => {
    await loadDeadlines();
    renderTimeline();
    writeHash();
  });
}

export function wireTimeline() {
  $("timeline-slider").addEventListener("input", () => {
    const dates = state.deadlines?.dates ?? [];
    setUntil(dates[Number($("timeline-slider").value)] ?? null);
  });
}
