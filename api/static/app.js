// PolicyKG graph browser: search, explore neighborhoods, lineage trees, provenance, agency tasks.
// Plain ES module; the two libraries are vendored by api/build_static.py (no CDN, works offline).
import cytoscape from "./vendor/cytoscape.esm.min.js";
import cytoscapeDagre from "./vendor/cytoscape-dagre.esm.min.js";

cytoscape.use(cytoscapeDagre);

// ---------------------------------------------------------------------------------------------
// Limits that keep the page responsive on a graph of many thousands of documents: nothing is
// fetched up front, each click asks for one neighborhood, and only so much of it is drawn.
// ---------------------------------------------------------------------------------------------
const SEARCH_DEBOUNCE_MS = 250;
const SEARCH_LIMIT_DOCS = 8;
const SEARCH_LIMIT_AGENCIES = 6;
const MAX_NEW_NODES_PER_EXPANSION = 40; // a second click on the same node draws the next batch
const NEIGHBORHOOD_FETCH_LIMIT = 300;
const MAX_CANVAS_NODES = 600; // beyond this, ask the user to clear instead of slowing down
const LINEAGE_DEPTH = 4;
const MAX_LINEAGE_ENTRIES = 300;
const PANEL_LIST_PAGE = 30;
const MAX_ZOOM = 3;
const FIT_MAX_ZOOM = 1.1;
const LINEAGE_MIN_ZOOM = 0.8;
const FIT_PADDING = 70; // leaves the legend's corner mostly free

const FONT = '"Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif';

// One table drives both the graph style and the legend, so they cannot disagree.
const LEVELS = [
  { key: "national", zh: "国家级", color: "#c62828", tint: "#fdecea" },
  { key: "provincial", zh: "省级", color: "#ef6c00", tint: "#fff3e0" },
  { key: "municipal", zh: "市级", color: "#1565c0", tint: "#e3f2fd" },
  { key: "county", zh: "县级", color: "#2e7d32", tint: "#e8f5e9" },
];
const UNKNOWN_LEVEL = { key: "unknown", zh: "级别未知", color: "#607d8b", tint: "#eceff1" };
const STUB = { color: "#90a4ae", fill: "#eceff1", tint: "#f5f6f7" };

const KINDS = {
  Document: { zh: "文件", shape: "round-rectangle", w: 34, h: 24 },
  Agency: { zh: "机构", shape: "ellipse", color: "#6a1b9a", w: 26, h: 26 },
  Task: { zh: "任务", shape: "diamond", color: "#00838f", w: 22, h: 22 },
  Target: { zh: "目标指标", shape: "star", color: "#ad1457", w: 26, h: 26 },
  Jurisdiction: { zh: "行政区", shape: "barrel", color: "#8d6e63", w: 24, h: 20 },
  Indicator: { zh: "指标", shape: "pentagon", color: "#9e9d24", w: 22, h: 22 },
};
const OTHER_KIND = { zh: "其他", shape: "ellipse", color: "#78909c", w: 20, h: 20 };
// Drawn first when a neighborhood is larger than the per-expansion cap.
const KIND_PRIORITY = ["Document", "Agency", "Target", "Task", "Jurisdiction", "Indicator"];

const RELATIONS = {
  based_on: "依据 · based on",
  ensures_implementation_of: "贯彻落实 · implements",
  applies: "参照 · applies",
  cites: "引用 · cites",
  repeals: "废止 · repeals",
};
// Relationship types of ontology.ttl (pkg:neo4jType) and their rdfs:label@zh.
const EDGE_TYPES = {
  CITES: "引用",
  BASED_ON: "依据",
  ENSURES_IMPLEMENTATION_OF: "贯彻落实",
  APPLIES: "参照执行",
  REPEALS: "废止",
  PASSED_BY: "发文机关",
  HAS_JURISDICTION: "适用地区",
  HAS_TASK: "包含任务",
  HAS_TARGET: "包含目标",
  LED_BY: "牵头",
  RESPONSIBILITY_OF: "责任",
  MEASURES: "衡量指标",
  OPERATES_IN: "所属地区",
  PART_OF: "隶属于",
};
const CITATION_EDGES = new Set(["CITES", "BASED_ON", "ENSURES_IMPLEMENTATION_OF", "APPLIES", "REPEALS"]);
const ROLE_ZH = { lead: "牵头", responsible: "参与" };

// ---------------------------------------------------------------------------------------------
// Small DOM helpers. Every string goes in through textContent, never innerHTML, so titles and
// quotes from documents cannot inject markup.
// ---------------------------------------------------------------------------------------------
const $ = (id) => document.getElementById(id);

function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "class") el.className = value;
    else if (key.startsWith("on")) el.addEventListener(key.slice(2), value);
    else if (key === "dataset") Object.assign(el.dataset, value);
    else el.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : String(child));
  }
  return el;
}

// Cytoscape wraps labels only at spaces, which Chinese titles do not have: break them here, by
// estimated width (a Latin letter or digit is about half a CJK character), never inside a run of
// Latin letters and digits such as "2021-2035", and never before closing punctuation.
const LATIN_RUN = /[\u0020-\u007e]+|./gu;
const CLOSING = /^[)）”」』》，。、；：！？]+$/u;

function textWidth(token) {
  return Array.from(token).reduce((w, ch) => w + (ch.charCodeAt(0) < 0x2e80 ? 0.55 : 1), 0);
}

function wrapLabel(text, perLine, maxLines) {
  const lines = [];
  let line = "";
  for (const token of (text || "").match(LATIN_RUN) || []) {
    const fits = textWidth(line + token) <= perLine;
    if (fits || !line || CLOSING.test(token)) line += token;
    else {
      lines.push(line);
      line = token;
    }
  }
  if (line) lines.push(line);
  if (lines.length <= maxLines) return lines.join("\n");
  const kept = lines.slice(0, maxLines);
  kept[maxLines - 1] = `${Array.from(kept[maxLines - 1])
    .slice(0, -1)
    .join("")}…`;
  return kept.join("\n");
}

function short(text, max) {
  const chars = Array.from(text || "");
  return chars.length > max ? `${chars.slice(0, max - 1).join("")}…` : chars.join("");
}

function levelInfo(level) {
  return LEVELS.find((l) => l.key === level) || UNKNOWN_LEVEL;
}

function kindInfo(kind) {
  return KINDS[kind] || OTHER_KIND;
}

function debounce(fn, ms) {
  let timer;
  const debounced = (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
  debounced.cancel = () => clearTimeout(timer);
  return debounced;
}

// ---------------------------------------------------------------------------------------------
// API client
// ---------------------------------------------------------------------------------------------
class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

function apiUrl(path, params = {}) {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== "") query.set(key, value);
  }
  const qs = query.toString();
  return qs ? `${path}?${qs}` : path;
}

function errorMessage(body, fallback) {
  const detail = body && body.detail;
  if (typeof detail === "string") return detail;
  if (detail && typeof detail.message === "string") return detail.message;
  if (Array.isArray(detail) && detail[0] && detail[0].msg) return detail[0].msg;
  return fallback;
}

async function api(path, params = {}, signal = undefined) {
  const response = await fetch(apiUrl(path, params), { signal, headers: { Accept: "application/json" } });
  if (!response.ok) {
    let body = null;
    try {
      body = await response.json();
    } catch {
      // not JSON: keep the status text
    }
    throw new ApiError(response.status, errorMessage(body, `${response.status} ${response.statusText}`));
  }
  return response.json();
}

const enc = encodeURIComponent;

// ---------------------------------------------------------------------------------------------
// Status line and canvas notes
// ---------------------------------------------------------------------------------------------
let busyCount = 0;

function setBusy(delta) {
  busyCount = Math.max(0, busyCount + delta);
  document.body.classList.toggle("busy", busyCount > 0);
  if (busyCount > 0) showStatus("加载中…");
  else if ($("status").dataset.kind !== "error") showStatus("");
}

function showStatus(text, kind = "info") {
  const el = $("status");
  el.textContent = text;
  el.dataset.kind = text ? kind : "";
}

function showError(err) {
  if (err && err.name === "AbortError") return;
  console.error(err);
  showStatus(`请求失败：${err && err.message ? err.message : err}`, "error");
}

async function withBusy(promise) {
  setBusy(1);
  try {
    return await promise;
  } finally {
    setBusy(-1);
  }
}

function showNote(text) {
  const note = $("note");
  note.textContent = text || "";
  note.hidden = !text;
}

// ---------------------------------------------------------------------------------------------
// Cytoscape
// ---------------------------------------------------------------------------------------------
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

function createGraph() {
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

// ---------------------------------------------------------------------------------------------
// Application state
// ---------------------------------------------------------------------------------------------
const state = {
  cy: null,
  mode: "explore", // explore | lineage
  exploreSnapshot: null, // the explore graph, kept while the lineage view borrows the canvas
  exploreNote: "",
  expanded: new Map(), // node id -> number of its neighbors drawn so far
  lineage: null, // { docId, title, direction }
  currentDoc: null, // DocumentRef of the last document shown, for the lineage tab
};

// ---------------------------------------------------------------------------------------------
// Graph elements
// ---------------------------------------------------------------------------------------------
function nodeLook(kind, level, stub) {
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

function edgeLabel(edge) {
  const relation = edge.properties && edge.properties.relation;
  if (relation && RELATIONS[relation]) return RELATIONS[relation].split(" · ")[0];
  return EDGE_TYPES[edge.type] || edge.type.toLowerCase();
}

function graphEdgeElement(edge) {
  return {
    group: "edges",
    data: {
      id: edge.id,
      source: edge.source,
      target: edge.target,
      type: edge.type,
      label: edgeLabel(edge),
      props: edge.properties || {},
    },
    classes: [CITATION_EDGES.has(edge.type) ? "doclink" : "", edge.type === "REPEALS" ? "repeals" : ""]
      .join(" ")
      .trim(),
  };
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

// Place new nodes on rings around the expanded node, facing away from the rest of the graph,
// so that what the user already looked at does not move.
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
  nudgeApart(c, nodes, others);
}

// Push each new node outward along its ray until it keeps clear of the nodes already drawn.
function nudgeApart(center, nodes, others) {
  const MIN_GAP = 70;
  const fixed = others.map((n) => n.position());
  for (const node of nodes) {
    const p = node.position();
    const dx = p.x - center.x;
    const dy = p.y - center.y;
    const len = Math.hypot(dx, dy) || 1;
    let { x, y } = p;
    for (let step = 0; step < 12 && fixed.some((q) => Math.hypot(q.x - x, q.y - y) < MIN_GAP); step += 1) {
      x += (dx / len) * 45;
      y += (dy / len) * 45;
    }
    node.position({ x, y });
    fixed.push({ x, y });
  }
}

function mergeNeighborhood(cy, hood) {
  const { chosen, total, canvasFull } = pickNewNodes(cy, hood);
  let center = cy.getElementById(hood.center);
  if (center.empty()) {
    const own = hood.nodes.find((n) => n.id === hood.center);
    if (!own) throw new ApiError(404, `节点 ${hood.center} 不在返回的邻域中`);
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
  if (canvasFull) return `画布已有 ${state.cy.nodes().length} 个节点（上限 ${MAX_CANVAS_NODES}），请先清空再继续展开。`;
  if (total > shown) {
    return `新增 ${shown} / ${total} 个相邻节点（每次最多 ${MAX_NEW_NODES_PER_EXPANSION} 个）— 再次点击该节点显示更多。`;
  }
  return "";
}

// Fit without zooming in past a comfortable reading size (a 3-node graph would fill the screen).
function fitView(eles, animate = true) {
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

async function expand(id, { reset = false } = {}) {
  switchMode("explore");
  const cy = state.cy;
  if (reset) {
    cy.elements().remove();
    state.expanded.clear();
  }
  const hood = await withBusy(api("graph/neighborhood", { node: id, depth: 1, limit: NEIGHBORHOOD_FETCH_LIMIT }));
  const { center, added, total, canvasFull } = mergeNeighborhood(cy, hood);
  cy.nodes().removeClass("center");
  center.addClass("center");
  state.expanded.set(id, (state.expanded.get(id) || 0) + added.length);
  showNote(expansionNote(added.length, total, canvasFull));
  updateEmpty();
  if (reset) fitView(cy.elements(), false);
  else focusOn(cy, center.closedNeighborhood());
  selectOnCanvas(id);
  return center;
}

function selectOnCanvas(id) {
  const cy = state.cy;
  cy.$(":selected").unselect();
  const node = cy.getElementById(id);
  if (node.nonempty()) node.select();
}

function relayout() {
  const cy = state.cy;
  if (cy.nodes().empty()) return;
  if (state.mode === "lineage") runDagre(cy);
  else {
    cy.layout({
      name: "cose",
      animate: false,
      fit: false,
      nodeRepulsion: () => 400000,
      idealEdgeLength: () => 140,
      nodeOverlap: 40,
    }).run();
    fitView(cy.elements());
  }
}

function updateEmpty() {
  $("empty").hidden = state.cy.nodes().nonempty();
}

// ---------------------------------------------------------------------------------------------
// Lineage view: a top-down tree, higher levels above, each edge labeled with its relation.
// ---------------------------------------------------------------------------------------------
function lineageNode(ref, isRoot) {
  const look = nodeLook("Document", ref.level, ref.stub);
  const classes = ["box", ref.stub ? "stub" : "", isRoot ? "root" : ""].join(" ").trim();
  return {
    group: "nodes",
    data: {
      id: ref.id,
      kind: "Document",
      label: wrapLabel(ref.title || ref.doc_number || ref.id, 12, 3),
      full: ref.title,
      props: { ...ref },
      ...look,
    },
    classes,
  };
}

// Entries give each document's path from the root; consecutive pairs are the tree's edges.
// Edges always run from the higher document (the one relied on) to the lower one, so that dagre
// puts the national outline on top in both directions; the arrow points back up at the source.
function lineageElements(result) {
  const nodes = new Map([[result.root.id, lineageNode(result.root, true)]]);
  const edges = new Map();
  const entries = result.entries.slice(0, MAX_LINEAGE_ENTRIES);
  const labelEnd = result.direction === "implementations" ? "label-low" : "label-high";
  for (const entry of entries) {
    entry.path.forEach((ref, i) => {
      if (!nodes.has(ref.id)) nodes.set(ref.id, lineageNode(ref, false));
      if (i === 0) return;
      const prev = entry.path[i - 1];
      const [upper, lower] = result.direction === "implementations" ? [prev, ref] : [ref, prev];
      addLineageEdge(edges, upper.id, lower.id, entry.relations[i - 1], labelEnd);
    });
  }
  return { elements: [...nodes.values(), ...edges.values()], truncated: result.entries.length - entries.length };
}

function addLineageEdge(edges, upper, lower, relation, labelEnd) {
  const id = `lineage:${upper}->${lower}`;
  const label = (RELATIONS[relation] || relation || "").trim();
  const existing = edges.get(id);
  if (existing) {
    if (!existing.data.relations.includes(relation)) existing.data.relations.push(relation);
    existing.data.label = existing.data.relations.map((r) => RELATIONS[r] || r).join(" / ");
    return;
  }
  edges.set(id, {
    group: "edges",
    data: { id, source: upper, target: lower, label, relations: [relation], type: "LINEAGE" },
    classes: ["lineage", labelEnd, relation === "repeals" ? "repeals" : ""].join(" ").trim(),
  });
}

function runDagre(cy) {
  cy.layout({ name: "dagre", rankDir: "TB", nodeSep: 30, rankSep: 110, edgeSep: 12, fit: false, animate: false }).run();
  fitView(cy.elements(), false);
  if (cy.zoom() < LINEAGE_MIN_ZOOM) {
    // a wide tree fitted whole would be unreadable: keep the boxes legible around the root
    const root = cy.getElementById(state.lineage.docId);
    cy.zoom(LINEAGE_MIN_ZOOM);
    cy.center(root.closedNeighborhood());
  }
}

async function showLineage(doc, direction) {
  const path = direction === "ancestors" ? "lineage/ancestors" : "lineage/implementations";
  const result = await withBusy(api(path, { document: doc.id, depth: LINEAGE_DEPTH }));
  switchMode("lineage");
  state.lineage = { docId: result.root.id, title: result.root.title, direction };
  const cy = state.cy;
  cy.elements().remove();
  const { elements, truncated } = lineageElements(result);
  cy.add(elements);
  runDagre(cy);
  selectOnCanvas(result.root.id);
  renderLineageTitle();
  const count = cy.nodes().length - 1;
  let note = count === 0 ? (direction === "ancestors" ? "该文件没有找到上位依据。" : "尚无文件实施该文件。") : "";
  if (truncated > 0) note = `仅显示前 ${MAX_LINEAGE_ENTRIES} 条谱系路径（另有 ${truncated} 条未显示）。`;
  showNote(note);
  updateEmpty();
}

function renderLineageTitle() {
  const box = $("view-title");
  box.replaceChildren();
  if (state.mode !== "lineage" || !state.lineage) return;
  const { title, direction } = state.lineage;
  const doc = { id: state.lineage.docId, title };
  box.append(
    h("span", { class: "view-doc", title }, short(title || "", 26)),
    h(
      "span",
      { class: "segmented", role: "group", "aria-label": "谱系方向" },
      h(
        "button",
        {
          id: "lineage-down",
          "aria-pressed": String(direction === "implementations"),
          onclick: () => showLineage(doc, "implementations").catch(showError),
        },
        "↓ 实施文件",
      ),
      h(
        "button",
        {
          id: "lineage-up",
          "aria-pressed": String(direction === "ancestors"),
          onclick: () => showLineage(doc, "ancestors").catch(showError),
        },
        "↑ 上位依据",
      ),
    ),
  );
}

function switchMode(mode) {
  if (mode === state.mode) return;
  const cy = state.cy;
  if (mode === "lineage") {
    state.exploreSnapshot = cy.elements().jsons();
    state.exploreNote = $("note").textContent;
  } else {
    cy.elements().remove();
    if (state.exploreSnapshot) cy.add(state.exploreSnapshot);
    state.exploreSnapshot = null;
    showNote(state.exploreNote || "");
    if (cy.nodes().nonempty()) fitView(cy.elements(), false);
  }
  state.mode = mode;
  $("mode-explore").setAttribute("aria-selected", String(mode === "explore"));
  $("mode-lineage").setAttribute("aria-selected", String(mode === "lineage"));
  document.body.dataset.mode = mode;
  renderLineageTitle();
  updateEmpty();
}

// ---------------------------------------------------------------------------------------------
// Search
// ---------------------------------------------------------------------------------------------
const search = { controller: null, items: [], active: -1, shownFor: null, debounced: null };

async function runSearch(q) {
  if (search.controller) search.controller.abort();
  if (!q) {
    search.shownFor = null;
    return closeResults();
  }
  const controller = new AbortController();
  search.controller = controller;
  try {
    const [docs, agencies] = await Promise.all([
      api("documents", { q, limit: SEARCH_LIMIT_DOCS }, controller.signal),
      api("agencies", { q, limit: SEARCH_LIMIT_AGENCIES }, controller.signal),
    ]);
    if (controller.signal.aborted) return;
    renderResults(q, docs, agencies);
    search.shownFor = q;
  } catch (err) {
    showError(err);
  }
}

function resultItem(item, index) {
  const isDoc = item.kind === "doc";
  const ref = item.ref;
  const meta = isDoc ? docMeta(ref) : agencyMeta(ref);
  return h(
    "li",
    {
      role: "option",
      id: `result-${index}`,
      class: "result",
      "aria-selected": "false",
      dataset: { kind: item.kind, id: ref.id },
      onmousedown: (ev) => {
        ev.preventDefault(); // keep focus in the box until the choice is made
        chooseResult(index);
      },
    },
    h(
      "span",
      { class: `badge badge-${isDoc ? (ref.stub ? "stub" : ref.level || "unknown") : "agency"}` },
      isDoc ? levelBadge(ref) : "机构",
    ),
    h(
      "span",
      { class: "result-text" },
      h("span", { class: "result-title" }, isDoc ? ref.title || ref.doc_number || ref.id : ref.name),
      h("span", { class: "result-meta" }, meta),
    ),
  );
}

function levelBadge(ref) {
  return ref.stub ? "仅被引用" : levelInfo(ref.level).zh;
}

function docMeta(ref) {
  return [ref.jurisdiction, ref.doc_number].filter(Boolean).join(" · ");
}

function agencyMeta(ref) {
  const counts = `牵头 ${ref.lead_tasks ?? 0} · 参与 ${ref.responsible_tasks ?? 0}`;
  return [ref.jurisdiction, counts].filter(Boolean).join(" · ");
}

function renderResults(q, docs, agencies) {
  const list = $("search-results");
  search.items = [...docs.map((ref) => ({ kind: "doc", ref })), ...agencies.map((ref) => ({ kind: "agency", ref }))];
  search.active = -1;
  list.replaceChildren();
  if (search.items.length === 0) {
    list.append(h("li", { class: "result-empty" }, `没有找到包含“${q}”的文件或机构`));
  } else {
    let index = 0;
    if (docs.length) list.append(h("li", { class: "result-group", role: "presentation" }, "文件"));
    docs.forEach(() => list.append(resultItem(search.items[index], index++)));
    if (agencies.length) list.append(h("li", { class: "result-group", role: "presentation" }, "机构"));
    agencies.forEach(() => list.append(resultItem(search.items[index], index++)));
  }
  list.hidden = false;
  $("search").setAttribute("aria-expanded", "true");
}

function closeResults() {
  $("search-results").hidden = true;
  $("search").setAttribute("aria-expanded", "false");
  $("search").removeAttribute("aria-activedescendant");
}

function moveActive(delta) {
  if (!search.items.length) return;
  search.active = (search.active + delta + search.items.length) % search.items.length;
  document
    .querySelectorAll("#search-results .result")
    .forEach((el, i) => el.setAttribute("aria-selected", String(i === search.active)));
  $("search").setAttribute("aria-activedescendant", `result-${search.active}`);
  $(`result-${search.active}`).scrollIntoView({ block: "nearest" });
}

function chooseResult(index) {
  const item = search.items[index];
  if (!item) return;
  search.debounced.cancel(); // a search still pending must not reopen the list over the graph
  closeResults();
  $("search").value = item.kind === "doc" ? item.ref.title || "" : item.ref.name;
  const open = item.kind === "doc" ? openDocument(item.ref) : openAgency(item.ref);
  open.catch(showError);
}

// Enter before the debounced search has answered: search now, then take the first result.
async function chooseOnEnter() {
  const q = $("search").value.trim();
  if (!q) return;
  if (search.shownFor !== q) await runSearch(q);
  if (search.shownFor === q) chooseResult(search.active >= 0 ? search.active : 0);
}

function onSearchKey(ev) {
  if (ev.key === "ArrowDown") moveActive(1);
  else if (ev.key === "ArrowUp") moveActive(-1);
  else if (ev.key === "Enter") chooseOnEnter();
  else if (ev.key === "Escape") closeResults();
  else return;
  ev.preventDefault();
}

// Top-level navigation: draw the node's neighborhood and show it in the panel.
async function openDocument(ref) {
  state.currentDoc = ref;
  $("mode-lineage").disabled = false;
  const panel = showPanel(() => loadDocument(ref.id), { reset: true });
  await Promise.all([expand(ref.id, { reset: true }), panel]);
}

async function openAgency(summary) {
  const panel = showPanel(() => loadAgency(summary.id, summary), { reset: true });
  await Promise.all([expand(summary.id, { reset: true }), panel]);
}

// ---------------------------------------------------------------------------------------------
// Detail panel: a stack of views, so drilling from a document into a task can go back.
// ---------------------------------------------------------------------------------------------
const panel = { stack: [], seq: 0 };

// `load` answers { kind, node } (the heading and the content) and may be re-run on "back".
async function showPanel(load, { reset = false } = {}) {
  if (reset) panel.stack = [];
  panel.stack.push(load);
  await renderTop();
}

async function renderTop() {
  const load = panel.stack[panel.stack.length - 1];
  $("panel-back").hidden = panel.stack.length < 2;
  if (!load) return;
  const seq = ++panel.seq; // a slower, older answer must not overwrite a newer one
  const body = $("panel");
  body.setAttribute("aria-busy", "true");
  try {
    const view = await withBusy(load());
    if (seq !== panel.seq) return;
    $("panel-kind").textContent = view.kind;
    body.replaceChildren(view.node);
    body.scrollTop = 0;
  } catch (err) {
    if (seq !== panel.seq) return;
    showError(err);
    body.replaceChildren(h("p", { class: "error" }, `无法加载：${err.message}`));
  } finally {
    if (seq === panel.seq) body.removeAttribute("aria-busy");
  }
}

function panelBack() {
  if (panel.stack.length < 2) return;
  panel.stack.pop();
  renderTop();
}

function push(load) {
  showPanel(load).catch(showError);
}

// --- shared pieces ---

function field(label, value) {
  if (value === undefined || value === null || value === "" || (Array.isArray(value) && !value.length)) return null;
  return h("div", { class: "field" }, h("dt", {}, label), h("dd", {}, value));
}

function fields(...rows) {
  return h("dl", { class: "fields" }, rows.filter(Boolean));
}

function section(title, count, ...children) {
  const heading = h("h3", {}, title, count === undefined ? null : h("span", { class: "count" }, String(count)));
  return h("section", { class: "block" }, heading, ...children);
}

function linkButton(text, onclick, attrs = {}) {
  return h("button", { class: "link", type: "button", onclick, ...attrs }, text);
}

function docLink(ref) {
  const label = ref.title || ref.doc_number || ref.id;
  return linkButton(label, () => push(() => loadDocument(ref.id)), { title: label, dataset: { doc: ref.id } });
}

function agencyLinks(agencies) {
  if (!agencies || !agencies.length) return null;
  const parts = [];
  agencies.forEach((a, i) => {
    if (i) parts.push("、");
    parts.push(
      linkButton(a.name, () => push(() => loadAgency(a.id, a)), { class: "link agency", dataset: { agency: a.id } }),
    );
  });
  return h("span", { class: "agencies" }, parts);
}

function levelTag(ref) {
  const info = ref.stub ? { key: "stub", zh: "仅被引用" } : levelInfo(ref.level);
  return h("span", { class: `badge badge-${info.key}` }, info.zh);
}

// A list that shows PANEL_LIST_PAGE items and a button for the rest (44 tasks stay readable).
function pagedList(items, renderItem, className) {
  const list = h("ul", { class: className });
  const add = (from) => {
    items.slice(from, from + PANEL_LIST_PAGE).forEach((item) => list.append(renderItem(item)));
    const next = from + PANEL_LIST_PAGE;
    if (next < items.length) {
      const more = h(
        "li",
        { class: "more" },
        linkButton(`显示更多（剩余 ${items.length - next} 项）`, () => {
          more.remove();
          add(next);
        }),
      );
      list.append(more);
    }
  };
  add(0);
  return list;
}

// --- provenance ---

// The sentence a fact came from and where the fact sits in it: highlight = span - quote_start.
function provenanceOf(item) {
  const span = item.span || null;
  const quote = item.quote ?? span?.quote ?? null;
  const quoteStart = item.quote_start ?? span?.quote_start ?? null;
  return { span, quote, quoteStart };
}

function highlightedQuote(quote, quoteStart, span) {
  const chars = Array.from(quote);
  // Offsets in the store count Python code points, which Array.from matches (not UTF-16 units).
  if (!span || quoteStart === null || quoteStart === undefined) return h("blockquote", { class: "quote" }, quote);
  const from = Math.max(0, Math.min(chars.length, span.start - quoteStart));
  const to = Math.max(from, Math.min(chars.length, span.end - quoteStart));
  return h(
    "blockquote",
    { class: "quote" },
    chars.slice(0, from).join(""),
    from < to ? h("mark", {}, chars.slice(from, to).join("")) : null,
    chars.slice(to).join(""),
  );
}

// The REST views give the span; the sentence itself (quote, quote_start) is kept on the graph's
// nodes and edges, so when a view lacks it, ask the neighborhood endpoint for just that element.
async function withQuote(item, lookup) {
  if (provenanceOf(item).quote) return item;
  try {
    const extra = await lookup();
    return extra && extra.quote ? { ...item, quote: extra.quote, quote_start: extra.quote_start } : item;
  } catch (err) {
    console.warn("no quote for", item, err);
    return item;
  }
}

async function nodeQuote(id) {
  const hood = await api("graph/neighborhood", { node: id, depth: 1, limit: 1 }); // limit 1: the node alone
  const own = hood.nodes.find((n) => n.id === id);
  return own ? own.properties : null;
}

async function edgeQuote(citingId, citedId, citation) {
  const hood = await api("graph/neighborhood", { node: citingId, depth: 1, limit: 1000 });
  const start = citation.span ? citation.span.start : undefined;
  const edge = hood.edges.find(
    (e) => e.source === citingId && e.target === citedId && (start === undefined || e.properties.span_start === start),
  );
  return edge ? edge.properties : null;
}

function provenance(item) {
  const { span, quote, quoteStart } = provenanceOf(item);
  const where = span
    ? h(
        "div",
        { class: "source" },
        h("span", { class: "source-file", title: span.source }, span.source),
        h("span", { class: "source-span" }, `字符 ${span.start}–${span.end}`),
      )
    : null;
  const text = quote ? highlightedQuote(quote, quoteStart, span) : h("p", { class: "muted" }, "没有保存原文句子。");
  return h("section", { class: "block provenance" }, h("h3", {}, "原文出处"), text, where);
}

// --- documents ---

async function loadDocument(id) {
  const doc = await api(`documents/${enc(id)}`);
  state.currentDoc = doc;
  $("mode-lineage").disabled = false;
  return { kind: doc.stub ? "被引用文件" : "政策文件", node: documentView(doc) };
}

function documentActions(doc) {
  return h(
    "div",
    { class: "actions" },
    h(
      "button",
      {
        class: "primary",
        id: "btn-lineage-down",
        type: "button",
        onclick: () => showLineage(doc, "implementations").catch(showError),
      },
      "实施谱系 ↓",
    ),
    h(
      "button",
      { id: "btn-lineage-up", type: "button", onclick: () => showLineage(doc, "ancestors").catch(showError) },
      "上位依据 ↑",
    ),
    h(
      "button",
      { id: "btn-explore", type: "button", onclick: () => expand(doc.id).catch(showError) },
      "在关系图中展开",
    ),
  );
}

function documentView(doc) {
  const head = h(
    "header",
    { class: "entity" },
    h("div", { class: "tags" }, levelTag(doc), doc.doc_type ? h("span", { class: "badge" }, doc.doc_type) : null),
    h("h2", { class: "entity-title" }, doc.title || doc.doc_number || doc.id),
  );
  const meta = fields(
    field("文号", doc.doc_number),
    field("辖区", doc.jurisdiction),
    field("发布日期", doc.issued_on),
    field("发布机构", agencyLinks(doc.issuers)),
    field("来源", doc.span ? `${doc.span.source} · 字符 ${doc.span.start}–${doc.span.end}` : null),
  );
  const stubNote = doc.stub ? h("p", { class: "muted" }, "该文件仅因被其他文件引用而出现，语料中没有其全文。") : null;
  return h(
    "div",
    { class: "view view-document", dataset: { doc: doc.id } },
    head,
    stubNote,
    meta,
    documentActions(doc),
    doc.tasks.length ? section("任务", doc.tasks.length, pagedList(doc.tasks, taskItem, "items tasks")) : null,
    doc.targets.length
      ? section("目标指标", doc.targets.length, pagedList(doc.targets, targetItem, "items targets"))
      : null,
    citationSection("引用文件", doc.cites, "cites", doc),
    citationSection("被以下文件引用", doc.cited_by, "cited_by", doc),
    citationSection("废止文件", doc.repeals, "repeals", doc),
    citationSection("被以下文件废止", doc.repealed_by, "repealed_by", doc),
  );
}

function taskItem(task) {
  return h(
    "li",
    { class: "item task", dataset: { task: task.id } },
    linkButton(task.text, () => push(() => taskView(task)), { class: "link item-text" }),
    task.lead.length
      ? h("div", { class: "item-meta" }, h("span", { class: "role role-lead" }, "牵头"), agencyLinks(task.lead))
      : null,
    task.responsible.length
      ? h("div", { class: "item-meta" }, h("span", { class: "role" }, "参与"), agencyLinks(task.responsible))
      : null,
  );
}

function targetValue(t) {
  const value = t.value === null || t.value === undefined ? "—" : `${t.value}${t.unit || ""}`;
  return t.target_year ? `${value}（${t.target_year}年）` : value;
}

function targetItem(target) {
  return h(
    "li",
    { class: "item target", dataset: { target: target.id } },
    linkButton(target.indicator, () => push(() => targetView(target)), { class: "link item-text" }),
    h("div", { class: "item-meta" }, h("span", { class: "role" }, "目标值"), targetValue(target)),
  );
}

function citationSection(title, citations, kind, doc) {
  if (!citations || !citations.length) return null;
  const item = (c) =>
    h(
      "li",
      { class: "item citation" },
      h("span", { class: `rel rel-${c.relation}` }, (RELATIONS[c.relation] || c.relation).split(" · ")[0]),
      linkButton(
        c.document.title || c.document.doc_number || c.document.id,
        () => push(() => citationView(c, kind, doc)),
        { class: "link item-text", title: "查看原文出处" },
      ),
      c.document.stub ? h("span", { class: "badge badge-stub small" }, "仅被引用") : null,
    );
  return section(title, citations.length, pagedList(citations, item, "items citations"));
}

// --- tasks, targets, citations ---

async function taskView(found) {
  const task = await withQuote(found, () => nodeQuote(found.id));
  const node = h(
    "div",
    { class: "view view-task", dataset: { task: task.id } },
    h("header", { class: "entity" }, h("h2", { class: "entity-title task-text" }, task.text)),
    fields(
      field("所属文件", docLink(task.document)),
      field("章节", task.section),
      field("牵头单位", agencyLinks(task.lead)),
      field("参与单位", agencyLinks(task.responsible)),
    ),
    provenance(task),
  );
  return { kind: "任务", node };
}

async function targetView(found) {
  const t = await withQuote(found, () => nodeQuote(found.id));
  const node = h(
    "div",
    { class: "view view-target", dataset: { target: t.id } },
    h("header", { class: "entity" }, h("h2", { class: "entity-title" }, t.indicator)),
    fields(
      field("目标值", targetValue(t)),
      field(
        "基准值",
        t.baseline === null || t.baseline === undefined
          ? null
          : `${t.baseline}${t.unit || ""}${t.baseline_year ? `（${t.baseline_year}年）` : ""}`,
      ),
      field("所属文件", docLink(t.document)),
      field("牵头单位", agencyLinks(t.lead)),
      field("参与单位", agencyLinks(t.responsible)),
    ),
    provenance(t),
  );
  return { kind: "目标指标", node };
}

// kind tells which side `doc` is on: for cites/repeals doc is the citing one, else the cited one.
async function citationView(found, kind, doc) {
  const outgoing = kind === "cites" || kind === "repeals";
  const [from, to] = outgoing ? [doc, found.document] : [found.document, doc];
  const c = await withQuote(found, () => edgeQuote(from.id, to.id, found));
  const node = h(
    "div",
    { class: "view view-citation" },
    h(
      "header",
      { class: "entity" },
      h("div", { class: "tags" }, h("span", { class: `rel rel-${c.relation}` }, RELATIONS[c.relation] || c.relation)),
      h("h2", { class: "entity-title" }, "文件引用"),
    ),
    fields(field("引用方", docLink(from)), field("被引用", docLink(to))),
    provenance(c),
  );
  return { kind: "引用关系", node };
}

// --- agencies: who leads what ---

async function loadAgency(id, known = null) {
  const [summary, lead, responsible] = await Promise.all([
    known && "lead_tasks" in known ? known : agencySummary(id, known),
    api(`agencies/${enc(id)}/tasks`, { role: "lead" }),
    api(`agencies/${enc(id)}/tasks`, { role: "responsible" }),
  ]);
  return { kind: "机构", node: agencyView(summary || { id, name: id }, lead, responsible) };
}

// There is no /agencies/{id}; the search endpoint by name gives the summary (aliases, counts).
async function agencySummary(id, known) {
  const name = known && known.name;
  if (!name) return { id, name: id };
  const found = await api("agencies", { q: name, limit: 20 });
  return found.find((a) => a.id === id) || known;
}

function groupByDocument(tasks) {
  const groups = new Map();
  for (const task of tasks) {
    const key = task.document.id;
    if (!groups.has(key)) groups.set(key, { document: task.document, tasks: [] });
    groups.get(key).tasks.push(task);
  }
  return [...groups.values()];
}

function taskGroups(tasks, role) {
  if (!tasks.length) return h("p", { class: "muted" }, `没有${ROLE_ZH[role]}的任务。`);
  return h(
    "div",
    { class: `groups groups-${role}` },
    groupByDocument(tasks).map((g) =>
      h(
        "details",
        { class: "group", open: true, dataset: { doc: g.document.id } },
        h(
          "summary",
          {},
          h("span", { class: "group-title" }, g.document.title || g.document.id),
          h("span", { class: "count" }, String(g.tasks.length)),
        ),
        pagedList(g.tasks, taskItem, "items tasks"),
      ),
    ),
  );
}

function agencyView(summary, lead, responsible) {
  const aliases = (summary.aliases || []).filter((a) => a !== summary.name);
  return h(
    "div",
    { class: "view view-agency", dataset: { agency: summary.id } },
    h(
      "header",
      { class: "entity" },
      h("div", { class: "tags" }, h("span", { class: "badge badge-agency" }, "机构")),
      h("h2", { class: "entity-title" }, summary.name),
    ),
    fields(field("辖区", summary.jurisdiction), field("别名", aliases.join("、"))),
    h(
      "div",
      { class: "actions" },
      h("button", { type: "button", onclick: () => expand(summary.id).catch(showError) }, "在关系图中展开"),
    ),
    section("牵头任务", lead.length, taskGroups(lead, "lead")),
    section("参与任务", responsible.length, taskGroups(responsible, "responsible")),
  );
}

// --- graph nodes and edges picked on the canvas ---

// The document holding a task or target: from the canvas when its edge is drawn, else asked for.
async function parentDocument(id) {
  const onCanvas = state.cy.getElementById(id).incomers('node[kind = "Document"]').first();
  if (onCanvas.nonempty()) return onCanvas.id();
  const hood = await api("graph/neighborhood", { node: id, depth: 1, limit: 50 });
  const edge = hood.edges.find((e) => e.target === id && (e.type === "HAS_TASK" || e.type === "HAS_TARGET"));
  return edge ? edge.source : null;
}

// Tasks and targets have no endpoint of their own: read them from their document's detail,
// which names their agencies; the node's own properties are the fallback.
async function loadFact(node, listName) {
  const docId = await parentDocument(node.id);
  if (docId) {
    const doc = await api(`documents/${enc(docId)}`);
    const fact = doc[listName].find((x) => x.id === node.id);
    if (fact) {
      const withProps = { quote: node.props?.quote, quote_start: node.props?.quote_start, ...fact };
      return listName === "tasks" ? taskView(withProps) : targetView(withProps);
    }
  }
  const view = genericView(node);
  view.node.append(provenance(factFromProps(node.props || {})));
  return view;
}

// Graph nodes carry provenance as flat keys (ontology.ttl: source, span_start, span_end, quote, quote_start).
function factFromProps(props) {
  const span =
    props.source && props.span_start !== undefined
      ? { source: props.source, start: props.span_start, end: props.span_end }
      : null;
  return { span, quote: props.quote ?? null, quote_start: props.quote_start ?? null };
}

function genericView(node) {
  const rows = Object.entries(node.props || {})
    .filter(([, v]) => v !== null && v !== "" && typeof v !== "object")
    .map(([k, v]) => field(k, String(v)));
  const info = kindInfo(node.kind);
  return {
    kind: info.zh,
    node: h(
      "div",
      { class: "view view-generic" },
      h("header", { class: "entity" }, h("h2", { class: "entity-title" }, node.full || node.id)),
      fields(field("类型", node.kind), ...rows),
    ),
  };
}

function loaderFor(data) {
  switch (data.kind) {
    case "Document":
      return () => loadDocument(data.id);
    case "Agency":
      return () => loadAgency(data.id, { id: data.id, name: data.full, ...data.props });
    case "Task":
      return () => loadFact(data, "tasks");
    case "Target":
      return () => loadFact(data, "targets");
    default:
      return async () => genericView(data);
  }
}

function onNodeTap(ev) {
  const data = ev.target.data();
  showPanel(loaderFor(data), { reset: true }).catch(showError);
  // In the explore view a click also grows the graph; the lineage tree stays a tree.
  if (state.mode === "explore") expand(data.id).catch(showError);
}

async function edgeDetail(data) {
  if (CITATION_EDGES.has(data.type)) {
    const doc = await api(`documents/${enc(data.source)}`);
    const repeal = data.type === "REPEALS";
    const c = (repeal ? doc.repeals : doc.cites).find((x) => x.document.id === data.target);
    if (c) return citationView(c, repeal ? "repeals" : "cites", doc);
  }
  const rows = Object.entries(data.props || {}).map(([k, v]) =>
    field(k, typeof v === "object" ? JSON.stringify(v) : String(v)),
  );
  const head = h("header", { class: "entity" }, h("h2", { class: "entity-title" }, data.label));
  return { kind: "关系", node: h("div", { class: "view" }, head, fields(field("类型", data.type), ...rows)) };
}

function onEdgeTap(ev) {
  const data = ev.target.data();
  if (data.type === "LINEAGE") {
    // the lower document (target) is the one that cites the upper one (source), in both directions
    showPanel(() => lineageCitation(data.target, data.source), { reset: true }).catch(showError);
    return;
  }
  showPanel(() => edgeDetail(data), { reset: true }).catch(showError);
}

// A lineage edge runs from the relied-on document to the one relying on it (see lineageElements).
async function lineageCitation(citingId, citedId) {
  const doc = await api(`documents/${enc(citingId)}`);
  const c = doc.cites.find((x) => x.document.id === citedId) || doc.repeals.find((x) => x.document.id === citedId);
  if (!c) return loadDocument(citingId);
  return citationView(c, doc.repeals.includes(c) ? "repeals" : "cites", doc);
}

function onHover(ev, on) {
  ev.target.connectedEdges().toggleClass("hover", on);
}

// ---------------------------------------------------------------------------------------------
// Legend
// ---------------------------------------------------------------------------------------------
function swatch(shape, color, border, dashed = false) {
  return h("span", {
    class: `swatch shape-${shape}${dashed ? " dashed" : ""}`,
    style: `--fill:${color};--stroke:${border}`,
  });
}

function renderLegend() {
  const docs = LEVELS.map((l) => h("li", {}, swatch("round-rectangle", l.color, l.color), `${l.zh}文件`));
  docs.push(h("li", {}, swatch("round-rectangle", STUB.fill, STUB.color, true), "仅被引用的文件"));
  const kinds = ["Agency", "Task", "Target"].map((k) =>
    h("li", {}, swatch(KINDS[k].shape, KINDS[k].color, KINDS[k].color), KINDS[k].zh),
  );
  $("legend").replaceChildren(
    h(
      "details",
      { open: true },
      h("summary", {}, "图例"),
      h("ul", {}, docs, kinds),
      h("p", { class: "legend-hint" }, "点击节点展开 · 滚轮缩放 · 拖动平移"),
    ),
  );
}

// ---------------------------------------------------------------------------------------------
// Wiring
// ---------------------------------------------------------------------------------------------
function clearCanvas() {
  switchMode("explore");
  state.cy.elements().remove();
  state.expanded.clear();
  showNote("");
  updateEmpty();
}

function bindUi() {
  const input = $("search");
  search.debounced = debounce((q) => runSearch(q), SEARCH_DEBOUNCE_MS);
  input.addEventListener("input", () => search.debounced(input.value.trim()));
  input.addEventListener("keydown", onSearchKey);
  input.addEventListener("focus", () => {
    if (search.items.length && input.value.trim()) $("search-results").hidden = false;
  });
  input.addEventListener("blur", () => setTimeout(closeResults, 120));
  $("mode-explore").addEventListener("click", () => switchMode("explore"));
  $("mode-lineage").addEventListener(
    "click",
    () =>
      state.currentDoc && showLineage(state.currentDoc, state.lineage?.direction || "implementations").catch(showError),
  );
  $("btn-fit").addEventListener("click", () => fitView(state.cy.elements()));
  $("btn-relayout").addEventListener("click", relayout);
  $("btn-clear").addEventListener("click", clearCanvas);
  $("panel-back").addEventListener("click", panelBack);
}

function bindGraph(cy) {
  cy.on("tap", "node", onNodeTap);
  cy.on("tap", "edge", onEdgeTap);
  cy.on("mouseover", "node", (ev) => onHover(ev, true));
  cy.on("mouseout", "node", (ev) => onHover(ev, false));
}

function main() {
  state.cy = createGraph();
  document.body.dataset.mode = "explore";
  bindGraph(state.cy);
  bindUi();
  renderLegend();
  updateEmpty();
  // Exposed so the browser test can find a node's position on screen and click it like a user.
  window.policykg = { cy: state.cy, state };
  document.body.dataset.ready = "true";
}

main();
