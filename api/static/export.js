// Downloads: the graph as PNG, the answers table as CSV (one row per quoted piece of evidence).

import { downloadBlob, downloadCsv } from "./csv.js";
import { evidenceSources } from "./results.js";
import { state } from "./state.js";

export async function downloadPng() {
  const blob = await state.cy.png({ output: "blob-promise", full: true, scale: 2, bg: "#ffffff", maxWidth: 4096, maxHeight: 4096 });
  downloadBlob("plankg-graph.png", blob);
}

export function downloadResultsCsv() {
  const results = state.results;
  if (!results) return;
  const header = ["entity_id", "type", "label_en", "label_zh", "status", "evidence_source", "evidence_relation",
    "evidence_target", "evidence_status", "quote", "document", "locator"];
  const rows = [header];
  for (const item of results.items) {
    const entity = item.entity;
    const base = [entity.id, entity.type, entity.labels?.en ?? "", entity.labels?.zh ?? "", entity.status ?? ""];
    const evidence = evidenceSources(item);
    if (!evidence.length) rows.push([...base, "", "", "", "", "", "", ""]);
    for (const { edge, source } of evidence) {
      rows.push([...base, edge?.source ?? "", edge?.relation ?? "", edge?.target ?? "", edge?.status ?? "",
        source.quote, source.document, source.locator]);
    }
  }
  downloadCsv(`plankg-${results.query.name}-${results.param}.csv`, rows);
}
