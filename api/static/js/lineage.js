// The lineage view: a top-down tree from the national outline through provincial plans to the
// city plans implementing it (↓), or up from a plan to what it relies on (↑); each edge is
// labelled with its relation. Also the switch between this view and the explore graph.
import { api, showError, showNote, withBusy } from "./api.js";
import { LINEAGE_DEPTH, LINEAGE_MIN_ZOOM, MAX_LINEAGE_ENTRIES } from "./config.js";
import { $, h, short, wrapLabel } from "./dom.js";
import { fitView, nodeLook, relationTypeLabel, selectOnCanvas, updateEmpty } from "./graph.js";
import { t } from "./i18n.js";
import { state } from "./state.js";
import { record } from "./url.js";

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
  const existing = edges.get(id);
  if (existing) {
    if (!existing.data.relations.includes(relation)) existing.data.relations.push(relation);
    existing.data.label = existing.data.relations.map(relationTypeLabel).join(" / ");
    return;
  }
  edges.set(id, {
    group: "edges",
    data: { id, source: upper, target: lower, label: relationTypeLabel(relation), relations: [relation], type: "LINEAGE" },
    classes: ["lineage", labelEnd, relation === "repeals" ? "repeals" : ""].join(" ").trim(),
  });
}

export function runDagre(cy) {
  cy.layout({ name: "dagre", rankDir: "TB", nodeSep: 30, rankSep: 110, edgeSep: 12, fit: false, animate: false }).run();
  fitView(cy.elements(), false);
  if (cy.zoom() < LINEAGE_MIN_ZOOM) {
    // a wide tree fitted whole would be unreadable: keep the boxes legible around the root
    const root = cy.getElementById(state.lineage.docId);
    cy.zoom(LINEAGE_MIN_ZOOM);
    cy.center(root.closedNeighborhood());
  }
}

// How many documents implement `id` (transitively, up to the lineage depth).
export async function implementationCount(id) {
  const result = await api("lineage/implementations", { document: id, depth: LINEAGE_DEPTH });
  return new Set(result.entries.map((e) => e.document.id)).size;
}

export async function showLineage(doc, direction, { depth = state.lineage?.depth || LINEAGE_DEPTH } = {}) {
  const path = direction === "ancestors" ? "lineage/ancestors" : "lineage/implementations";
  const result = await withBusy(api(path, { document: doc.id, depth }));
  switchMode("lineage", { record: false });
  state.lineage = { docId: result.root.id, title: result.root.title, direction, depth };
  state.currentDoc = state.currentDoc?.id === result.root.id ? state.currentDoc : result.root;
  $("mode-lineage").disabled = false;
  $("mode-coverage").disabled = false;
  const cy = state.cy;
  cy.elements().remove();
  const { elements, truncated } = lineageElements(result);
  cy.add(elements);
  runDagre(cy);
  selectOnCanvas(result.root.id);
  renderLineageTitle();
  const count = cy.nodes().length - 1;
  let note = count === 0 ? t(direction === "ancestors" ? "lineage.noAncestors" : "lineage.noImplementations") : "";
  if (truncated > 0) note = t("lineage.truncated", { max: MAX_LINEAGE_ENTRIES, more: truncated });
  showNote(note);
  updateEmpty();
  record({ view: "lineage", node: result.root.id, dir: direction, depth });
}

export function renderLineageTitle() {
  const box = $("view-title");
  box.replaceChildren();
  if (state.mode !== "lineage" || !state.lineage) return;
  const { title, direction } = state.lineage;
  const doc = { id: state.lineage.docId, title };
  box.append(
    h("span", { class: "view-doc", title }, short(title || "", 26)),
    h(
      "span",
      { class: "segmented", role: "group", "aria-label": t("lineage.direction") },
      h(
        "button",
        {
          id: "lineage-down",
          type: "button",
          "aria-pressed": String(direction === "implementations"),
          onclick: () => showLineage(doc, "implementations").catch(showError),
        },
        t("lineage.down"),
      ),
      h(
        "button",
        {
          id: "lineage-up",
          type: "button",
          "aria-pressed": String(direction === "ancestors"),
          onclick: () => showLineage(doc, "ancestors").catch(showError),
        },
        t("lineage.up"),
      ),
    ),
  );
}

function showMode(mode) {
  state.mode = mode;
  for (const m of ["explore", "lineage", "coverage"]) $(`mode-${m}`).setAttribute("aria-selected", String(mode === m));
  document.body.dataset.mode = mode;
  renderLineageTitle();
}

// explore <-> lineage: the explore graph is kept while the lineage tree borrows the canvas.
export function switchMode(mode, { record: recordIt = true } = {}) {
  // The coverage view covers the canvas and leaves it as it was: leaving it returns to the
  // canvas's own mode (explore or lineage) before any switch between those two.
  if (mode === "coverage") {
    if (state.mode !== "coverage") state.canvasMode = state.mode;
    showMode("coverage");
    return;
  }
  if (state.mode === "coverage") showMode(state.canvasMode || "explore");
  if (mode !== state.mode) {
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
    showMode(mode);
    updateEmpty();
  }
  if (recordIt && mode === "explore") {
    const node = state.cy.nodes().nonempty() ? state.exploreCenter : null;
    record(node ? { view: "explore", node, depth: state.exploreDepth } : { view: "start" });
  }
}
