// Question mode of the search box: a question (ends with "?", starts with which/what/who/how, or
// asks 哪些/谁/几/多少) goes to GET /api/v1/ask on Enter; the answers fill the results table and the
// graph, and the reading is said back in the status line, with other readings or why it was declined.

import { getJson } from "./api.js";
import { reportError, setStatus } from "./dom.js";
import { edgeId } from "./graph.js";
import { renderSubgraph, showView } from "./render.js";
import { hideResults, renderResults } from "./results.js";
import { state } from "./state.js";

const QUESTION = /[?？]\s*$|^\s*(which|what|who|how|list|are|is|does|do)\b|哪些|哪个|谁|几|多少|什么|列出/i;

export function looksLikeQuestion(text) {
  return QUESTION.test(text);
}

/** Ask the API and show the answer; returns the API's answer (for tests and the console). */
export async function askQuestion(question) {
  const answer = await getJson("/api/v1/ask", { q: question });
  if (!answer.interpreted) {
    hideResults();
    setStatus(`${answer.message} — ${answer.suggestions.join("; ")}`);
    return answer;
  }
  const items = [...answer.items];
  state.results = { query: { name: "ask", title: { en: answer.reading.text, zh: answer.reading.text } }, items, param: null };
  showView("graph");
  const nodes = new Map(items.map((item) => [item.entity.id, item.entity]));
  const edges = new Map();
  for (const item of items) for (const edge of item.evidence) edges.set(edgeId(edge), edge);
  const missing = new Set();
  for (const edge of edges.values()) for (const id of [edge.source, edge.target]) if (!nodes.has(id)) missing.add(id);
  const fetched = await Promise.all([...missing].map((id) => getJson(`/api/v1/entities/${encodeURIComponent(id)}`).catch(() => null)));
  for (const entity of fetched) if (entity) nodes.set(entity.id, entity);
  const resultIds = new Set(nodes.keys());
  await renderSubgraph({ nodes: [...nodes.values()], edges: [...edges.values()] }, {
    decorate: (cy) => cy.nodes().forEach((node) => { if (resultIds.has(node.id()) && items.some((i) => i.entity.id === node.id())) node.addClass("result"); }),
  });
  renderResults();
  const others = answer.alternatives.map((alternative) => alternative.text);
  setStatus(`${answer.reading.text}: ${answer.count}${others.length ? ` (${others.join(" | ")})` : ""}`);
  return answer;
}

/** Enter in the search box asks a question instead of picking a suggestion when the text is one. */
export function wireAsk(input) {
  input.addEventListener("keydown", (event) => {
    if (event.key !== "Enter" || !looksLikeQuestion(input.value)) return;
    event.preventDefault();
    event.stopImmediatePropagation();
    input.nextElementSibling?.setAttribute("hidden", "");
    askQuestion(input.value.trim()).catch(reportError);
  }, true);
}
