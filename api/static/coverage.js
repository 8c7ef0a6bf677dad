// The coverage matrix: standards × industries, direct, through a narrower industry, or derived through a
// measure (/analytics/coverage); each kind drawn apart, with a legend and a tooltip; a cell opens its evidence.

import { allEntities, api, mapLimited } from "./api.js";
import { $, busy, el } from "./dom.js";
import { clearDetails, showChainDetails, showEdgeDetails } from "./details.js";
import { edgeId } from "./graph.js";
import { language, t } from "./i18n.js";
import { entityLabel, typeLabel } from "./labels.js";
import { queryParameter } from "./queries.js";
import { renderSubgraph, showView } from "./render.js";
import { hideResults } from "./results.js";
import { state, writeHash } from "./state.js";

const COVERAGE_QUERY = "standards_for_industry";

/**
 * Standards × industries. The named query (one call per industry) gives the stated cells: "direct" when the
 * evidence holds the industry's own supports_industry edge, "inherited" when it comes through a narrower
 * industry. /analytics/coverage adds the cells only derivable through a measure ("derived": a measure targets
 * the industry and calls for the standard), each with its chain of quoted edges.
 */
async function loadCoverage() {
  const query = state.queries.find((q) => q.name === COVERAGE_QUERY);
  const param = queryParameter(query);
  const relation = query.steps?.[0]?.relation;
  const rowType = query.result_types?.[0];
  const [columns, rows, analytics] = await Promise.all([allEntities(param.type), allEntities(rowType), api.coverage()]);
  const answers = await mapLimited(columns, 6, (column) =>
    api.runQuery(query.name, { [param.name]: column.id }).then((answer) => answer.items));
  const cells = new Map(); // "row|column" -> {kind, evidence, via?}
  columns.forEach((column, index) => {
    for (const item of answers[index]) {
      const direct = item.evidence.some((e) => e.relation === relation && e.source === item.entity.id && e.target === column.id);
      const via = direct ? null : item.evidence.find((e) => e.relation === relation && e.source === item.entity.id)?.target;
      cells.set(`${item.entity.id}|${column.id}`, { kind: direct ? "direct" : "inherited", evidence: item.evidence, via });
    }
  });
  const rowIds = new Set(rows.map((r) => r.id));
  const columnIds = new Set(columns.map((c) => c.id));
  for (const pair of analytics.standards_x_industries ?? []) {
    const key = `${pair.row}|${pair.column}`;
    if (pair.kind !== "derived" || cells.has(key) || !rowIds.has(pair.row) || !columnIds.has(pair.column)) continue;
    const measure = pair.chain.find((e) => e.relation === "calls_for_standard")?.source ?? pair.chain[0]?.source;
    cells.set(key, { kind: "derived", evidence: pair.chain, via: measure });
  }
  const count = (test) => {
    const totals = new Map();
    for (const [key, cell] of cells) {
      const id = test(key.split("|"));
      if (cell.kind !== "derived") totals.set(id, (totals.get(id) ?? 0) + 1);
    }
    return totals;
  };
  const columnTotals = count(([, column]) => column);
  const rowTotals = count(([row]) => row);
  const derivedCount = [...cells.values()].filter((cell) => cell.kind === "derived").length;
  const entities = new Map([...rows, ...columns].map((entity) => [entity.id, entity]));
  const vias = [...new Set([...cells.values()].map((cell) => cell.via).filter((id) => id && !entities.has(id)))];
  for (const entity of await mapLimited(vias, 6, (id) => api.entity(id).catch(() => null))) {
    if (entity) entities.set(entity.id, entity);
  }
  state.coverage = { query, rows, columns, cells, rowTotals, columnTotals, derivedCount, entities };
}

const MARKS = { direct: "●", inherited: "○", derived: "◆" };

/** What a cell is, in words: stated, through a narrower industry, or derived through a measure. */
function cellTitle(row, column, cell) {
  const pair = `${entityLabel(row)} × ${entityLabel(column)}`;
  if (!cell) return pair;
  if (cell.kind === "direct") return `${pair}\n${t("cellDirect")}`;
  const via = cell.via ? entityLabel(state.coverage.entities.get(cell.via) ?? { id: cell.via }) : "?";
  return `${pair}\n${t(cell.kind === "inherited" ? "cellInherited" : "cellDerived", { via })}`;
}

function coverageLegend() {
  return el("ul", { class: "coverage-legend", id: "coverage-legend" }, ["direct", "inherited", "derived"].map((kind) =>
    el("li", { dataset: { kind } }, el("span", { class: `swatch cell ${kind}` }, MARKS[kind]), " ",
      t({ direct: "legendCellDirect", inherited: "legendCellInherited", derived: "legendCellDerived" }[kind]))));
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
        title: cellTitle(row, column, cell),
        onclick: cell ? () => busy(() => showCoverageCell(row.id, column.id)) : undefined,
      }, cell ? MARKS[cell.kind] : "");
    }),
    el("td", { class: "total row-total", dataset: { standard: row.id } }, String(coverage.rowTotals.get(row.id)))));
  const foot = el("tr", {}, el("th", { class: "row" }, t("total")),
    columns.map((c) => el("td", { class: "total col-total", dataset: { industry: c.id } }, String(coverage.columnTotals.get(c.id)))),
    el("td", { class: "total" }, String(coverage.cells.size - coverage.derivedCount)));
  $("coverage-table").replaceChildren(el("thead", {}, head), el("tbody", {}, body), el("tfoot", {}, foot));
  $("coverage-legend")?.remove();
  $("coverage-table").closest(".table-wrap").before(coverageLegend());
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
    const derived = cell.kind === "derived";
    await renderSubgraph({ nodes: entities, edges: cell.evidence }, {
      hint: "tree",
      decorate: (cy) => {
        cy.getElementById(standard).addClass(derived ? "derived" : "result");
        cy.getElementById(industry).addClass("param");
        cy.edges().addClass(derived ? "derived" : "evidence");
      },
    });
    if (derived) {
      showChainDetails({ entity: entities.find((e) => e.id === standard), chain: cell.evidence });
      writeHash();
      return;
    }
    const relation = state.coverage.query.steps?.[0]?.relation;
    const link = cell.evidence.find((e) => e.relation === relation) ?? cell.evidence[0];
    if (link) {
      state.cy.getElementById(edgeId(link)).select();
      showEdgeDetails(link);
    }
    writeHash();
  }
}
