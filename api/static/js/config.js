// Limits and the look of the graph: one table drives both the graph style and the legend, so
// they cannot disagree. Labels in either language come from i18n.js (the ontology's labels).

// Limits that keep the page responsive on a graph of many thousands of documents: nothing is
// fetched up front, each click asks for one neighborhood, and only so much of it is drawn.
export const SEARCH_DEBOUNCE_MS = 250;
export const SEARCH_LIMIT_DOCS = 8;
export const SEARCH_LIMIT_AGENCIES = 6;
export const MAX_NEW_NODES_PER_EXPANSION = 40; // a second click on the same node draws the next batch
export const NEIGHBORHOOD_FETCH_LIMIT = 300;
export const MAX_CANVAS_NODES = 600; // beyond this, ask the user to clear instead of slowing down
export const LINEAGE_DEPTH = 4;
export const MAX_LINEAGE_DEPTH = 10; // the API's limit
export const MAX_EXPLORE_DEPTH = 3; // the API's limit for /graph/neighborhood
export const MAX_LINEAGE_ENTRIES = 300;
export const START_DOCUMENTS = 12;
// Provisions that state background, guiding thought, principles or goals: no task carries them
// out, so the coverage view does not count them as gaps. The linker's own rule, verbatim
// (ingest/clause_links.py NOT_A_MEASURE; tests/test_clause_links.py keeps the two equal).
export const NOT_A_MEASURE = /背景|形势|基础|成效|回顾|现状|机遇|挑战|指导思想|总体思路|原则|目标|定位|愿景|意义/; // national documents on the start view
export const PANEL_LIST_PAGE = 30;
export const MAX_ZOOM = 3;
export const FIT_MAX_ZOOM = 1.1;
export const LINEAGE_MIN_ZOOM = 0.8;
export const FIT_PADDING = 70; // leaves the legend's corner mostly free

export const FONT = '"Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif';

export const LEVELS = [
  { key: "national", color: "#c62828", tint: "#fdecea" },
  { key: "provincial", color: "#ef6c00", tint: "#fff3e0" },
  { key: "municipal", color: "#1565c0", tint: "#e3f2fd" },
  { key: "county", color: "#2e7d32", tint: "#e8f5e9" },
];
export const UNKNOWN_LEVEL = { key: "unknown", color: "#607d8b", tint: "#eceff1" };
export const STUB = { color: "#90a4ae", fill: "#eceff1", tint: "#f5f6f7" };

export const KINDS = {
  Document: { shape: "round-rectangle", w: 34, h: 24 },
  Agency: { shape: "ellipse", color: "#6a1b9a", w: 26, h: 26 },
  Task: { shape: "diamond", color: "#00838f", w: 22, h: 22 },
  Target: { shape: "star", color: "#ad1457", w: 26, h: 26 },
  Jurisdiction: { shape: "barrel", color: "#8d6e63", w: 24, h: 20 },
  Indicator: { shape: "pentagon", color: "#9e9d24", w: 22, h: 22 },
};
export const OTHER_KIND = { shape: "ellipse", color: "#78909c", w: 20, h: 20 };
// Drawn first when a neighborhood is larger than the per-expansion cap.
export const KIND_PRIORITY = ["Document", "Agency", "Target", "Task", "Jurisdiction", "Indicator"];

// A citation's relation (API, lower case) and the ontology relationship type stating it.
export const RELATION_TYPES = {
  based_on: "BASED_ON",
  ensures_implementation_of: "ENSURES_IMPLEMENTATION_OF",
  applies: "APPLIES",
  cites: "CITES",
  repeals: "REPEALS",
};
export const CITATION_EDGES = new Set(Object.values(RELATION_TYPES));

export function levelInfo(level) {
  return LEVELS.find((l) => l.key === level) || UNKNOWN_LEVEL;
}

export function kindInfo(kind) {
  return KINDS[kind] || OTHER_KIND;
}
