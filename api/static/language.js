// Switching the interface language: static texts, type options, graph labels and every open panel.

import { cjkFont, loadGlyphs } from "./cjk.js";
import { $, el } from "./dom.js";
import { refreshDetails } from "./details.js";
import { renderCoverage } from "./coverage.js";
import { renderDiff, renderDiffOptions } from "./diff.js";
import { renderExtraction } from "./extract.js";
import { setLabelScript } from "./graph.js";
import { fitGraph, separateLabels } from "./layout.js";
import { renderPlanOptions } from "./plans.js";
import { renderTimeline } from "./timeline.js";
import { renderWelcome } from "./welcome.js";
import { language, pick, setLanguage, t, translatePage } from "./i18n.js";
import { relationLabel, typeLabel } from "./labels.js";
import { renderLegend } from "./legend.js";
import { renderPathList } from "./paths.js";
import { renderQueryOptions } from "./queries.js";
import { updateCount } from "./render.js";
import { renderResults } from "./results.js";
import { state } from "./state.js";

export function applyLanguage(lang) {
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
    setLabelScript(state.cy, language() === "zh");
    separateLabels(state.cy); // the labels' boxes changed with the language
    if (cjkFont.source === "web") { // the web font's slices for the new labels, then measure again
      const cy = state.cy;
      loadGlyphs(cy.nodes().map((node) => node.data("label")).join("")).then(() => {
        cy.style().update();
        separateLabels(cy);
        fitGraph(cy);
      });
    }
    fitGraph(state.cy);
    updateCount();
  }
  renderLegend();
  if (state.queries.length) renderQueryOptions();
  for (const picker of Object.values(state.pickers)) picker.relabel();
  refreshDetails();
  renderResults();
  renderPathList();
  renderCoverage();
  if (state.plans.length) {
    renderPlanOptions();
    renderDiffOptions();
    renderWelcome();
  }
  renderDiff();
  renderTimeline();
  renderExtraction();
}

function renderTypeOptions() {
  const select = $("search-type");
  const chosen = select.value;
  const names = [...state.types.keys()].sort((a, b) => typeLabel(a).localeCompare(typeLabel(b), language()));
  select.replaceChildren(el("option", { value: "" }, t("allTypes")), ...names.map((name) => el("option", { value: name }, typeLabel(name))));
  select.value = chosen;
}
