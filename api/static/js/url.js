// The URL says what is shown, so a view can be bookmarked, sent and gone back to:
//   ?view=explore&node=doc:…&depth=1            a node's neighbourhood
//   ?view=lineage&node=doc:…&dir=ancestors&depth=4   a lineage tree
//   ?view=coverage&node=doc:…                  a document's clause coverage and target cascade
//   (no view)                                   the start view
//   &lang=en                                    the language, on any of them
// Navigation pushes a history entry (Back works); growing the graph by clicking replaces the
// current one, so Back leaves the graph instead of undoing each click.
import { lang } from "./i18n.js";

let restoring = false;

export function readUrl(search = window.location.search) {
  const q = new URLSearchParams(search);
  const int = (v) => (v && /^\d+$/.test(v) ? Number(v) : null);
  const view = ["explore", "lineage", "coverage"].includes(q.get("view")) ? q.get("view") : "start";
  return {
    view: q.get("node") ? view : "start",
    node: q.get("node") || null,
    dir: q.get("dir") === "ancestors" ? "ancestors" : "implementations",
    depth: int(q.get("depth")),
    lang: q.get("lang"),
  };
}

export function urlFor(shown) {
  const q = new URLSearchParams();
  if (shown.view !== "start" && shown.node) {
    q.set("view", shown.view);
    q.set("node", shown.node);
    if (shown.view === "lineage") q.set("dir", shown.dir || "implementations");
    if (shown.depth) q.set("depth", String(shown.depth));
  }
  if (lang() !== "zh") q.set("lang", lang());
  const qs = q.toString();
  return `${window.location.pathname}${qs ? `?${qs}` : ""}`;
}

// Say what is now shown; `replace` for changes within one view (see above).
export function record(shown, { replace = false } = {}) {
  if (restoring) return;
  const url = urlFor(shown);
  const here = `${window.location.pathname}${window.location.search}`;
  if (url === here) return;
  if (replace) window.history.replaceState(shown, "", url);
  else window.history.pushState(shown, "", url);
}

// The language changed: same view, same history entry.
export function recordLanguage() {
  window.history.replaceState(window.history.state, "", urlFor(readUrl()));
}

// Draw what the URL says (first load, Back, Forward) without pushing it again.
export async function restore(apply) {
  restoring = true;
  try {
    await apply(readUrl());
  } finally {
    restoring = false;
  }
}
