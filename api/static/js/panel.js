// The detail panel: a stack of views (document, task, target, citation, agency), so drilling
// from a document into a task can go back; provenance shown with the extracted words marked.
// Also what a click on the canvas opens.
import { api, apiList, enc, showError, withBusy } from "./api.js";
import { CITATION_EDGES, PANEL_LIST_PAGE, levelInfo } from "./config.js";
import { $, h } from "./dom.js";
import { expand, relationTypeLabel } from "./graph.js";
import { classLabel, levelLabel, propertyLabel, relationLabel, t } from "./i18n.js";
import { showCoverage } from "./coverage.js";
import { showLineage, switchMode } from "./lineage.js";
import { state } from "./state.js";
import { record } from "./url.js";

const panel = { stack: [], seq: 0 };

// `load` answers { kind, node } (the heading and the content) and may be re-run on "back"
// and when the language changes.
export async function showPanel(load, { reset = false } = {}) {
  if (reset) panel.stack = [];
  panel.stack.push(load);
  await renderTop();
}

export async function renderTop() {
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
    body.replaceChildren(h("p", { class: "error" }, t("panel.failed", { message: err.message })));
  } finally {
    if (seq === panel.seq) body.removeAttribute("aria-busy");
  }
}

export function panelBack() {
  if (panel.stack.length < 2) return;
  panel.stack.pop();
  renderTop();
}

export function clearPanel() {
  panel.stack = [];
  panel.seq += 1;
  $("panel-back").hidden = true;
  $("panel-kind").textContent = t("panel.kind");
  $("panel").replaceChildren(h("p", { class: "muted" }, t("panel.placeholder")));
}

function push(load) {
  showPanel(load).catch(showError);
}

// --- shared pieces ---

export function field(label, value) {
  if (value === undefined || value === null || value === "" || (Array.isArray(value) && !value.length)) return null;
  return h("div", { class: "field" }, h("dt", {}, label), h("dd", {}, value));
}

export function fields(...rows) {
  return h("dl", { class: "fields" }, rows.filter(Boolean));
}

export function section(title, count, ...children) {
  const heading = h("h3", {}, title, count === undefined ? null : h("span", { class: "count" }, String(count)));
  return h("section", { class: "block" }, heading, ...children);
}

function linkButton(text, onclick, attrs = {}) {
  return h("button", { class: "link", type: "button", onclick, ...attrs }, text);
}

export function docLink(ref) {
  const label = ref.title || ref.doc_number || ref.id;
  return linkButton(label, () => push(() => loadDocument(ref.id)), { title: label, dataset: { doc: ref.id } });
}

export function agencyLinks(agencies) {
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

export function levelTag(ref) {
  const key = ref.stub ? "stub" : levelInfo(ref.level).key;
  return h("span", { class: `badge badge-${key}` }, ref.stub ? propertyLabel("stub") : levelLabel(ref.level));
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
        linkButton(t("list.more", { n: items.length - next }), () => {
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

function spanText(span) {
  return t("span.chars", { start: span.start, end: span.end });
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

export function provenance(item) {
  const { span, quote, quoteStart } = provenanceOf(item);
  const where = span
    ? h(
        "div",
        { class: "source" },
        h("span", { class: "source-file", title: span.source }, span.source),
        h("span", { class: "source-span" }, spanText(span)),
      )
    : null;
  const text = quote ? highlightedQuote(quote, quoteStart, span) : h("p", { class: "muted" }, t("provenance.none"));
  return h("section", { class: "block provenance" }, h("h3", {}, t("provenance.title")), text, where);
}

// --- documents ---

export async function loadDocument(id) {
  const doc = await api(`documents/${enc(id)}`);
  state.currentDoc = doc;
  $("mode-lineage").disabled = false;
  $("mode-coverage").disabled = false;
  return { kind: t(doc.stub ? "doc.kindStub" : "doc.kind"), node: documentView(doc) };
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
      t("doc.lineageDown"),
    ),
    h(
      "button",
      { id: "btn-lineage-up", type: "button", onclick: () => showLineage(doc, "ancestors").catch(showError) },
      t("doc.lineageUp"),
    ),
    h("button", { id: "btn-explore", type: "button", onclick: () => exploreFrom(doc.id) }, t("doc.expand")),
    h("button", { id: "btn-coverage", type: "button", onclick: () => showCoverage(doc).catch(showError) }, t("doc.coverage")),
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
    field(propertyLabel("doc_number"), doc.doc_number),
    field(relationLabel("HAS_JURISDICTION"), doc.jurisdiction),
    field(propertyLabel("issued_on"), doc.issued_on),
    field(relationLabel("PASSED_BY"), agencyLinks(doc.issuers)),
    field(propertyLabel("source"), doc.span ? `${doc.span.source} · ${spanText(doc.span)}` : null),
  );
  const stubNote = doc.stub ? h("p", { class: "muted" }, t("doc.stubNote")) : null;
  return h(
    "div",
    { class: "view view-document", dataset: { doc: doc.id } },
    head,
    stubNote,
    meta,
    documentActions(doc),
    doc.tasks.length ? section(classLabel("Task"), doc.tasks.length, pagedList(doc.tasks, taskItem, "items tasks")) : null,
    doc.targets.length
      ? section(classLabel("Target"), doc.targets.length, pagedList(doc.targets, targetItem, "items targets"))
      : null,
    citationSection(t("doc.cites"), doc.cites, "cites", doc),
    citationSection(t("doc.citedBy"), doc.cited_by, "cited_by", doc),
    citationSection(t("doc.repeals"), doc.repeals, "repeals", doc),
    citationSection(t("doc.repealedBy"), doc.repealed_by, "repealed_by", doc),
  );
}

function taskItem(task) {
  return h(
    "li",
    { class: "item task", dataset: { task: task.id } },
    linkButton(task.text, () => push(() => taskView(task)), { class: "link item-text" }),
    task.lead.length
      ? h("div", { class: "item-meta" }, h("span", { class: "role role-lead" }, t("role.lead")), agencyLinks(task.lead))
      : null,
    task.responsible.length
      ? h("div", { class: "item-meta" }, h("span", { class: "role" }, t("role.responsible")), agencyLinks(task.responsible))
      : null,
  );
}

export function targetValue(tg) {
  const value = tg.value === null || tg.value === undefined ? "—" : `${tg.value}${tg.unit || ""}`;
  return tg.target_year ? `${value}（${tg.target_year}）` : value;
}

function targetItem(target) {
  return h(
    "li",
    { class: "item target", dataset: { target: target.id } },
    linkButton(target.indicator, () => push(() => targetView(target)), { class: "link item-text" }),
    h("div", { class: "item-meta" }, h("span", { class: "role" }, propertyLabel("value")), targetValue(target)),
  );
}

function citationSection(title, citations, kind, doc) {
  if (!citations || !citations.length) return null;
  const item = (c) =>
    h(
      "li",
      { class: "item citation" },
      h("span", { class: `rel rel-${c.relation}` }, relationTypeLabel(c.relation)),
      linkButton(
        c.document.title || c.document.doc_number || c.document.id,
        () => push(() => citationView(c, kind, doc)),
        { class: "link item-text", title: t("doc.showSource") },
      ),
      c.document.stub ? h("span", { class: "badge badge-stub small" }, propertyLabel("stub")) : null,
    );
  return section(title, citations.length, pagedList(citations, item, "items citations"));
}

// --- tasks, targets, citations ---

export async function taskView(found) {
  const task = await withQuote(found, () => nodeQuote(found.id));
  const node = h(
    "div",
    { class: "view view-task", dataset: { task: task.id } },
    h("header", { class: "entity" }, h("h2", { class: "entity-title task-text" }, task.text)),
    fields(
      field(t("fact.document"), docLink(task.document)),
      field(propertyLabel("section"), task.section),
      field(relationLabel("LED_BY"), agencyLinks(task.lead)),
      field(relationLabel("RESPONSIBILITY_OF"), agencyLinks(task.responsible)),
    ),
    provenance(task),
  );
  return { kind: classLabel("Task"), node };
}

export async function targetView(found) {
  const tg = await withQuote(found, () => nodeQuote(found.id));
  const node = h(
    "div",
    { class: "view view-target", dataset: { target: tg.id } },
    h("header", { class: "entity" }, h("h2", { class: "entity-title" }, tg.indicator)),
    fields(
      field(propertyLabel("value"), targetValue(tg)),
      field(
        propertyLabel("baseline"),
        tg.baseline === null || tg.baseline === undefined
          ? null
          : `${tg.baseline}${tg.unit || ""}${tg.baseline_year ? `（${tg.baseline_year}）` : ""}`,
      ),
      field(t("fact.document"), docLink(tg.document)),
      field(relationLabel("LED_BY"), agencyLinks(tg.lead)),
      field(relationLabel("RESPONSIBILITY_OF"), agencyLinks(tg.responsible)),
    ),
    provenance(tg),
  );
  return { kind: classLabel("Target"), node };
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
      h("div", { class: "tags" }, h("span", { class: `rel rel-${c.relation}` }, relationTypeLabel(c.relation))),
      h("h2", { class: "entity-title" }, t("citation.title")),
    ),
    fields(field(t("citation.from"), docLink(from)), field(t("citation.to"), docLink(to))),
    provenance(c),
  );
  return { kind: t("citation.kind"), node };
}

// --- agencies: who leads what ---

export async function loadAgency(id, known = null) {
  const [summary, lead, responsible] = await Promise.all([
    known && "lead_tasks" in known ? known : agencySummary(id, known),
    apiList(`agencies/${enc(id)}/tasks`, { role: "lead" }),
    apiList(`agencies/${enc(id)}/tasks`, { role: "responsible" }),
  ]);
  return { kind: classLabel("Agency"), node: agencyView(summary || { id, name: id }, lead, responsible) };
}

// There is no /agencies/{id}; the search endpoint by name gives the summary (aliases, counts).
async function agencySummary(id, known) {
  const name = known && known.name;
  if (!name) return { id, name: id };
  const found = await apiList("agencies", { q: name, limit: 20 });
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
  if (!tasks.length) return h("p", { class: "muted" }, t(role === "lead" ? "agency.noLead" : "agency.noShare"));
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
      h("div", { class: "tags" }, h("span", { class: "badge badge-agency" }, classLabel("Agency"))),
      h("h2", { class: "entity-title" }, summary.name),
    ),
    fields(field(relationLabel("OPERATES_IN"), summary.jurisdiction), field(propertyLabel("aliases"), aliases.join("、"))),
    h("div", { class: "actions" }, h("button", { type: "button", onclick: () => exploreFrom(summary.id) }, t("doc.expand"))),
    section(t("agency.leads"), lead.length, taskGroups(lead, "lead")),
    section(t("agency.shares"), responsible.length, taskGroups(responsible, "responsible")),
  );
}

// "Expand in the graph": back to the explore view, growing it around this node.
async function exploreFrom(id) {
  try {
    switchMode("explore", { record: false });
    await expand(id);
    record({ view: "explore", node: id, depth: state.exploreDepth });
  } catch (err) {
    showError(err);
  }
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
    .map(([k, v]) => field(propertyLabel(k), String(v)));
  return {
    kind: classLabel(node.kind),
    node: h(
      "div",
      { class: "view view-generic" },
      h("header", { class: "entity" }, h("h2", { class: "entity-title" }, node.full || node.id)),
      fields(field(t("generic.type"), classLabel(node.kind)), ...rows),
    ),
  };
}

export function loaderFor(data) {
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
  // In the explore view a click also grows the graph (the URL follows without a new history
  // entry); the lineage tree stays a tree.
  if (state.mode === "explore") {
    expand(data.id)
      .then(() => record({ view: "explore", node: data.id, depth: state.exploreDepth }, { replace: true }))
      .catch(showError);
  }
}

async function edgeDetail(data) {
  if (CITATION_EDGES.has(data.type)) {
    const doc = await api(`documents/${enc(data.source)}`);
    const repeal = data.type === "REPEALS";
    const c = (repeal ? doc.repeals : doc.cites).find((x) => x.document.id === data.target);
    if (c) return citationView(c, repeal ? "repeals" : "cites", doc);
  }
  const rows = Object.entries(data.props || {}).map(([k, v]) =>
    field(propertyLabel(k), typeof v === "object" ? JSON.stringify(v) : String(v)),
  );
  const head = h("header", { class: "entity" }, h("h2", { class: "entity-title" }, data.label));
  return {
    kind: t("edge.kind"),
    node: h("div", { class: "view" }, head, fields(field(t("generic.type"), relationLabel(data.type)), ...rows)),
  };
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

// A lineage edge runs from the relied-on document to the one relying on it (see lineage.js).
async function lineageCitation(citingId, citedId) {
  const doc = await api(`documents/${enc(citingId)}`);
  const c = doc.cites.find((x) => x.document.id === citedId) || doc.repeals.find((x) => x.document.id === citedId);
  if (!c) return loadDocument(citingId);
  return citationView(c, doc.repeals.includes(c) ? "repeals" : "cites", doc);
}

function onHover(ev, on) {
  ev.target.connectedEdges().toggleClass("hover", on);
}

export function bindGraph(cy) {
  cy.on("tap", "node", onNodeTap);
  cy.on("tap", "edge", onEdgeTap);
  cy.on("mouseover", "node", (ev) => onHover(ev, true));
  cy.on("mouseout", "node", (ev) => onHover(ev, false));
}
