// The coverage matrix: standards × industries, direct or through a narrower industry; a cell opens its evidence.

import { allEntities, api, mapLimited } from "./api.js";
import { $, busy, el } from "./dom.js";
import { clearDetails, showEdgeDetails } from "./details.js";
import { edgeId } from "./graph.js";
import { language, t } from "./i18n.js";
import { entityLabel, typeLabel } from "./labels.js";
import { queryParameter } from "./queries.js";
import { renderSubgraph, showView } from "./render.js";
import { hideResults } from "./results.js";
import { state, writeHash } from "./state.js";

const COVERAGE_QUERY = "standards_for_industry";

/**
 * Standards × industries from one named query per industry. An answer is "direct" when its
 * evidence holds the industry's own supports_industry edge, else it comes through a narrower industry.
 */
async function loadCoverage() {
  const query = state.queries.find((q) => q.name === COVERAGE_QUERY);
  const param = queryParameter(query);
  const relation = query.steps?.[0]?.relation;
  const rowType = query.result_types?.[0];
  const [columns, rows] = await Promise.all([allEntities(param.type), allEntities(rowType)]);
  const answers = await mapLimited(columns, 6, (column) =>
    api.runQuery(query.name, { [param.name]: column.id }).then((answer) => answer.items));
  const cells = new Map(); // "row|column" -> {kind, evidence}
  columns.forEach((column, index) => {
    for (const item of answers[index]) {
      const direct = item.evidence.some((e) => e.relation === relation && e.source === item.entity.id && e.target === column.id);
      cells.set(`${item.entity.id}|${column.id}`, { kind: direct ? "direct" : "inherited", evidence: item.evidence });
    }
  });
  const columnTotals = new Map(columns.map((column, index) => [column.id, answers[index].length]));
  const rowTotals = new Map(rows.map((row) => [row.id, columns.filter((c) => cells.has(`${row.id}|${c.id}`)).length]));
  state.coverage = { query, rows, columns, cells, rowTotals, columnTotals };
}

export function renderCoverage() {
  const coverage = state.coverage;
  if (!coverage) return;
  const hideEmpty = $("coverage-hide-empty").checked;
  const byLabel = (a, b) => entityLabel(a).localeCompare(entityLabel(b), language());
  const rows = coverage.rows.filter((r) => !hideEmpty || coverage.rowTotals.get(r.id)).sort(byLabel);
  const columns = coverage.columns.filter((c) => !hideEmpty || coverage.columnTotals.get(c.id)).sort(byLabel);
  const head = el("tr", {}, el("th", {}, `${typeLabel(coverage.rows[0]?.type ?? "")} \\ ${typeLabel(coverage.columns[0]?.type ?? "")}`),
    columns.map((c) => el("th", { class: "col", title: c.id, dataset: { industry: c.id }, translate: "no" }, el("span", {}, entityLabel(c)))),
    el("th", { class: "col total" }, t("total")));
  const body = rows.map((row) => el("tr", { dataset: { standard: row.id } },
    el("th", { class: "row", title: row.id, translate: "no" }, entityLabel(row)),
    columns.map((column) => {
      const cell = coverage.cells.get(`${row.id}|${column.id}`);
      return el("td", {
        class: `cell ${cell?.kind ?? ""}`,
        dataset: { standard: row.id, industry: column.id, kind: cell?.kind ?? "none" },
        title: `${entityLabel(row)} × ${entityLabel(column)}`,
        onclick: cell ? () => busy(() => showCoverageCell(row.id, column.id)) : undefined,
      }, cell ? (cell.kind === "direct" ? "●" : "○") : "");
    }),
    el("td", { class: "total row-total", dataset: { standard: row.id } }, String(coverage.rowTotals.get(row.id)))));
  const foot = el("tr", {}, el("th", { class: "row" }, t("total")),
    columns.map((c) => el("td", { class: "total col-total", dataset: { industry: c.id } }, String(coverage.columnTotals.get(c.id)))),
    el("td", { class: "total" }, String(coverage.cells.size)));
  $("coverage-table").replaceChildren(el("thead", {}, head), el("tbody", {}, body), el("tfoot", {}, foot));
}

export async function showCoverage() {
  showView("coverage");
  writeHash();
  if (!state.coverage) await busy(loadCoverage);
  renderCoverage();
}

/** Open one matrix cell in the graph: the standard, the industry and the evidence between them (a state of its own in the URL). */
export async function showCoverageCell(standard, industry) {
  {
    if (!state.coverage) await loadCoverage();
    const cell = state.coverage.cells.get(`${standard}|${industry}`);
    if (!cell) throw new Error(t("noSuchCell", { standard, industry }));
    const ids = new Set([standard, industry, ...cell.evidence.flatMap((e) => [e.source, e.target])]);
    const entities = await mapLimited([...ids], 6, (id) => api.entity(id));
    Object.assign(state, { mode: "cell", cell: { standard, industry }, entity: null, expanded: [], query: null, path: null,
      plan: null, ask: null });
    hideResults();
    clearDetails();
    showView("graph");
    await renderSubgraph({ nodes: entities, edges: cell.evidence }, {
      hint: "tree",
      decorate: (cy) => {
        cy.getElementById(standard).addClass("result");
        cy.getElementById(industry).addClass("param");
        cy.edges().addClass("evidence");
      },
    });
    const relation = state.coverage.query.steps?.[0]?.relation;
    const link = cell.evidence.find((e) => e.relation === relation) ?? cell.evidence[0];
    if (link) {
      state.cy.getElementById(edgeId(link)).select();
      showEdgeDetails(link);
    }
    writeHash();
  }
}
