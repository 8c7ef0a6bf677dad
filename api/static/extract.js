// The extraction review: paste a plan's text, POST /api/v1/extract (writes nothing), see every
// extracted item highlighted in place (its character span, coloured by type), the items listed by
// type, the extractor's problems, and download the draft (YAML for review, or JSON).

import { api } from "./api.js";
import { downloadBlob } from "./csv.js";
import { $, busy, el } from "./dom.js";
import { pick, t } from "./i18n.js";
import { typeLabel } from "./labels.js";
import { typeChip } from "./legend.js";
import { showView } from "./render.js";
import { state, writeHash } from "./state.js";

const SPAN = /\[chars (\d+)-(\d+)\]/;

/** Every (start, end, node) the draft quotes: the character spans in its sources' locators. */
export function draftSpans(draft, length) {
  const spans = [];
  for (const node of draft.nodes ?? []) {
    for (const source of node.sources ?? []) {
      const match = SPAN.exec(source.locator ?? "");
      if (!match) continue;
      const start = Number(match[1]);
      const end = Number(match[2]);
      if (end > start && end <= length) spans.push({ start, end, node });
    }
  }
  return spans;
}

/** The text cut at every span boundary; each piece marked with the narrowest item covering it. */
function highlighted(text, spans) {
  const cuts = [...new Set([0, text.length, ...spans.flatMap((s) => [s.start, s.end])])].sort((a, b) => a - b);
  const pieces = [];
  for (let i = 0; i + 1 < cuts.length; i++) {
    const [from, to] = [cuts[i], cuts[i + 1]];
    const covering = spans.filter((s) => s.start <= from && s.end >= to);
    const piece = text.slice(from, to);
    if (!covering.length) {
      pieces.push(piece);
      continue;
    }
    const narrowest = covering.reduce((a, b) => (b.end - b.start < a.end - a.start ? b : a));
    const color = state.styles.get(narrowest.node.type)?.color ?? "#999";
    pieces.push(el("mark", {
      class: "extracted",
      dataset: { id: narrowest.node.id, type: narrowest.node.type, start: String(from), end: String(to) },
      style: `--type-color: ${color}`,
      title: `${typeLabel(narrowest.node.type)}: ${pick(narrowest.node.labels, narrowest.node.id)}`,
      onclick: () => focusItem(narrowest.node.id),
    }, piece));
  }
  return pieces;
}

function focusItem(id) {
  const item = document.querySelector(`#extract-items li[data-id="${CSS.escape(id)}"]`);
  item?.scrollIntoView({ block: "nearest" });
  for (const other of document.querySelectorAll("#extract-items li.focus")) other.classList.remove("focus");
  item?.classList.add("focus");
}

export function renderExtraction() {
  const result = state.extraction;
  if (!result) return;
  const { text, answer } = result;
  const spans = draftSpans(answer.draft, text.length);
  const byType = new Map();
  for (const node of answer.draft.nodes ?? []) byType.set(node.type, [...(byType.get(node.type) ?? []), node]);
  $("extract-text").replaceChildren(...highlighted(text, spans));
  $("extract-items").replaceChildren(
    el("p", { class: "hint" }, t("extractSummary", { nodes: answer.draft.nodes?.length ?? 0, edges: answer.draft.edges?.length ?? 0, spans: spans.length })),
    ...(answer.problems ?? []).map((problem) => el("p", { class: "problem", translate: "no" }, problem)),
    ...[...byType].map(([type, nodes]) => el("section", {},
      el("h3", {}, typeChip(type), ` (${nodes.length})`),
      el("ul", {}, nodes.map((node) => el("li", { dataset: { id: node.id } },
        el("span", { translate: "no" }, pick(node.labels, node.id)),
        node.properties?.deadline ? el("span", { class: "cite", translate: "no" }, ` · ${node.properties.deadline}`) : null))))));
  $("extract-download").disabled = false;
  $("extract-download-json").disabled = false;
  $("extract-result").hidden = false;
}

export async function runExtraction() {
  const text = $("extract-input").value;
  const name = $("extract-name").value.trim() || "pasted-plan.txt";
  if (!text.trim()) {
    $("extract-input").focus();
    return;
  }
  await busy(async () => {
    const answer = await api.extract({ text, name });
    state.extraction = { text, name, answer };
    renderExtraction();
  });
}

function draftName(suffix) {
  const base = (state.extraction?.name ?? "draft").replace(/\.[^.]+$/, "");
  return `${base}.draft.${suffix}`;
}

export function wireExtraction() {
  $("extract-form").addEventListener("submit", (event) => {
    event.preventDefault();
    runExtraction();
  });
  $("extract-download").addEventListener("click", () => {
    if (state.extraction) downloadBlob(draftName("yaml"), new Blob([state.extraction.answer.yaml], { type: "application/yaml;charset=utf-8" }));
  });
  $("extract-download-json").addEventListener("click", () => {
    if (state.extraction) downloadBlob(draftName("json"), new Blob([JSON.stringify(state.extraction.answer.draft, null, 2)], { type: "application/json" }));
  });
}

export function showExtraction() {
  showView("extract");
  writeHash();
}
