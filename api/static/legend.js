// Type swatches (the node's shape and colour as drawn), type chips, status badges and the graph's legend.

import { $, el } from "./dom.js";
import { SHAPES } from "./graph.js";
import { t } from "./i18n.js";
import { typeLabel } from "./labels.js";
import { state } from "./state.js";

function polygon(sides, radius = 6, rotation = -Math.PI / 2, inner = null) {
  const points = [];
  const count = inner ? sides * 2 : sides;
  for (let i = 0; i < count; i++) {
    const r = inner && i % 2 ? inner : radius;
    const angle = rotation + (i * 2 * Math.PI) / count;
    points.push(`${(6 + r * Math.cos(angle)).toFixed(2)},${(6 + r * Math.sin(angle)).toFixed(2)}`);
  }
  return points.join(" ");
}

const SHAPE_SVG = {
  ellipse: () => ["circle", { cx: 6, cy: 6, r: 5.5 }],
  "round-rectangle": () => ["rect", { x: 0.5, y: 1.5, width: 11, height: 9, rx: 2.5 }],
  diamond: () => ["polygon", { points: "6,0 12,6 6,12 0,6" }],
  triangle: () => ["polygon", { points: "6,0.5 11.5,11.5 0.5,11.5" }],
  hexagon: () => ["polygon", { points: polygon(6, 6, 0) }],
  star: () => ["polygon", { points: polygon(5, 6.2, -Math.PI / 2, 2.6) }],
  pentagon: () => ["polygon", { points: polygon(5, 6) }],
};

/** A 12×12 SVG of the type's node shape and colour, as drawn in the graph. */
function swatch(typeName) {
  const style = state.styles.get(typeName) ?? { color: "#999", shape: SHAPES[0] };
  const [tag, attrs] = (SHAPE_SVG[style.shape] ?? SHAPE_SVG.ellipse)();
  const svgNs = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(svgNs, "svg");
  svg.setAttribute("viewBox", "0 0 12 12");
  svg.setAttribute("class", "swatch");
  svg.setAttribute("aria-hidden", "true");
  const shape = document.createElementNS(svgNs, tag);
  for (const [key, value] of Object.entries(attrs)) shape.setAttribute(key, value);
  shape.setAttribute("fill", style.color);
  svg.append(shape);
  return svg;
}

export function typeChip(typeName) {
  return el("span", { class: "type-chip", dataset: { type: typeName } }, swatch(typeName), typeLabel(typeName));
}

export function statusBadge(status) {
  return el("span", { class: `badge ${status}`, dataset: { status } }, t(status));
}

/** What the marks on nodes and edges mean (the rings and dashes the stylesheet in graph.js draws). */
export const MARKS = [
  { key: "markUnconfirmed", node: { fill: "#9ca3af", stroke: "#b45309", dash: "2,1.5", width: 1.6 } },
  { key: "markUnconfirmedEdge", edge: { stroke: "#d97706", dash: "3,2" } },
  { key: "markParam", node: { fill: "#9ca3af", stroke: "#2563eb", width: 2.5 } },
  { key: "markResult", node: { fill: "#9ca3af", stroke: "#facc15", width: 2.5 } },
  { key: "markDerived", node: { fill: "#9ca3af", stroke: "#7c3aed", width: 2.5, double: true } },
  { key: "markDerivedEdge", edge: { stroke: "#7c3aed", dash: "1,2", width: 2 } },
  { key: "markEvidence", edge: { stroke: "#eab308", width: 2.5 } },
  { key: "markPath", node: { fill: "#9ca3af", stroke: "#dc2626", width: 2.5 } },
  { key: "markExpanded", node: { fill: "#9ca3af", stroke: "#1f2937", width: 2 } },
  { key: "markDiffAdded", node: { fill: "#9ca3af", stroke: "#16a34a", width: 2.5 } },
  { key: "markDiffChanged", node: { fill: "#9ca3af", stroke: "#ea580c", width: 2.5, double: true } },
  { key: "markDiffNotStated", node: { fill: "#9ca3af", stroke: "#dc2626", dash: "2,1.5", width: 2 } },
  { key: "markDiffUnchanged", node: { fill: "#d1d5db", stroke: "#d1d5db", width: 1 } },
];

/** The marks in use in the graph now (the legend explains only what is drawn). */
export function marksInUse(cy) {
  if (!cy || cy.nodes().empty()) return [];
  const used = {
    markUnconfirmed: cy.nodes("[status = 'unconfirmed']").nonempty(),
    markUnconfirmedEdge: cy.edges("[status = 'unconfirmed']").nonempty(),
    markParam: cy.nodes(".param").nonempty(),
    markResult: cy.nodes(".result").nonempty(),
    markDerived: cy.nodes(".derived").nonempty(),
    markDerivedEdge: cy.edges(".derived").nonempty(),
    markEvidence: cy.edges(".evidence").nonempty(),
    markPath: cy.nodes(".path").nonempty(),
    markExpanded: cy.nodes(".expanded").nonempty(),
    markDiffAdded: cy.elements(".diff-added").nonempty(),
    markDiffChanged: cy.elements(".diff-changed").nonempty(),
    markDiffNotStated: cy.elements(".diff-not-stated").nonempty(),
    markDiffUnchanged: cy.elements(".diff-unchanged, .diff-context").nonempty(),
  };
  return MARKS.filter((mark) => used[mark.key]);
}

function markSwatch(mark) {
  const svgNs = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(svgNs, "svg");
  svg.setAttribute("viewBox", "0 0 16 12");
  svg.setAttribute("class", "swatch mark");
  svg.setAttribute("aria-hidden", "true");
  const shape = document.createElementNS(svgNs, mark.node ? "circle" : "line");
  const attrs = mark.node
    ? { cx: 8, cy: 6, r: 4.5, fill: mark.node.fill, stroke: mark.node.stroke, "stroke-width": mark.node.width ?? 1.5,
      "stroke-dasharray": mark.node.dash ?? "" }
    : { x1: 1, y1: 6, x2: 15, y2: 6, stroke: mark.edge.stroke, "stroke-width": mark.edge.width ?? 1.6, "stroke-dasharray": mark.edge.dash ?? "" };
  for (const [key, value] of Object.entries(attrs)) if (value !== "") shape.setAttribute(key, value);
  svg.append(shape);
  return svg;
}

/** The legend strip under the graph (never over it): the types drawn, then the marks in use. */
export function renderLegend() {
  const present = new Set(state.cy ? state.cy.nodes().map((n) => n.data("type")) : []);
  const names = [...state.types.keys()].sort();
  const items = names.map((name) =>
    el("span", { class: `item${present.size > 0 && !present.has(name) ? " absent" : ""}`, dataset: { type: name }, title: name },
      swatch(name), typeLabel(name)));
  const marks = marksInUse(state.cy).map((mark) => el("span", { class: "item mark", dataset: { mark: mark.key } }, markSwatch(mark), t(mark.key)));
  $("legend").replaceChildren(el("h4", {}, t("legend")), ...items, ...(marks.length ? [el("span", { class: "sep" }), ...marks] : []));
}
