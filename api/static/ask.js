// Question mode of the search box: a question (ends with "?", starts with which/what/who/how, or
// asks 哪些/谁/几/多少) goes to GET /api/v1/ask on Enter; the answers fill the results table and the
// graph (direct ones ringed yellow, derived ones violet), and the reading is said back in the status
// line, with other readings or why it was declined.

import { api } from "./api.js";
import { clearDetails } from "./details.js";
import { busy, reportError, setStatus } from "./dom.js";
import { edgeId } from "./graph.js";
import { t } from "./i18n.js";
import { answerSubgraph } from "./queries.js";
import { renderSubgraph, showView } from "./render.js";
import { hideResults, renderResults } from "./results.js";
import { state, writeHash } from "./state.js";

const QUESTION = /[?？]\s*$|^\s*(which|what|who|how|list|are|is|does|do)\b|哪些|哪个|谁|几|多少|什么|列出/i;

export function looksLikeQuestion(text) {
  return QUESTION.test(text);
}

/** Ask the API and show the answer; returns the API's answer (for tests and the console). */
export async function askQuestion(question) {
  const answer = await api.ask(question);
  Object.assign(state, { mode: "ask", ask: question, entity: null, expanded: [], query: null, path: null, cell: null, plan: null });
  clearDetails();
  if (!answer.interpreted) {
    hideResults();
    setStatus(`${answer.message} — ${answer.suggestions.join("; ")}`);
    writeHash();
    return answer;
  }
  const items = [...answer.items];
  const derived = [...(answer.derived ?? [])];
  state.results = { query: { name: "ask", title: { en: answer.reading.text, zh: answer.reading.text } }, items, derived, param: null };
  showView("graph");
  const subgraph = await answerSubgraph(null, items, derived);
  const resultIds = new Set(items.map((item) => item.entity.id));
  const derivedIds = new Set(derived.map((item) => item.entity.id));
  const chainIds = new Set(derived.flatMap((item) => (item.chains?.flat() ?? item.chain ?? []).map(edgeId)));
  await renderSubgraph(subgraph, {
    hint: "tree",
    decorate: (cy) => {
      cy.nodes().forEach((node) => {
        if (resultIds.has(node.id())) node.addClass("result");
        else if (derivedIds.has(node.id())) node.addClass("derived");
      });
      cy.edges().forEach((edge) => { if (chainIds.has(edge.id())) edge.addClass("derived"); else edge.addClass("evidence"); });
    },
  });
  renderResults();
  const others = answer.alternatives.map((alternative) => alternative.text);
  setStatus(`${answer.reading.text}: ${t("answerCount", { n: answer.count })}${others.length ? ` (${t("otherReadings")}: ${others.join(" | ")})` : ""}`);
  writeHash();
  return answer;
}

/** Enter in the search box asks a question instead of picking a suggestion when the text is one. */
export function wireAsk(input) {
  input.addEventListener("keydown", (event) => {
    if (event.key !== "Enter" || !looksLikeQuestion(input.value)) return;
    event.preventDefault();
    event.stopImmediatePropagation();
    input.nextElementSibling?.setAttribute("hidden", "");
    busy(() => askQuestion(input.value.trim())).catch(reportError);
  }, true);
}
