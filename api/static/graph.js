// The Cytoscape graph: styles derived from the schema, merging API subgraphs, expand/collapse, layouts.

/* global cytoscape */

// Colour-blind-friendly-ish palette (Tableau 10 + 2) and shapes; 12 and 7 are coprime, so the
// first 84 types all get a distinct (colour, shape) pair and the first 12 a distinct colour.
const PALETTE = [
  "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948",
  "#b07aa1", "#ff9da7", "#9c755f", "#86bcb6", "#2f4b7c", "#d37295",
];
export const SHAPES = ["ellipse", "round-rectangle", "diamond", "triangle", "hexagon", "star", "pentagon"];
const LARGE = 300; // above this many nodes: fast layout, no edge labels
const ROOT_VIA = "__root__";

/** type name -> {color, shape}, assigned by position in the sorted list of schema types. */
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
        "text-wrap": "ellipsis",
        "text-max-width": 140,
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
        "min-zoomed-font-size": 9,
        color: "#4b5563",
        "text-rotation": "autorotate",
        "text-background-color": "#ffffff",
        "text-background-opacity": 0.8,
      },
    },
    { selector: "edge.fast", style: { "curve-style": "haystack", "haystack-radius": 0, "target-arrow-shape": "none" } },
    { selector: "edge[status = 'unconfirmed']", style: { "line-style": "dashed", "line-color": "#d97706", "target-arrow-color": "#d97706" } },
    { selector: ".faded", style: { opacity: 0.18 } },
    { selector: "node.result, node.param", style: { "border-width": 4, "border-color": "#facc15", "z-index": 10 } },
    { selector: "node.param", style: { "border-color": "#2563eb", width: 34, height: 34 } },
    { selector: "edge.evidence", style: { width: 3, "line-color": "#eab308", "target-arrow-color": "#eab308", "z-index": 9 } },
    { selector: "node.path", style: { "border-width": 4, "border-color": "#dc2626", "z-index": 10 } },
    { selector: "edge.path", style: { width: 4, "line-color": "#dc2626", "target-arrow-color": "#dc2626", "z-index": 9 } },
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

const COSE_LIMIT = 600; // cose is quadratic per iteration: past this it would freeze the page for seconds

/** The layout actually used: "auto" is cose for small graphs and the O(n) spiral for large ones. */
export function effectiveLayout(cy, name) {
  const count = cy.nodes().length;
  if (name === "auto") return count > LARGE ? "spiral" : "cose";
  if (name === "cose" && count > COSE_LIMIT) return "spiral";
  return name;
}

function centres(cy) {
  const marked = cy.nodes(".root, .param");
  if (marked.nonempty()) return marked.toArray();
  const hub = cy.nodes().max((node) => node.degree());
  return hub.ele ? [hub.ele] : [];
}

/**
 * Positions on a sunflower (Vogel) spiral: the centre node(s) first, then nodes by hop distance,
 * type and id, so rings of neighbours form around the centre. Linear time, dense and even.
 */
function spiralPositions(cy) {
  const distance = new Map();
  let frontier = centres(cy);
  for (const node of frontier) distance.set(node.id(), 0);
  while (frontier.length) {
    const next = [];
    for (const node of frontier) {
      node.neighborhood("node").forEach((other) => {
        if (!distance.has(other.id())) {
          distance.set(other.id(), distance.get(node.id()) + 1);
          next.push(other);
        }
      });
    }
    frontier = next;
  }
  const key = (node) => [distance.get(node.id()) ?? Number.MAX_SAFE_INTEGER, node.data("type"), node.id()];
  const ordered = cy.nodes().toArray().map((node) => [key(node), node]).sort(([a], [b]) =>
    a[0] - b[0] || (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0) || (a[2] < b[2] ? -1 : 1));
  const golden = Math.PI * (3 - Math.sqrt(5));
  const positions = new Map();
  ordered.forEach(([, node], i) => {
    const radius = 28 * Math.sqrt(i);
    positions.set(node.id(), { x: radius * Math.cos(i * golden), y: radius * Math.sin(i * golden) });
  });
  return positions;
}

function layoutOptions(cy, chosen) {
  const roots = cy.nodes(".root, .param");
  const common = { name: chosen, animate: false, fit: false, padding: 30 };
  switch (chosen) {
    case "cose":
      return { ...common, randomize: false, nodeRepulsion: () => 9000, idealEdgeLength: () => 90, numIter: 800 };
    case "concentric":
      return {
        ...common,
        concentric: (node) => (node.hasClass("root") || node.hasClass("param") ? 1e6 : node.degree()),
        levelWidth: () => 1,
        minNodeSpacing: 6,
        avoidOverlap: !isLarge(cy),
      };
    case "breadthfirst":
      return { ...common, directed: false, roots: roots.nonempty() ? roots : undefined, spacingFactor: 1.1 };
    default:
      return common;
  }
}

const MAX_FIT_ZOOM = 1.4; // a handful of nodes should not be blown up to fill the screen

/** Lay the graph out and fit it; returns the layout used (see effectiveLayout). */
export function runLayout(cy, name = "auto") {
  const chosen = effectiveLayout(cy, name);
  if (chosen === "spiral") {
    // set positions directly: the layout machinery's per-node events cost more than the spiral itself
    const positions = spiralPositions(cy);
    cy.batch(() => cy.nodes().positions((node) => positions.get(node.id())));
  } else {
    cy.layout(layoutOptions(cy, chosen)).run();
  }
  fitGraph(cy);
  return chosen;
}

/** The extent of the node centres: much cheaper than cy's boundingBox, which measures every node's style. */
function centreBox(cy) {
  let [x1, y1, x2, y2] = [Infinity, Infinity, -Infinity, -Infinity];
  cy.nodes().forEach((node) => {
    const { x, y } = node.position();
    x1 = Math.min(x1, x);
    y1 = Math.min(y1, y);
    x2 = Math.max(x2, x);
    y2 = Math.max(y2, y);
  });
  return { x1, y1, w: x2 - x1, h: y2 - y1 };
}

/** Zoom to fit the nodes, without blowing a handful of nodes up to fill the screen. */
export function fitGraph(cy, padding = 50) {
  if (cy.nodes().empty()) return;
  const box = centreBox(cy);
  const fitted = Math.min((cy.width() - 2 * padding) / Math.max(box.w, 1), (cy.height() - 2 * padding) / Math.max(box.h, 1));
  const zoom = Math.max(cy.minZoom(), Math.min(MAX_FIT_ZOOM, fitted));
  cy.viewport({
    zoom,
    pan: { x: cy.width() / 2 - zoom * (box.x1 + box.w / 2), y: cy.height() / 2 - zoom * (box.y1 + box.h / 2) },
  });
}

/** Small graphs get edge labels and arrows; large ones the cheapest drawing (haystack edges, plain labels). */
export function adaptToSize(cy) {
  const large = isLarge(cy) || cy.edges().length > LARGE;
  cy.batch(() => {
    cy.edges().toggleClass("labelled", !large);
    cy.elements().toggleClass("fast", large);
  });
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
