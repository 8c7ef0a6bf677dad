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

export function renderLegend() {
  const present = new Set(state.cy ? state.cy.nodes().map((n) => n.data("type")) : []);
  const items = [...state.types.keys()].sort().map((name) =>
    el("span", { class: "item", dataset: { type: name }, title: name, style: null },
      swatch(name), typeLabel(name)));
  for (const item of items) item.classList.toggle("absent", present.size > 0 && !present.has(item.dataset.type));
  $("legend").replaceChildren(el("h4", {}, t("legend")), ...items);
}
