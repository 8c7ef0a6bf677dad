// The Cytoscape graph: styles derived from the schema, merging API subgraphs, expand/collapse (layouts: layout.js).

/* global cytoscape */

import { LARGE } from "./layout.js";

// Colour-blind-friendly-ish palette (Tableau 10 + 2) and shapes; 12 and 7 are coprime, so the
// first 84 types all get a distinct (colour, shape) pair and the first 12 a distinct colour.
const PALETTE = [
  "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948",
  "#b07aa1", "#ff9da7", "#9c755f", "#86bcb6", "#2f4b7c", "#d37295",
];
export const SHAPES = ["ellipse", "round-rectangle", "diamond", "triangle", "hexagon", "star", "pentagon"];
const EDGE_LABELS = 40; // more edges than this: edge labels only around the selected or hovered node
const ROOT_VIA = "__root__";

/** type name -> {color, shape}, assigned by position in the sorted list of schema types. */
export const FONT = '"Noto Sans CJK SC", "Noto Sans SC", "WenQuanYi Zen Hei", "PingFang SC", "Microsoft YaHei", system-ui, sans-serif';

export function typeStyles(typeNames) {
  const styles = new Map();
  [...typeNames].sort().forEach((name, i) => {
    styles.set(name, { color: PALETTE[i % PALETTE.length], shape: SHAPES[i % SHAPES.length] });
  });
  return styles;
}

function stylesheet(styles) {
  const perType = [...styles].map(([type, { color, shape }]) => ({
    selector: `node[type = "${type}"]`,
    style: { "background-color": color, shape },
  }));
  return [
    {
      selector: "node",
      style: {
        label: "data(label)",
        "font-size": 11,
        "min-zoomed-font-size": 7, // hides labels when zoomed out far: big graphs stay fast
        "text-valign": "bottom",
        "text-margin-y": 3,
        "text-wrap": "wrap", // whole labels, wrapped; never cut
        "text-max-width": 130,
        "text-overflow-wrap": "whitespace",
        "font-family": FONT,
        "text-background-color": "#ffffff",
        "text-background-opacity": 0.75,
        "text-background-padding": 1,
        width: 22,
        height: 22,
        "border-width": 1,
        "border-color": "#ffffff",
        "background-color": "#999999",
      },
    },
    ...perType,
    // large graphs: the cheapest drawing; the highlight rules below still win
    { selector: "node.fast", style: { "text-background-opacity": 0, "border-width": 0, "text-wrap": "none" } },
    { selector: "node.cjk", style: { "text-overflow-wrap": "anywhere", "text-max-width": 110 } },
    { selector: "node.deadline", style: { shape: "tag", "background-color": "#374151", width: 26, height: 18, "font-weight": "bold" } },
    { selector: "node[status = 'unconfirmed']", style: { "border-style": "dashed", "border-width": 2, "border-color": "#b45309" } },
    { selector: "node.expanded", style: { "border-width": 3, "border-color": "#1f2937" } },
    { selector: "node.root", style: { width: 34, height: 34, "font-weight": "bold", "font-size": 13 } },
    {
      selector: "edge",
      style: {
        width: 1.2,
        "line-color": "#9ca3af",
        "target-arrow-color": "#9ca3af",
        "target-arrow-shape": "triangle",
        "arrow-scale": 0.8,
        "curve-style": "straight",
      },
    },
    {
      selector: "edge.labelled",
      style: {
        label: "data(label)",
        "font-size": 9,
        "min-zoomed-font-size": 8,
        "font-family": FONT,
        color: "#4b5563",
        "text-rotation": "autorotate",
        "text-background-color": "#ffffff",
        "text-background-opacity": 0.8,
      },
    },
    { selector: "edge.fast", style: { "curve-style": "haystack", "haystack-radius": 0, "target-arrow-shape": "none" } },
    { selector: "edge[status = 'unconfirmed']", style: { "line-style": "dashed", "line-color": "#d97706", "target-arrow-color": "#d97706" } },
    { selector: ".faded", style: { opacity: 0.18 } },
    { selector: ".filtered-out", style: { opacity: 0.12 } },
    { selector: "edge.focus", style: { label: "data(label)", "font-size": 9, color: "#374151", "text-rotation": "autorotate",
      "text-background-color": "#ffffff", "text-background-opacity": 0.9, "z-index": 8 } },
    { selector: "node.derived", style: { "border-width": 4, "border-style": "double", "border-color": "#7c3aed", "z-index": 10 } },
    { selector: "edge.derived", style: { width: 2.5, "line-style": "dotted", "line-color": "#7c3aed", "target-arrow-color": "#7c3aed", "z-index": 9 } },
    { selector: "node.result, node.param", style: { "border-width": 4, "border-color": "#facc15", "z-index": 10 } },
    { selector: "node.param", style: { "border-color": "#2563eb", width: 34, height: 34 } },
    { selector: "edge.evidence", style: { width: 3, "line-color": "#eab308", "target-arrow-color": "#eab308", "z-index": 9 } },
    { selector: "node.path", style: { "border-width": 4, "border-color": "#dc2626", "z-index": 10 } },
    { selector: "edge.path", style: { width: 4, "line-color": "#dc2626", "target-arrow-color": "#dc2626", "z-index": 9 } },
    { selector: "node.diff-added", style: { "border-width": 4, "border-style": "solid", "border-color": "#16a34a", "z-index": 10 } },
    { selector: "node.diff-changed", style: { "border-width": 4, "border-style": "double", "border-color": "#ea580c", "z-index": 10 } },
    { selector: "node.diff-not-stated", style: { "border-width": 3, "border-style": "dashed", "border-color": "#dc2626", opacity: 0.8 } },
    { selector: "node.diff-unchanged, node.diff-context", style: { opacity: 0.45 } },
    { selector: "edge.diff-added", style: { width: 2.5, "line-color": "#16a34a", "target-arrow-color": "#16a34a" } },
    { selector: "edge.diff-changed", style: { width: 2.5, "line-color": "#ea580c", "target-arrow-color": "#ea580c" } },
    { selector: "edge.diff-not-stated", style: { width: 2, "line-style": "dashed", "line-color": "#dc2626", "target-arrow-color": "#dc2626" } },
    { selector: "edge.diff-unchanged", style: { opacity: 0.45 } },
    { selector: ":selected", style: { "overlay-color": "#2563eb", "overlay-opacity": 0.25, "overlay-padding": 6 } },
  ];
}

export function createGraph(container, styles) {
  return cytoscape({
    container,
    style: stylesheet(styles),
    minZoom: 0.02,
    maxZoom: 4,
    textureOnViewport: true, // pan/zoom a cached bitmap instead of redrawing thousands of nodes
    hideEdgesOnViewport: true,
    motionBlur: false,
    selectionType: "single",
    boxSelectionEnabled: false,
  });
}

export function edgeId(edge) {
  return `${edge.source}|${edge.relation}|${edge.target}`;
}

function nodeData(entity, label, via) {
  return {
    id: entity.id,
    type: entity.type,
    labels: entity.labels ?? {},
    label,
    status: entity.status ?? "confirmed",
    sources: entity.sources ?? [],
    via,
  };
}

/**
 * Add a subgraph's nodes and edges that are not there yet. `via` is the node whose expansion
 * brought them (null for a fresh view); it is recorded so collapsing can remove them again.
 */
export function mergeSubgraph(cy, subgraph, { via = null, labelOf, relationLabel, near = null }) {
  const fresh = [];
  const center = near ?? { x: cy.width() / 2, y: cy.height() / 2 };
  for (const entity of subgraph.nodes) {
    const existing = cy.getElementById(entity.id);
    if (existing.nonempty()) {
      const vias = existing.data("via");
      if (via && entity.id !== via && !vias.includes(via) && !vias.includes(ROOT_VIA)) {
        existing.data("via", [...vias, via]);
      }
      continue;
    }
    const position = { x: center.x + (Math.random() - 0.5) * 80, y: center.y + (Math.random() - 0.5) * 80 };
    fresh.push({ group: "nodes", data: nodeData(entity, labelOf(entity), [via ?? ROOT_VIA]), position });
  }
  for (const edge of subgraph.edges) {
    if (cy.getElementById(edgeId(edge)).nonempty()) continue;
    fresh.push({
      group: "edges",
      data: {
        id: edgeId(edge),
        source: edge.source,
        target: edge.target,
        relation: edge.relation,
        label: relationLabel(edge.relation),
        status: edge.status ?? "confirmed",
        sources: edge.sources ?? [],
      },
    });
  }
  // Edges can only be added once both ends exist; a partial subgraph may miss an end.
  const present = new Set([...cy.nodes().map((n) => n.id()), ...fresh.filter((e) => e.group === "nodes").map((e) => e.data.id)]);
  const elements = fresh.filter((e) => e.group === "nodes" || (present.has(e.data.source) && present.has(e.data.target)));
  let added = cy.collection();
  cy.batch(() => {
    added = cy.add(elements);
  });
  return added;
}

/** Remove the nodes that are only in the graph because `id` was expanded (recursively). */
export function collapseNode(cy, id) {
  const node = cy.getElementById(id);
  node.removeClass("expanded");
  const doomed = [];
  const visit = (expander) => {
    cy.nodes().forEach((other) => {
      const vias = other.data("via");
      if (!vias.includes(expander)) return;
      const remaining = vias.filter((v) => v !== expander);
      other.data("via", remaining);
      if (remaining.length === 0 && !doomed.includes(other)) {
        doomed.push(other);
        visit(other.id());
      }
    });
  };
  cy.batch(() => {
    visit(id);
    for (const other of doomed) other.remove();
  });
  return doomed.length;
}

export function isLarge(cy) {
  return cy.nodes().length > LARGE;
}

/**
 * Small graphs get edge labels and arrows; mid-size ones edge labels only around the focused node
 * (edge.focus); large ones the cheapest drawing (haystack edges, plain labels).
 */
export function adaptToSize(cy) {
  const large = isLarge(cy) || cy.edges().length > LARGE;
  cy.batch(() => {
    cy.edges().toggleClass("labelled", cy.edges().length <= EDGE_LABELS);
    cy.elements().toggleClass("fast", large);
  });
}

/** Label edges around one node (selected or hovered) when the graph is too dense to label them all. */
export function focusEdges(cy, node) {
  cy.batch(() => {
    cy.edges(".focus").removeClass("focus");
    if (node && cy.edges().length > EDGE_LABELS && !isLarge(cy)) node.connectedEdges().addClass("focus");
  });
}

/** Chinese labels wrap at any character (they have no spaces); English ones at spaces. */
export function setLabelScript(cy, cjk) {
  cy.batch(() => cy.nodes().toggleClass("cjk", cjk));
}

/** Resolve after the next frame Cytoscape draws (or after a timeout if nothing is drawn). */
export function nextRender(cy, timeoutMs = 5000) {
  return new Promise((resolve) => {
    let done = false;
    const finish = () => {
      if (!done) {
        done = true;
        resolve();
      }
    };
    cy.one("render", finish);
    setTimeout(finish, timeoutMs);
  });
}
