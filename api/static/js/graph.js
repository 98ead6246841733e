// The graph view: cytoscape's style, nodes and edges from the API, neighbourhoods merged on
// each click (at most MAX_NEW_NODES_PER_EXPANSION new nodes), laid out with fCoSE so that the
// labels of a 40-node neighbourhood stay readable, and the legend.
import cytoscape from "../vendor/cytoscape.esm.min.js";
import { ApiError, api, showNote, withBusy } from "./api.js";
import {
  CITATION_EDGES,
  FIT_MAX_ZOOM,
  FIT_PADDING,
  FONT,
  KIND_PRIORITY,
  KINDS,
  LEVELS,
  MAX_CANVAS_NODES,
  MAX_NEW_NODES_PER_EXPANSION,
  MAX_ZOOM,
  NEIGHBORHOOD_FETCH_LIMIT,
  RELATION_TYPES,
  STUB,
  kindInfo,
  levelInfo,
} from "./config.js";
import { $, h, wrapLabel } from "./dom.js";
import { classLabel, levelLabel, relationLabel, t } from "./i18n.js";
import { state } from "./state.js";

function graphStyle() {
  return [
    {
      selector: "node",
      style: {
        label: "data(label)",
        "font-family": FONT,
        "font-size": 11,
        color: "#263238",
        "text-valign": "bottom",
        "text-margin-y": 4,
        "text-wrap": "wrap",
        "text-max-width": 400, // lines are broken by wrapLabel
        "text-background-color": "#ffffff",
        "text-background-opacity": 0.85,
        "text-background-padding": 2,
        "text-background-shape": "roundrectangle",
        "min-zoomed-font-size": 6,
        shape: "data(shape)",
        width: "data(w)",
        height: "data(h)",
        "background-color": "data(color)",
        "border-color": "data(border)",
        "border-width": 2,
      },
    },
    // tasks and targets are many: their labels appear once zoomed in enough to read them
    { selector: 'node[kind = "Task"], node[kind = "Target"]', style: { "min-zoomed-font-size": 10 } },
    { selector: 'node[kind = "Document"], node[kind = "Agency"]', style: { "font-size": 12, "font-weight": 500 } },
    { selector: "node.stub", style: { "border-style": "dashed", color: "#546e7a" } },
    { selector: "node.center", style: { "border-width": 3, "border-color": "#263238" } },
    {
      selector: "node.box",
      style: {
        shape: "round-rectangle",
        width: 172,
        height: 60,
        "background-color": "data(tint)",
        "border-color": "data(color)",
        "border-width": 2,
        "text-valign": "center",
        "text-margin-y": 0,
        "text-max-width": 400,
        "text-background-opacity": 0,
        "font-size": 13,
        "line-height": 1.3,
      },
    },
    { selector: "node.box.stub", style: { "border-color": STUB.color, "background-color": STUB.tint } },
    { selector: "node.box.root", style: { "border-width": 4, "font-weight": "bold" } },
    {
      selector: "node:selected",
      style: { "underlay-color": "#fbc02d", "underlay-opacity": 0.45, "underlay-padding": 7 },
    },
    {
      selector: "edge",
      style: {
        width: 1.3,
        "line-color": "#b0bec5",
        "target-arrow-color": "#b0bec5",
        "source-arrow-color": "#b0bec5",
        "target-arrow-shape": "triangle",
        "arrow-scale": 0.8,
        "curve-style": "bezier",
        "font-family": FONT,
        "font-size": 9,
        color: "#546e7a",
        "text-rotation": "autorotate",
        "text-background-color": "#ffffff",
        "text-background-opacity": 0.9,
        "text-background-padding": 1,
      },
    },
    { selector: "edge.doclink", style: { label: "data(label)", "line-color": "#90a4ae" } },
    { selector: "edge.hover, edge:selected", style: { label: "data(label)", "line-color": "#546e7a", width: 2 } },
    {
      selector: "edge.lineage",
      style: {
        label: "",
        "curve-style": "taxi",
        "taxi-direction": "downward",
        "taxi-turn": "50%",
        "target-arrow-shape": "none",
        "source-arrow-shape": "triangle",
        "line-color": "#78909c",
        "source-arrow-color": "#78909c",
        width: 1.6,
        "font-size": 11,
        "text-rotation": "none",
        color: "#37474f",
      },
    },
    // the label goes at the end that is not shared by siblings, or the labels would pile up
    { selector: "edge.lineage.label-low", style: { "target-label": "data(label)", "target-text-offset": 32 } },
    { selector: "edge.lineage.label-high", style: { "source-label": "data(label)", "source-text-offset": 32 } },
    { selector: "edge.repeals", style: { "line-style": "dashed", "line-color": "#c62828" } },
    { selector: ".faded", style: { opacity: 0.25 } },
  ];
}

export function createGraph() {
  return cytoscape({
    container: $("cy"),
    elements: [],
    style: graphStyle(),
    minZoom: 0.08,
    maxZoom: MAX_ZOOM,
    boxSelectionEnabled: false,
    selectionType: "single",
  });
}

// --- elements ---

export function nodeLook(kind, level, stub) {
  const info = kindInfo(kind);
  if (kind !== "Document") return { shape: info.shape, w: info.w, h: info.h, color: info.color, border: info.color };
  if (stub) return { shape: info.shape, w: info.w, h: info.h, color: STUB.fill, border: STUB.color, tint: STUB.tint };
  const lv = levelInfo(level);
  return { shape: info.shape, w: info.w, h: info.h, color: lv.color, border: lv.color, tint: lv.tint };
}

function graphNodeElement(node) {
  const props = node.properties || {};
  const stub = Boolean(props.stub);
  const look = nodeLook(node.type, props.level, stub);
  return {
    group: "nodes",
    data: { id: node.id, kind: node.type, label: wrapLabel(node.label, 11, 2), full: node.label, props, ...look },
    classes: stub ? "stub" : "",
  };
}

// A citation edge is labelled with its relation (依据, 贯彻落实, …), any other with its type.
export function relationTypeLabel(relation) {
  return relationLabel(RELATION_TYPES[relation] || relation?.toUpperCase());
}

function edgeLabel(type, props) {
  const relation = props && props.relation;
  if (relation && RELATION_TYPES[relation]) return relationTypeLabel(relation);
  return relationLabel(type);
}

function graphEdgeElement(edge) {
  const props = edge.properties || {};
  return {
    group: "edges",
    data: { id: edge.id, source: edge.source, target: edge.target, type: edge.type, label: edgeLabel(edge.type, props), props },
    classes: [CITATION_EDGES.has(edge.type) ? "doclink" : "", edge.type === "REPEALS" ? "repeals" : ""]
      .join(" ")
      .trim(),
  };
}

// After a change of language: the edges' words (nodes carry the documents' own titles).
export function relabelEdges(cy) {
  cy.edges().forEach((e) => {
    const relations = e.data("relations");
    e.data("label", relations ? relations.map(relationTypeLabel).join(" / ") : edgeLabel(e.data("type"), e.data("props")));
  });
}

function byPriority(a, b) {
  const pa = KIND_PRIORITY.indexOf(a.type);
  const pb = KIND_PRIORITY.indexOf(b.type);
  return (pa < 0 ? 99 : pa) - (pb < 0 ? 99 : pb);
}

// The neighbors to draw now: those not on the canvas yet, most informative kinds first.
function pickNewNodes(cy, hood) {
  const fresh = hood.nodes.filter((n) => n.id !== hood.center && cy.getElementById(n.id).empty());
  fresh.sort(byPriority);
  const room = Math.max(0, MAX_CANVAS_NODES - cy.nodes().length);
  const take = Math.min(MAX_NEW_NODES_PER_EXPANSION, room);
  return { chosen: fresh.slice(0, take), total: fresh.length, canvasFull: room < fresh.length && room < take + 1 };
}

// First positions for new nodes: rings around the expanded node, facing away from the rest of
// the graph; fCoSE then spreads them (layoutAdded) while what was drawn before stays put.
function placeAround(cy, center, added) {
  const c = center.position();
  const nodes = added.toArray();
  const others = cy.nodes().not(center).not(added);
  let facing = 0;
  let spread = 2 * Math.PI;
  if (others.length > 0) {
    const bb = others.boundingBox();
    facing = Math.atan2(c.y - (bb.y1 + bb.y2) / 2, c.x - (bb.x1 + bb.x2) / 2);
    spread = (4 * Math.PI) / 3;
  }
  const full = spread > 2 * Math.PI - 1e-6;
  let placed = 0;
  for (let ring = 0; placed < nodes.length; ring += 1) {
    const radius = 190 + ring * 110;
    const capacity = Math.max(6, Math.floor((spread * radius) / 120)); // room for a two-line label
    const count = Math.min(capacity, nodes.length - placed);
    for (let i = 0; i < count; i += 1) {
      const angle = full
        ? facing + (i / count) * spread + ring * 0.35
        : facing - spread / 2 + ((i + 0.5) / count) * spread;
      nodes[placed + i].position({ x: c.x + radius * Math.cos(angle), y: c.y + radius * Math.sin(angle) });
    }
    placed += count;
  }
}

const FCOSE = {
  name: "fcose",
  quality: "proof",
  animate: false,
  fit: false,
  nodeDimensionsIncludeLabels: true, // labels take room, so they do not overlap
  // measured on the sample corpus's 41-node agency neighbourhood (three random starts each):
  // repulsion 9000 / edge 120 left 13-15 label boxes overlapping, 20000 / 160 one to six,
  // 45000 / 200 none, at a fitted zoom of 0.78 (tests/test_browser_share.py)
  nodeRepulsion: () => 45000,
  idealEdgeLength: () => 200,
  nodeSeparation: 200,
  edgeElasticity: () => 0.3,
  gravity: 0.2,
  numIter: 3000,
  tile: true,
};

// Lay out the whole canvas (a new neighbourhood) or only what was just added, with the nodes
// drawn before fixed where the user saw them.
export function layoutGraph(cy, added = null) {
  if (cy.nodes().length < 2) return;
  if (!added) {
    cy.layout({ ...FCOSE, randomize: true }).run();
    return;
  }
  if (added.empty()) return;
  const fixed = cy
    .nodes()
    .not(added)
    .map((n) => ({ nodeId: n.id(), position: { ...n.position() } }));
  cy.layout({ ...FCOSE, randomize: false, fixedNodeConstraint: fixed }).run();
}

function mergeNeighborhood(cy, hood) {
  const { chosen, total, canvasFull } = pickNewNodes(cy, hood);
  let center = cy.getElementById(hood.center);
  if (center.empty()) {
    const own = hood.nodes.find((n) => n.id === hood.center);
    if (!own) throw new ApiError(404, t("note.notInHood", { id: hood.center }));
    center = cy.add(graphNodeElement(own));
    center.position({ x: 0, y: 0 });
  }
  const added = cy.add(chosen.map(graphNodeElement));
  const edges = hood.edges.filter(
    (e) =>
      cy.getElementById(e.id).empty() && !cy.getElementById(e.source).empty() && !cy.getElementById(e.target).empty(),
  );
  cy.add(edges.map(graphEdgeElement));
  placeAround(cy, center, added);
  return { center, added, total, canvasFull };
}

function expansionNote(shown, total, canvasFull) {
  if (canvasFull) return t("note.canvasFull", { n: state.cy.nodes().length, max: MAX_CANVAS_NODES });
  if (total > shown) return t("note.more", { shown, total, per: MAX_NEW_NODES_PER_EXPANSION });
  return "";
}

// Fit without zooming in past a comfortable reading size (a 3-node graph would fill the screen).
export function fitView(eles, animate = true) {
  const cy = state.cy;
  cy.maxZoom(FIT_MAX_ZOOM);
  if (!animate) {
    cy.fit(eles, FIT_PADDING);
    cy.maxZoom(MAX_ZOOM);
    return;
  }
  cy.animate({ fit: { eles, padding: FIT_PADDING } }, { duration: 250, complete: () => cy.maxZoom(MAX_ZOOM) });
}

function focusOn(cy, eles) {
  fitView(cy.nodes().length <= 120 ? cy.elements() : eles);
}

// Draw a node's neighbourhood (`reset`: on an empty canvas) and answer the node's element.
// The caller has switched the canvas to the explore view.
export async function expand(id, { reset = false, depth = 1 } = {}) {
  const cy = state.cy;
  const hood = await withBusy(api("graph/neighborhood", { node: id, depth, limit: NEIGHBORHOOD_FETCH_LIMIT }));
  if (reset) {
    cy.elements().remove();
    state.expanded.clear();
  }
  const { center, added, total, canvasFull } = mergeNeighborhood(cy, hood);
  layoutGraph(cy, reset ? null : added);
  cy.nodes().removeClass("center");
  center.addClass("center");
  state.exploreCenter = id;
  state.exploreDepth = depth;
  state.expanded.set(id, (state.expanded.get(id) || 0) + added.length);
  showNote(expansionNote(added.length, total, canvasFull));
  updateEmpty();
  if (reset) fitView(cy.elements(), false);
  else focusOn(cy, center.closedNeighborhood());
  selectOnCanvas(id);
  return center;
}

export function selectOnCanvas(id) {
  const cy = state.cy;
  cy.$(":selected").unselect();
  const node = cy.getElementById(id);
  if (node.nonempty()) node.select();
}

export function updateEmpty() {
  $("empty").hidden = state.cy.nodes().nonempty();
}

// --- legend ---

function swatch(shape, color, border, dashed = false) {
  return h("span", {
    class: `swatch shape-${shape}${dashed ? " dashed" : ""}`,
    style: `--fill:${color};--stroke:${border}`,
  });
}

export function renderLegend() {
  const docs = LEVELS.map((l) =>
    h("li", {}, swatch("round-rectangle", l.color, l.color), t("legend.level", { level: levelLabel(l.key) })),
  );
  docs.push(h("li", {}, swatch("round-rectangle", STUB.fill, STUB.color, true), t("legend.stub")));
  const kinds = ["Agency", "Task", "Target"].map((k) =>
    h("li", {}, swatch(KINDS[k].shape, KINDS[k].color, KINDS[k].color), classLabel(k)),
  );
  $("legend").replaceChildren(
    h(
      "details",
      { open: true },
      h("summary", {}, t("legend.title")),
      h("ul", {}, docs, kinds),
      h("p", { class: "legend-hint" }, t("legend.hint")),
    ),
  );
}
