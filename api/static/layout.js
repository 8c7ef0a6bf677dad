// Layouts that suit the data, label-box overlap removal, and fitting the view after every change.
//
// "auto" picks by what is drawn: dagre (a hierarchy, left to right) for plan overviews, paths and
// query answers; concentric rings for a hub with many neighbours; fcose (force-directed, sized by
// node + label boxes) for a general neighbourhood; a linear-time spiral past LARGE nodes. After any
// layout of a readable-size graph, overlapping node+label boxes are pushed apart, then the view fits.

/* global cytoscape */

export const LARGE = 300; // above this many nodes: spiral layout, no overlap pass, cheapest drawing
const MAX_FIT_ZOOM = 1.4; // a handful of nodes should not be blown up to fill the screen
const GAP = 6; // minimum distance between two nodes' label boxes, in model pixels

/** Register the layout extensions loaded by index.html (UMD globals), once. */
export function registerExtensions() {
  if (typeof cytoscape !== "function") return;
  if (window.cytoscapeDagre && !cytoscape("layout", "dagre")) cytoscape.use(window.cytoscapeDagre);
  if (window.cytoscapeFcose && !cytoscape("layout", "fcose")) cytoscape.use(window.cytoscapeFcose);
}

const available = (name) => typeof cytoscape === "function" && Boolean(cytoscape("layout", name));

/** A hub: one node linked to most of the others (a neighbourhood of a well-connected entity). */
function isHub(cy) {
  const count = cy.nodes().length;
  if (count < 10) return false;
  const hub = cy.nodes().max((node) => node.degree(false));
  return hub.value >= 0.6 * (count - 1);
}

/** The layout actually used for `name` ("auto" or one the reader chose) and the view's shape (`hint`). */
export function effectiveLayout(cy, name, hint = "force") {
  const count = cy.nodes().length;
  if (count > LARGE && name !== "grid" && name !== "circle") return "spiral";
  if (name !== "auto") return name === "dagre" && !available("dagre") ? "breadthfirst" : name === "fcose" && !available("fcose") ? "cose" : name;
  if (hint === "tree" || hint === "path") return available("dagre") ? "dagre" : "breadthfirst";
  if (isHub(cy)) return "concentric";
  return available("fcose") ? "fcose" : "cose";
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

function layoutOptions(cy, chosen, hint) {
  const roots = cy.nodes(".root, .param, .plan-root");
  const common = { name: chosen, animate: false, fit: false, padding: 30, nodeDimensionsIncludeLabels: true };
  switch (chosen) {
    case "fcose":
      return {
        ...common,
        quality: "default",
        randomize: cy.nodes().length > 0 && !cy.scratch("plankgLaidOut"),
        nodeRepulsion: () => 12000,
        idealEdgeLength: () => 110,
        nodeSeparation: 90,
        packComponents: true,
        numIter: 2500,
      };
    case "cose":
      return { ...common, randomize: false, nodeRepulsion: () => 12000, idealEdgeLength: () => 110, numIter: 800 };
    case "dagre":
      // left to right: a level's many siblings stack in a column, where their labels (wider than tall) fit
      return { ...common, rankDir: "LR", nodeSep: 10, rankSep: 90, edgeSep: 8, spacingFactor: 1 };
    case "concentric":
      return {
        ...common,
        concentric: (node) => (node.hasClass("root") || node.hasClass("param") ? 1e6 : node.hasClass("expanded") ? 1e3 : node.degree()),
        levelWidth: () => 1,
        minNodeSpacing: 14,
        avoidOverlap: true,
      };
    case "breadthfirst":
      return { ...common, directed: hint === "tree", roots: roots.nonempty() ? roots : undefined, spacingFactor: 1.1, avoidOverlap: true };
    case "circle":
    case "grid":
      return { ...common, avoidOverlap: true };
    default:
      return common;
  }
}

/** Lay the graph out, separate overlapping labels and fit the view; returns the layout used. */
export function runLayout(cy, name = "auto", hint = "force") {
  if (cy.nodes().empty()) return null;
  const chosen = effectiveLayout(cy, name, hint);
  if (chosen === "spiral") {
    // set positions directly: the layout machinery's per-node events cost more than the spiral itself
    const positions = spiralPositions(cy);
    cy.batch(() => cy.nodes().positions((node) => positions.get(node.id())));
  } else {
    cy.layout(layoutOptions(cy, chosen, hint)).run();
    cy.scratch("plankgLaidOut", true);
  }
  separateLabels(cy);
  fitGraph(cy);
  return chosen;
}

/** Each node's box including its label, padded by half the gap, relative to its position. */
function labelBoxes(cy) {
  return cy.nodes().map((node) => {
    const { x, y } = node.position();
    const box = node.boundingBox({ includeLabels: true, includeOverlays: false });
    return { node, x, y, l: box.x1 - x - GAP / 2, r: box.x2 - x + GAP / 2, t: box.y1 - y - GAP / 2, b: box.y2 - y + GAP / 2 };
  });
}

/**
 * Push apart nodes whose label boxes overlap, along the axis of least overlap, until none do
 * (a sweep over boxes sorted by their left edge, repeated). Returns the number of passes used.
 */
export function separateLabels(cy, maxPasses = 200) {
  if (cy.nodes().length > LARGE || cy.nodes().length < 2) return 0;
  const boxes = labelBoxes(cy);
  let pass = 0;
  for (; pass < maxPasses; pass++) {
    let moved = false;
    boxes.sort((a, b) => a.x + a.l - (b.x + b.l));
    for (let i = 0; i < boxes.length; i++) {
      const a = boxes[i];
      for (let j = i + 1; j < boxes.length; j++) {
        const b = boxes[j];
        if (b.x + b.l >= a.x + a.r) break;
        const overlapX = Math.min(a.x + a.r, b.x + b.r) - Math.max(a.x + a.l, b.x + b.l);
        const overlapY = Math.min(a.y + a.b, b.y + b.b) - Math.max(a.y + a.t, b.y + b.t);
        if (overlapX <= 0 || overlapY <= 0) continue;
        moved = true;
        if (overlapX < overlapY) {
          const push = overlapX / 2 + 0.5;
          const sign = a.x <= b.x ? 1 : -1;
          a.x -= sign * push;
          b.x += sign * push;
        } else {
          const push = overlapY / 2 + 0.5;
          const sign = a.y < b.y || (a.y === b.y && i < j) ? 1 : -1;
          a.y -= sign * push;
          b.y += sign * push;
        }
      }
    }
    if (!moved) break;
  }
  cy.batch(() => { for (const box of boxes) box.node.position({ x: box.x, y: box.y }); });
  return pass;
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

/** Zoom to fit every node and its label, without blowing a handful of nodes up to fill the screen. */
export function fitGraph(cy, padding = 30) {
  if (cy.nodes().empty() || cy.width() === 0) return;
  const large = cy.nodes().length > LARGE;
  const box = large ? centreBox(cy) : cy.nodes().boundingBox({ includeLabels: true, includeOverlays: false });
  const w = large ? box.w : box.w;
  const h = large ? box.h : box.h;
  const fitted = Math.min((cy.width() - 2 * padding) / Math.max(w, 1), (cy.height() - 2 * padding) / Math.max(h, 1));
  const zoom = Math.max(cy.minZoom(), Math.min(MAX_FIT_ZOOM, fitted));
  cy.viewport({ zoom, pan: { x: cy.width() / 2 - zoom * (box.x1 + w / 2), y: cy.height() / 2 - zoom * (box.y1 + h / 2) } });
}
