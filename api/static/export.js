// Downloads: the graph as PNG or SVG at a chosen size with its legend beside it, and the answers table
// as CSV (one row per quoted piece of evidence).
//
// SVG is drawn here from the laid-out positions (the cytoscape-svg extension is GPL-3.0, which this
// Apache-2.0 project does not ship): node shapes and colours, borders for status and marks, edges with
// arrows, whole labels (wrapped as on screen), and the legend.

import { downloadBlob, downloadCsv } from "./csv.js";
import { FONT } from "./graph.js";
import { t } from "./i18n.js";
import { typeLabel } from "./labels.js";
import { marksInUse } from "./legend.js";
import { evidenceSources } from "./results.js";
import { state } from "./state.js";

const LEGEND_WIDTH = 260; // at scale 1; the legend scales with the picture's height
const SIZES = { "1200x800": [1200, 800], "1920x1080": [1920, 1080], "2400x1600": [2400, 1600], "3840x2160": [3840, 2160] };

export function exportSize(value) {
  return SIZES[value] ?? SIZES["1920x1080"];
}

/** The legend's rows: the types drawn, then the marks in use (as on screen). */
function legendRows() {
  const present = [...new Set(state.cy.nodes().map((n) => n.data("type")))].filter((type) => state.styles.has(type)).sort();
  return [
    ...present.map((type) => ({ kind: "type", style: state.styles.get(type), label: typeLabel(type) })),
    ...marksInUse(state.cy).map((mark) => ({ kind: "mark", mark, label: t(mark.key) })),
  ];
}

function legendScale(height) {
  return Math.max(1, height / 900);
}

/** Draw the legend into a 2D canvas context at (x, y). */
function drawLegend(ctx, x, y, scale) {
  ctx.save();
  ctx.translate(x, y);
  ctx.scale(scale, scale);
  ctx.fillStyle = "#374151";
  ctx.font = `bold 13px ${FONT}`;
  ctx.textBaseline = "middle";
  ctx.fillText(t("legend"), 0, 10);
  ctx.font = `12px ${FONT}`;
  legendRows().forEach((row, index) => {
    const cy = 34 + index * 22;
    if (row.kind === "type") {
      ctx.fillStyle = row.style.color;
      ctx.beginPath();
      ctx.arc(8, cy, 6, 0, 2 * Math.PI);
      ctx.fill();
    } else if (row.mark.node) {
      ctx.fillStyle = row.mark.node.fill;
      ctx.strokeStyle = row.mark.node.stroke;
      ctx.lineWidth = row.mark.node.width ?? 1.5;
      ctx.setLineDash(row.mark.node.dash ? row.mark.node.dash.split(",").map(Number) : []);
      ctx.beginPath();
      ctx.arc(8, cy, 5.5, 0, 2 * Math.PI);
      ctx.fill();
      ctx.stroke();
    } else {
      ctx.strokeStyle = row.mark.edge.stroke;
      ctx.lineWidth = row.mark.edge.width ?? 1.6;
      ctx.setLineDash(row.mark.edge.dash ? row.mark.edge.dash.split(",").map((v) => Number(v) * 1.5) : []);
      ctx.beginPath();
      ctx.moveTo(0, cy);
      ctx.lineTo(16, cy);
      ctx.stroke();
    }
    ctx.setLineDash([]);
    ctx.fillStyle = "#1f2937";
    ctx.fillText(row.label, 24, cy);
  });
  ctx.restore();
}

/** A PNG of width × height: the whole graph fitted on the left, the legend on the right. */
export async function graphPng(width, height) {
  const scale = legendScale(height);
  const legendWidth = Math.round(LEGEND_WIDTH * scale);
  const graphBlob = await state.cy.png({ output: "blob-promise", full: true, bg: "#ffffff", maxWidth: width - legendWidth, maxHeight: height });
  const image = await createImageBitmap(graphBlob);
  const canvas = document.createElement("canvas");
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext("2d");
  ctx.fillStyle = "#ffffff";
  ctx.fillRect(0, 0, width, height);
  ctx.drawImage(image, Math.round((width - legendWidth - image.width) / 2), Math.round((height - image.height) / 2));
  drawLegend(ctx, width - legendWidth + 12 * scale, 16 * scale, scale);
  return new Promise((resolve) => canvas.toBlob(resolve, "image/png"));
}

const escapeXml = (text) => String(text).replace(/[<>&"']/g, (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;", "'": "&apos;" })[c]);

function polygonPoints(shape, x, y, w, h) {
  const rx = w / 2;
  const ry = h / 2;
  const regular = (sides, rotation = -Math.PI / 2, inner = null) => Array.from({ length: inner ? sides * 2 : sides }, (_, i) => {
    const r = inner && i % 2 ? inner : 1;
    const angle = rotation + (i * 2 * Math.PI) / (inner ? sides * 2 : sides);
    return `${(x + rx * r * Math.cos(angle)).toFixed(1)},${(y + ry * r * Math.sin(angle)).toFixed(1)}`;
  }).join(" ");
  switch (shape) {
    case "diamond": return regular(4);
    case "triangle": return regular(3);
    case "hexagon": return regular(6, 0);
    case "pentagon": return regular(5);
    case "star": return regular(5, -Math.PI / 2, 0.42);
    default: return null;
  }
}

/** A node's label as drawn: Cytoscape's wrapped lines when it has computed them, else the whole label. */
function labelLines(node) {
  const cached = node._private?.rscratch?.labelWrapCachedLines;
  return Array.isArray(cached) && cached.length ? cached : [String(node.data("label") ?? "")];
}

function svgNode(node) {
  const { x, y } = node.position();
  const w = node.width();
  const h = node.height();
  const fill = node.style("background-color");
  const border = node.style("border-color");
  const borderWidth = parseFloat(node.style("border-width")) || 0;
  const dash = node.style("border-style") === "dashed" ? ' stroke-dasharray="4,3"' : "";
  const paint = `fill="${fill}" stroke="${border}" stroke-width="${borderWidth}"${dash}`;
  const shape = node.style("shape");
  const points = polygonPoints(shape, x, y, w, h);
  const body = points
    ? `<polygon points="${points}" ${paint}/>`
    : shape.includes("rectangle") || shape === "tag"
      ? `<rect x="${x - w / 2}" y="${y - h / 2}" width="${w}" height="${h}" rx="${shape.startsWith("round") ? 4 : 0}" ${paint}/>`
      : `<ellipse cx="${x}" cy="${y}" rx="${w / 2}" ry="${h / 2}" ${paint}/>`;
  const size = parseFloat(node.style("font-size")) || 11;
  const lines = labelLines(node);
  const top = y + h / 2 + 3 + size;
  const text = lines.map((line, i) => `<tspan x="${x}" y="${(top + i * size * 1.2).toFixed(1)}">${escapeXml(line)}</tspan>`).join("");
  return `<g class="node" data-id="${escapeXml(node.id())}">${body}<text text-anchor="middle" font-size="${size}" paint-order="stroke" stroke="#fff" stroke-width="3" fill="#111827">${text}</text></g>`;
}

function svgEdge(edge) {
  const s = edge.source().position();
  const e = edge.target().position();
  const color = edge.style("line-color");
  const width = parseFloat(edge.style("width")) || 1;
  const style = edge.style("line-style");
  const dash = style === "dashed" ? ' stroke-dasharray="6,4"' : style === "dotted" ? ' stroke-dasharray="1.5,3"' : "";
  // stop at the target's border so the arrow head shows
  const length = Math.hypot(e.x - s.x, e.y - s.y) || 1;
  const back = edge.target().width() / 2 + 2;
  const end = { x: e.x - ((e.x - s.x) * back) / length, y: e.y - ((e.y - s.y) * back) / length };
  return `<line x1="${s.x.toFixed(1)}" y1="${s.y.toFixed(1)}" x2="${end.x.toFixed(1)}" y2="${end.y.toFixed(1)}" stroke="${color}" stroke-width="${width}"${dash} marker-end="url(#arrow)"/>`;
}

function svgLegend(x, y, scale) {
  const rows = legendRows().map((row, index) => {
    const cy = 34 + index * 22;
    let mark;
    if (row.kind === "type") mark = `<circle cx="8" cy="${cy}" r="6" fill="${row.style.color}"/>`;
    else if (row.mark.node) {
      const n = row.mark.node;
      mark = `<circle cx="8" cy="${cy}" r="5.5" fill="${n.fill}" stroke="${n.stroke}" stroke-width="${n.width ?? 1.5}"${n.dash ? ` stroke-dasharray="${n.dash}"` : ""}/>`;
    } else {
      const edgeMark = row.mark.edge;
      mark = `<line x1="0" y1="${cy}" x2="16" y2="${cy}" stroke="${edgeMark.stroke}" stroke-width="${edgeMark.width ?? 1.6}"${edgeMark.dash ? ` stroke-dasharray="${edgeMark.dash}"` : ""}/>`;
    }
    return `${mark}<text x="24" y="${cy + 4}" font-size="12" fill="#1f2937">${escapeXml(row.label)}</text>`;
  });
  return `<g class="legend" transform="translate(${x},${y}) scale(${scale})"><text x="0" y="14" font-size="13" font-weight="bold" fill="#374151">${escapeXml(t("legend"))}</text>${rows.join("")}</g>`;
}

/** An SVG document of width × height: the graph fitted on the left, the legend on the right. */
export function graphSvg(width, height) {
  const cy = state.cy;
  const scale = legendScale(height);
  const legendWidth = Math.round(LEGEND_WIDTH * scale);
  const box = cy.elements().boundingBox({ includeLabels: true });
  const pad = 20;
  const fit = Math.min((width - legendWidth - 2 * pad) / Math.max(box.w, 1), (height - 2 * pad) / Math.max(box.h, 1));
  const dx = pad + (width - legendWidth - 2 * pad - box.w * fit) / 2 - box.x1 * fit;
  const dy = pad + (height - 2 * pad - box.h * fit) / 2 - box.y1 * fit;
  const edges = cy.edges().map(svgEdge).join("\n");
  const nodes = cy.nodes().map(svgNode).join("\n");
  return `<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family='${FONT}'>
<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="6" markerHeight="6" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#9ca3af"/></marker></defs>
<rect width="100%" height="100%" fill="#ffffff"/>
<g class="graph" transform="translate(${dx.toFixed(1)},${dy.toFixed(1)}) scale(${fit.toFixed(4)})">
${edges}
${nodes}
</g>
${svgLegend(width - legendWidth + 12 * scale, 16 * scale, scale)}
</svg>
`;
}

export async function downloadPng(size) {
  const [width, height] = exportSize(size);
  downloadBlob(`plankg-graph-${width}x${height}.png`, await graphPng(width, height));
}

export function downloadSvg(size) {
  const [width, height] = exportSize(size);
  downloadBlob(`plankg-graph-${width}x${height}.svg`, new Blob([graphSvg(width, height)], { type: "image/svg+xml;charset=utf-8" }));
}

export function downloadResultsCsv() {
  const results = state.results;
  if (!results) return;
  const header = ["entity_id", "type", "label_en", "label_zh", "status", "kind", "evidence_source", "evidence_relation",
    "evidence_target", "evidence_status", "quote", "note", "document", "locator", "locator_zh"];
  const rows = [header];
  const items = [...results.items.map((item) => [item, "direct"]), ...(results.derived ?? []).map((item) => [item, "derived"])];
  for (const [item, kind] of items) {
    const entity = item.entity;
    const base = [entity.id, entity.type, entity.labels?.en ?? "", entity.labels?.zh ?? "", entity.status ?? "", kind];
    const evidence = evidenceSources(item);
    if (!evidence.length) rows.push([...base, "", "", "", "", "", "", "", "", ""]);
    for (const { edge, source } of evidence) {
      rows.push([...base, edge?.source ?? "", edge?.relation ?? "", edge?.target ?? "", edge?.status ?? "",
        source.kind === "note" ? "" : source.quote ?? "", source.kind === "note" ? source.note ?? "" : "", source.document, source.locator,
        source.locator_zh ?? ""]);
    }
  }
  downloadCsv(`plankg-${results.query.name}-${results.param ?? "answer"}.csv`, rows);
}
