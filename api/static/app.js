// PolicyKG graph browser: the entry module, wiring the parts together. Each concern has its
// own module under js/: api.js (API client), graph.js (graph view), lineage.js (lineage view),
// coverage.js (clause coverage and target cascade of a document),
// panel.js (detail panel), url.js (URL state), navigate.js (navigation), search.js, start.js
// (start view), i18n.js (中文/English). No bundler: the browser loads ES modules; the
// libraries are vendored by api/build_static.py (no CDN, works offline). fCoSE and its two
// helpers are UMD scripts loaded before this module (index.html).
import cytoscape from "./vendor/cytoscape.esm.min.js";
import cytoscapeDagre from "./vendor/cytoscape-dagre.esm.min.js";
import { api, showError } from "./js/api.js";
import { renderCoverage, showCoverage } from "./js/coverage.js";
import { $ } from "./js/dom.js";
import { createGraph, fitView, layoutGraph, relabelEdges, renderLegend } from "./js/graph.js";
import { applyStatic, initialLang, lang, loadOntologyLabels, onLanguage, setLang } from "./js/i18n.js";
import { renderLineageTitle, runDagre, showLineage, switchMode } from "./js/lineage.js";
import { apply, showStart } from "./js/navigate.js";
import { bindGraph, panelBack, renderTop } from "./js/panel.js";
import { bindSearch } from "./js/search.js";
import { renderStart } from "./js/start.js";
import { state } from "./js/state.js";
import { readUrl, recordLanguage, restore } from "./js/url.js";

cytoscape.use(cytoscapeDagre);
cytoscape.use(window.cytoscapeFcose);

function relayout() {
  const cy = state.cy;
  if (cy.nodes().empty()) return;
  if (state.mode === "lineage") runDagre(cy);
  else {
    layoutGraph(cy);
    fitView(cy.elements());
  }
}

function bindUi() {
  bindSearch();
  $("mode-explore").addEventListener("click", () => switchMode("explore"));
  $("mode-lineage").addEventListener("click", () => {
    if (state.currentDoc) showLineage(state.currentDoc, state.lineage?.direction || "implementations").catch(showError);
  });
  $("mode-coverage").addEventListener("click", () => {
    if (state.currentDoc) showCoverage(state.currentDoc).catch(showError);
  });
  $("btn-fit").addEventListener("click", () => fitView(state.cy.elements()));
  $("btn-relayout").addEventListener("click", relayout);
  $("btn-clear").addEventListener("click", showStart);
  $("panel-back").addEventListener("click", panelBack);
  $("lang").addEventListener("click", () => setLang(lang() === "zh" ? "en" : "zh"));
  window.addEventListener("popstate", () => restore(apply).catch(showError));
}

// A change of language redraws the words, not the view (and keeps the history entry).
onLanguage(() => {
  recordLanguage();
  renderLegend();
  relabelEdges(state.cy);
  renderLineageTitle();
  renderCoverage();
  if (state.cy.nodes().empty()) renderStart().catch(showError);
  renderTop();
});

async function main() {
  setLang(initialLang(readUrl().lang), { notify: false });
  await loadOntologyLabels((path) => api(path));
  applyStatic();
  state.cy = createGraph();
  document.body.dataset.mode = "explore";
  bindGraph(state.cy);
  bindUi();
  renderLegend();
  // Exposed so the browser test can find a node's position on screen and click it like a user.
  window.policykg = { cy: state.cy, state };
  await restore(apply).catch(showError);
  document.body.dataset.ready = "true";
}

main();
