// Top-level navigation, each step recorded in the URL (url.js), and the way back: drawing
// whatever a URL names (a bookmark, a link someone sent, Back and Forward).
import { showError, showNote } from "./api.js";
import { LINEAGE_DEPTH, MAX_EXPLORE_DEPTH, MAX_LINEAGE_DEPTH } from "./config.js";
import { $ } from "./dom.js";
import { showCoverage } from "./coverage.js";
import { expand, updateEmpty } from "./graph.js";
import { showLineage, switchMode } from "./lineage.js";
import { clearPanel, loadAgency, loadDocument, loaderFor, showPanel } from "./panel.js";
import { renderStart } from "./start.js";
import { state } from "./state.js";
import { record } from "./url.js";

const clamp = (value, low, high, fallback) => (value ? Math.min(high, Math.max(low, value)) : fallback);

// A document: its neighbourhood on the canvas, its detail in the panel.
export async function openDocument(ref, { depth = 1 } = {}) {
  state.currentDoc = ref;
  $("mode-lineage").disabled = false;
  $("mode-coverage").disabled = false;
  switchMode("explore", { record: false });
  const panel = showPanel(() => loadDocument(ref.id), { reset: true });
  await Promise.all([expand(ref.id, { reset: true, depth }), panel]);
  record({ view: "explore", node: ref.id, depth });
}

export async function openAgency(summary, { depth = 1 } = {}) {
  switchMode("explore", { record: false });
  const panel = showPanel(() => loadAgency(summary.id, summary), { reset: true });
  await Promise.all([expand(summary.id, { reset: true, depth }), panel]);
  record({ view: "explore", node: summary.id, depth });
}

// Any other node (an agency, a task, a target): drawn first, then shown from its data (the
// URL holds only the id; the drawn node knows the agency's name).
async function openNode(id, depth) {
  switchMode("explore", { record: false });
  const center = await expand(id, { reset: true, depth });
  record({ view: "explore", node: id, depth });
  await showPanel(loaderFor(center.data()), { reset: true });
}

export async function openLineage(ref, direction, depth = LINEAGE_DEPTH) {
  const panel = showPanel(() => loadDocument(ref.id), { reset: true });
  await Promise.all([showLineage(ref, direction, { depth }), panel]);
}

// The start view: an empty canvas showing the national documents (start.js).
export function showStart() {
  switchMode("explore", { record: false });
  state.cy.elements().remove();
  state.expanded.clear();
  state.exploreSnapshot = null;
  state.exploreCenter = null;
  showNote("");
  clearPanel();
  updateEmpty();
  renderStart().catch(showError);
  record({ view: "start" });
}

// Draw what a URL names (see url.js readUrl).
export async function apply(shown) {
  if (shown.view === "coverage") {
    const panel = showPanel(() => loadDocument(shown.node), { reset: true });
    return Promise.all([showCoverage({ id: shown.node }), panel]);
  }
  if (shown.view === "lineage") {
    return openLineage({ id: shown.node }, shown.dir, clamp(shown.depth, 1, MAX_LINEAGE_DEPTH, LINEAGE_DEPTH));
  }
  if (shown.view === "explore") {
    const depth = clamp(shown.depth, 1, MAX_EXPLORE_DEPTH, 1);
    if (shown.node.startsWith("doc:")) return openDocument({ id: shown.node }, { depth });
    return openNode(shown.node, depth);
  }
  return showStart();
}
