// Search as you type: documents and agencies whose name contains the words; picking one opens it.
import { apiList, showError } from "./api.js";
import { SEARCH_DEBOUNCE_MS, SEARCH_LIMIT_AGENCIES, SEARCH_LIMIT_DOCS } from "./config.js";
import { $, debounce, h } from "./dom.js";
import { classLabel, levelLabel, propertyLabel, t } from "./i18n.js";
import { openAgency, openDocument } from "./navigate.js";

const search = { seq: 0, items: [], active: -1, shownFor: null, debounced: null };

// An answer to an older query is dropped when it arrives late (a sequence number rather than
// aborting the request: a small search costs less than a cancelled one logged as failed).
async function runSearch(q) {
  const seq = ++search.seq;
  if (!q) {
    search.shownFor = null;
    return closeResults();
  }
  try {
    const [docs, agencies] = await Promise.all([
      apiList("documents", { q, limit: SEARCH_LIMIT_DOCS }),
      apiList("agencies", { q, limit: SEARCH_LIMIT_AGENCIES }),
    ]);
    if (seq !== search.seq) return;
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
      isDoc ? (ref.stub ? propertyLabel("stub") : levelLabel(ref.level)) : classLabel("Agency"),
    ),
    h(
      "span",
      { class: "result-text" },
      h("span", { class: "result-title" }, isDoc ? ref.title || ref.doc_number || ref.id : ref.name),
      h("span", { class: "result-meta" }, meta),
    ),
  );
}

function docMeta(ref) {
  return [ref.jurisdiction, ref.doc_number].filter(Boolean).join(" · ");
}

function agencyMeta(ref) {
  const counts = `${t("role.lead")} ${ref.lead_tasks ?? 0} · ${t("role.responsible")} ${ref.responsible_tasks ?? 0}`;
  return [ref.jurisdiction, counts].filter(Boolean).join(" · ");
}

function renderResults(q, docs, agencies) {
  const list = $("search-results");
  search.items = [...docs.map((ref) => ({ kind: "doc", ref })), ...agencies.map((ref) => ({ kind: "agency", ref }))];
  search.active = -1;
  list.replaceChildren();
  if (search.items.length === 0) {
    list.append(h("li", { class: "result-empty", role: "presentation" }, t("search.none", { q })));
  } else {
    let index = 0;
    if (docs.length) list.append(h("li", { class: "result-group", role: "presentation" }, t("search.docs")));
    docs.forEach(() => list.append(resultItem(search.items[index], index++)));
    if (agencies.length) list.append(h("li", { class: "result-group", role: "presentation" }, t("search.agencies")));
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

export function bindSearch() {
  const input = $("search");
  search.debounced = debounce((q) => runSearch(q), SEARCH_DEBOUNCE_MS);
  input.addEventListener("input", () => search.debounced(input.value.trim()));
  input.addEventListener("keydown", onSearchKey);
  input.addEventListener("focus", () => {
    if (search.items.length && input.value.trim()) $("search-results").hidden = false;
  });
  input.addEventListener("blur", () => setTimeout(closeResults, 120));
}
