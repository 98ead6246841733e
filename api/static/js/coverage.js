// The coverage view of a document: its clauses down the side, the jurisdictions of the
// documents implementing it across, each cell the number of their tasks linked to the clause
// (GET lineage/coverage; a click lists the tasks with their source sentences in the panel); an
// empty cell is a gap. Below, the target cascade (GET targets/cascade): one small bar chart per
// indicator, the document's own value first, then the implementing levels' values.
import { api, showError, showNote, withBusy } from "./api.js";
import { NOT_A_MEASURE, levelInfo } from "./config.js";
import { $, h, short } from "./dom.js";
import { classLabel, levelLabel, propertyLabel, relationLabel, t } from "./i18n.js";
import { switchMode } from "./lineage.js";
import {
  agencyLinks,
  docLink,
  field,
  fields,
  provenance,
  section,
  showPanel,
  targetValue,
  targetView,
  taskView,
} from "./panel.js";
import { state } from "./state.js";
import { record } from "./url.js";

export async function showCoverage(doc) {
  const [coverage, cascade] = await withBusy(
    Promise.all([api("lineage/coverage", { document: doc.id }), api("targets/cascade", { document: doc.id })]),
  );
  switchMode("coverage", { record: false });
  state.coverage = { coverage, cascade };
  state.currentDoc = state.currentDoc?.id === coverage.root.id ? state.currentDoc : coverage.root;
  $("mode-lineage").disabled = false;
  $("mode-coverage").disabled = false;
  showNote("");
  renderCoverage();
  record({ view: "coverage", node: coverage.root.id });
}

// Also run when the language changes: the words are redrawn from the answers kept.
export function renderCoverage() {
  const box = $("coverage");
  if (!state.coverage) {
    box.replaceChildren();
    return;
  }
  const { coverage, cascade } = state.coverage;
  box.replaceChildren(
    h(
      "header",
      { class: "coverage-head" },
      h("h2", { id: "coverage-title" }, t("coverage.title")),
      h("span", { class: "coverage-doc", title: coverage.root.title || "" }, coverage.root.title || coverage.root.id),
      coverage.as_of ? h("span", { class: "badge" }, t("coverage.asOf", { day: coverage.as_of })) : null,
    ),
    matrix(coverage),
    cascadeCharts(cascade),
  );
}

// --- the clause × jurisdiction matrix ---

// A clause's count: its own links, plus its sub-provisions' for a part (its row sums them).
function counts(coverage) {
  const byClause = new Map();
  const children = new Map();
  for (const row of coverage.clauses) {
    const own = new Map(row.cells.map((cell) => [cell.jurisdiction, cell.tasks]));
    byClause.set(row.clause.id, own);
    if (row.clause.parent) {
      if (!children.has(row.clause.parent)) children.set(row.clause.parent, []);
      children.get(row.clause.parent).push(row.clause.id);
    }
  }
  const total = (id, jurisdiction) =>
    (byClause.get(id)?.get(jurisdiction)?.length || 0) +
    (children.get(id) || []).reduce((n, child) => n + total(child, jurisdiction), 0);
  return { total, hasChildren: (id) => children.has(id) };
}

function matrix(coverage) {
  const columns = coverage.jurisdictions;
  if (!coverage.clauses.length) return h("p", { class: "muted", id: "coverage-empty" }, t("coverage.noClauses"));
  if (!columns.length) return h("p", { class: "muted", id: "coverage-empty" }, t("coverage.noImplementations"));
  const { total, hasChildren } = counts(coverage);
  const measures = coverage.clauses.filter((row) => !hasChildren(row.clause.id) && isMeasure(row.clause));
  const takenUp = measures.filter((row) => columns.some((col) => total(row.clause.id, col.jurisdiction) > 0));
  const head = h(
    "tr",
    {},
    h("th", { scope: "col", class: "cov-clause-head" }, t("coverage.clause")),
    columns.map((col) =>
      h(
        "th",
        { scope: "col", class: "cov-col", title: col.documents.map((d) => d.title || d.id).join("\n") },
        h("span", { class: "cov-col-name" }, col.jurisdiction),
        h("span", { class: `badge badge-${levelInfo(col.level).key} small` }, levelLabel(col.level)),
      ),
    ),
  );
  const rows = coverage.clauses.map((row) => clauseRow(row, columns, total, hasChildren(row.clause.id)));
  return h(
    "section",
    { class: "block coverage-matrix" },
    h("p", { class: "coverage-summary" }, t("coverage.summary", { n: takenUp.length, total: measures.length })),
    h(
      "div",
      { class: "cov-scroll" },
      h(
        "table",
        { class: "coverage-table", "aria-labelledby": "coverage-title" },
        h("thead", {}, head),
        h("tbody", {}, rows),
      ),
    ),
    h("p", { class: "muted small" }, t("coverage.legend")),
  );
}

function isMeasure(clause) {
  return !NOT_A_MEASURE.test(clause.heading || "");
}

function clauseRow(row, columns, total, isPart) {
  const clause = row.clause;
  const label = clause.heading || "";
  const cells = columns.map((col) => {
    const n = total(clause.id, col.jurisdiction);
    if (!n) return h("td", { class: "cov-cell gap", title: t("coverage.gap", { j: col.jurisdiction }) }, "·");
    const tint = Math.min(0.85, 0.18 + 0.14 * n);
    return h(
      "td",
      { class: "cov-cell" },
      h(
        "button",
        {
          type: "button",
          class: "cov-count",
          style: `--tint:${tint}`,
          dataset: { clause: clause.id, jurisdiction: col.jurisdiction, count: String(n) },
          title: t("coverage.cellTitle", { n, j: col.jurisdiction }),
          onclick: () => showPanel(() => cellView(row, col, isPart)).catch(showError),
        },
        String(n),
      ),
    );
  });
  const kind = isPart ? "part" : isMeasure(clause) ? "measure" : "preamble";
  const uncovered = kind === "measure" && columns.every((col) => !total(clause.id, col.jurisdiction));
  return h(
    "tr",
    { class: ["cov-row", kind, uncovered ? "uncovered" : ""].join(" ").trim() },
    h(
      "th",
      { scope: "row", class: "cov-clause", style: `--depth:${clause.level - 1}`, title: label },
      h("span", { class: "cov-number" }, clause.number),
      h("span", { class: "cov-heading" }, short(label, 34)),
    ),
    cells,
  );
}

// The tasks behind one cell: for a part, those of its sub-provisions too.
function cellLinks(row, col) {
  const rows = state.coverage.coverage.clauses;
  const ids = new Set([row.clause.id]);
  for (const other of rows) if (other.clause.parent && ids.has(other.clause.parent)) ids.add(other.clause.id);
  return rows
    .filter((other) => ids.has(other.clause.id))
    .flatMap((other) => other.cells.filter((cell) => cell.jurisdiction === col.jurisdiction))
    .flatMap((cell) => cell.tasks);
}

async function cellView(row, col) {
  const links = cellLinks(row, col);
  const clause = row.clause;
  const node = h(
    "div",
    { class: "view view-coverage-cell", dataset: { clause: clause.id } },
    h(
      "header",
      { class: "entity" },
      h("div", { class: "tags" }, h("span", { class: "badge" }, col.jurisdiction)),
      h("h2", { class: "entity-title" }, `${clause.number} ${clause.heading || ""}`.trim()),
    ),
    fields(field(propertyLabel("path"), clause.path)),
    section(classLabel("Task"), links.length, h("ul", { class: "items links" }, links.map(linkItem))),
  );
  return { kind: t("coverage.cellKind"), node };
}

function linkItem(link) {
  const task = link.task;
  return h(
    "li",
    { class: "item linked-task", dataset: { task: task.id } },
    h(
      "button",
      {
        class: "link item-text",
        type: "button",
        onclick: () => showPanel(() => taskView(task)).catch(showError),
      },
      task.text,
    ),
    fields(
      field(t("fact.document"), docLink(task.document)),
      field(relationLabel("LED_BY"), agencyLinks(task.lead)),
      field(
        t("coverage.evidence"),
        h(
          "span",
          { class: `evidence evidence-${link.evidence}` },
          t(`coverage.evidence.${link.evidence}`),
          ` · ${t("coverage.score")} ${link.score.toFixed(2)}`,
          link.quote ? h("span", { class: "evidence-words" }, `「${link.quote}」`) : null,
        ),
      ),
    ),
    provenance(task),
  );
}

// --- the target cascade ---

function cascadeCharts(cascade) {
  const items = (cascade?.indicators || []).filter((ind) => ind.entries.length);
  const body = items.length
    ? h("div", { class: "cascade-grid" }, items.map(indicatorChart))
    : h("p", { class: "muted" }, t("cascade.none"));
  return h(
    "section",
    { class: "block cascade", "aria-labelledby": "cascade-title" },
    h("h3", { id: "cascade-title" }, t("cascade.title"), h("span", { class: "count" }, String(items.length))),
    body,
  );
}

function indicatorChart(ind) {
  // bars compare values of one unit only: each unit is scaled to its own largest value
  const maxByUnit = new Map();
  for (const e of ind.entries) {
    const v = e.target.value;
    if (typeof v === "number") maxByUnit.set(e.target.unit || "", Math.max(maxByUnit.get(e.target.unit || "") || 0, v));
  }
  const title = ind.entries[0].target.indicator || ind.indicator;
  return h(
    "figure",
    { class: "cascade-chart", dataset: { indicator: ind.indicator } },
    h("figcaption", { title }, short(title, 28)),
    h("ul", { class: "bars" }, ind.entries.map((e) => bar(e, maxByUnit))),
  );
}

function bar(entry, maxByUnit) {
  const tg = entry.target;
  const doc = tg.document;
  const max = maxByUnit.get(tg.unit || "") || 0;
  const share = typeof tg.value === "number" && max > 0 ? Math.max(2, (100 * tg.value) / max) : 0;
  const where = doc.jurisdiction || short(doc.title || doc.id, 10);
  const lead = (tg.lead || []).map((a) => a.name).join("、");
  const baseline =
    tg.baseline === null || tg.baseline === undefined
      ? ""
      : ` · ${propertyLabel("baseline")} ${tg.baseline}${tg.unit || ""}${tg.baseline_year ? `（${tg.baseline_year}）` : ""}`;
  return h(
    "li",
    {
      class: `bar-row depth-${entry.depth}`,
      dataset: { depth: String(entry.depth), level: entry.level || "" },
      title: `${doc.title || doc.id}${lead ? `\n${relationLabel("LED_BY")}：${lead}` : ""}`,
    },
    h(
      "button",
      { type: "button", class: "bar-label link", onclick: () => showPanel(() => targetView(tg)).catch(showError) },
      where,
    ),
    h(
      "span",
      { class: "bar-track" },
      h("span", { class: "bar", style: `width:${share}%;background:${levelInfo(entry.level).color}` }),
    ),
    h("span", { class: "bar-value" }, targetValue(tg), baseline),
  );
}
