// What the page shows, shared by the views. The URL mirrors the parts a person would send
// (url.js); the rest is how the canvas got there.
export const state = {
  cy: null,
  mode: "explore", // explore | lineage | coverage (the start view is explore on an empty canvas)
  canvasMode: "explore", // what the canvas shows beneath the coverage view
  coverage: null, // { coverage, cascade }: the answers the coverage view draws
  exploreSnapshot: null, // the explore graph, kept while the lineage view borrows the canvas
  exploreNote: "",
  exploreCenter: null, // the node whose neighbourhood was opened or expanded last
  exploreDepth: 1,
  expanded: new Map(), // node id -> number of its neighbors drawn so far
  lineage: null, // { docId, title, direction, depth }
  currentDoc: null, // DocumentRef of the last document shown, for the lineage tab
};
