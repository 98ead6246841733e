// The start view, shown while the canvas is empty: the national documents, each with how many
// documents implement it, one click from its lineage tree.
import { apiList, showError } from "./api.js";
import { START_DOCUMENTS } from "./config.js";
import { $, h } from "./dom.js";
import { propertyLabel, t } from "./i18n.js";
import { implementationCount } from "./lineage.js";
import { openLineage } from "./navigate.js";

let cache = null; // [{ doc, count }]: the graph does not change while the page is open
let seq = 0;

async function nationalDocuments() {
  if (cache) return cache;
  const docs = await apiList("documents", { level: "national", limit: 100 });
  const counted = await Promise.all(docs.map(async (doc) => ({ doc, count: await implementationCount(doc.id) })));
  // most implemented first; documents with text before those only cited
  counted.sort((a, b) => b.count - a.count || Number(a.doc.stub) - Number(b.doc.stub));
  cache = counted.slice(0, START_DOCUMENTS);
  return cache;
}

function item({ doc, count }) {
  const title = doc.title || doc.doc_number || doc.id;
  return h(
    "li",
    { class: "start-item" },
    h(
      "button",
      {
        type: "button",
        class: "start-doc",
        dataset: { doc: doc.id, count: String(count) },
        onclick: () => openLineage(doc, "implementations").catch(showError),
      },
      h("span", { class: "start-title" }, title),
      h("span", { class: "start-count" }, t("start.count", { n: count })),
      doc.stub ? h("span", { class: "badge badge-stub small" }, propertyLabel("stub")) : null,
    ),
  );
}

export async function renderStart() {
  const box = $("start");
  const mine = ++seq; // a later render (the language switched meanwhile) wins
  box.replaceChildren(h("h2", {}, t("start.title")), h("p", { class: "muted" }, t("start.loading")));
  const docs = await nationalDocuments();
  if (mine !== seq) return;
  box.replaceChildren(
    h("h2", { id: "start-title" }, t("start.title")),
    h("p", {}, t("start.intro")),
    docs.length
      ? h("ul", { class: "start-list", "aria-labelledby": "start-title" }, docs.map(item))
      : h("p", { class: "muted" }, t("start.none")),
  );
  document.body.dataset.start = "ready";
}
