// 中文 / English. Terms of the graph (node kinds, relationships, properties) are the ontology's
// rdfs:label@zh / @en, fetched once from GET ontology/labels; the page's own words (buttons,
// notes) are in STRINGS below. Switching re-renders through the listeners (onLanguage).

const STRINGS = {
  zh: {
    "page.title": "PolicyKG · 政策知识图谱",
    "brand.sub": "政策知识图谱",
    "search.placeholder": "搜索文件或机构名称，如：知识产权强国建设纲要",
    "search.label": "搜索文件或机构",
    "search.none": "没有找到包含“{q}”的文件或机构",
    "search.docs": "文件",
    "search.agencies": "机构",
    "lang.switch": "English",
    "lang.label": "Switch to English",
    "stage.label": "图谱",
    "modes.label": "视图",
    "mode.explore": "关系图",
    "mode.lineage": "谱系",
    "tool.relayout": "重新布局",
    "tool.relayout.title": "重新排列当前图",
    "tool.fit": "适应窗口",
    "tool.fit.title": "缩放以显示全部节点",
    "tool.clear": "起始页",
    "tool.clear.title": "清空画布，回到起始页",
    "canvas.label": "知识图谱画布",
    "legend.label": "图例",
    "legend.title": "图例",
    "legend.level": "{level}文件",
    "legend.stub": "仅被引用的文件",
    "legend.hint": "点击节点展开 · 滚轮缩放 · 拖动平移",
    "panel.label": "详情",
    "panel.kind": "详情",
    "panel.back": "← 返回",
    "panel.back.title": "返回",
    "panel.placeholder": "选择一个节点以查看其属性、原文出处和相关任务。",
    "panel.failed": "无法加载：{message}",
    "status.loading": "加载中…",
    "status.failed": "请求失败：{message}",
    "level.national": "国家级",
    "level.provincial": "省级",
    "level.municipal": "市级",
    "level.county": "县级",
    "level.unknown": "级别未知",
    "kind.other": "其他",
    "role.lead": "牵头",
    "role.responsible": "参与",
    "note.canvasFull": "画布已有 {n} 个节点（上限 {max}），请先清空再继续展开。",
    "note.more": "新增 {shown} / {total} 个相邻节点（每次最多 {per} 个）— 再次点击该节点显示更多。",
    "note.notInHood": "节点 {id} 不在返回的邻域中",
    "lineage.noAncestors": "该文件没有找到上位依据。",
    "lineage.noImplementations": "尚无文件实施该文件。",
    "lineage.truncated": "仅显示前 {max} 条谱系路径（另有 {more} 条未显示）。",
    "lineage.direction": "谱系方向",
    "lineage.down": "↓ 实施文件",
    "lineage.up": "↑ 上位依据",
    "doc.kind": "政策文件",
    "doc.kindStub": "被引用文件",
    "doc.stubNote": "该文件仅因被其他文件引用而出现，语料中没有其全文。",
    "doc.lineageDown": "实施谱系 ↓",
    "doc.lineageUp": "上位依据 ↑",
    "doc.expand": "在关系图中展开",
    "doc.cites": "引用文件",
    "doc.citedBy": "被以下文件引用",
    "doc.repeals": "废止文件",
    "doc.repealedBy": "被以下文件废止",
    "doc.showSource": "查看原文出处",
    "span.chars": "字符 {start}–{end}",
    "fact.document": "所属文件",
    "citation.kind": "引用关系",
    "citation.title": "文件引用",
    "citation.from": "引用方",
    "citation.to": "被引用",
    "agency.leads": "牵头任务",
    "agency.shares": "参与任务",
    "agency.noLead": "没有牵头的任务。",
    "agency.noShare": "没有参与的任务。",
    "edge.kind": "关系",
    "generic.type": "类型",
    "list.more": "显示更多（剩余 {n} 项）",
    "provenance.title": "原文出处",
    "provenance.none": "没有保存原文句子。",
    "start.title": "国家级政策文件",
    "start.intro": "点击文件查看实施它的省、市文件谱系；或在上方搜索任意文件或机构。",
    "start.count": "{n} 份文件实施",
    "start.none": "图谱中还没有国家级文件。在上方搜索任意文件或机构开始。",
    "start.loading": "正在读取国家级文件…",
    "mode.coverage": "覆盖",
    "doc.coverage": "措施覆盖",
    "coverage.title": "措施覆盖",
    "coverage.asOf": "截至 {day} 有效",
    "coverage.clause": "条款",
    "coverage.summary": "{total} 项措施中有 {n} 项已被至少一个地区的任务承接；空格（·）为尚未承接的缺口，红色为无人承接的措施。",
    "coverage.legend": "每格为该地区实施文件中承接该条款的任务数；章节行合计其下各条；灰色的背景、目标、原则等条款不计为措施。点击数字查看任务及原文。",
    "coverage.gap": "{j}：尚无任务承接",
    "coverage.cellTitle": "{j}：{n} 项任务",
    "coverage.cellKind": "承接任务",
    "coverage.evidence": "依据",
    "coverage.evidence.reference": "明确引用",
    "coverage.evidence.similarity": "文本相似",
    "coverage.score": "得分",
    "coverage.noClauses": "该文件没有识别出编号条款。",
    "coverage.noImplementations": "尚无文件实施或依据该文件，无法计算覆盖。",
    "cascade.title": "目标分解",
    "cascade.none": "该文件及其实施文件中没有可对照的同一指标目标。",
  },
  en: {
    "page.title": "PolicyKG · Policy knowledge graph",
    "brand.sub": "Policy knowledge graph",
    "search.placeholder": "Search documents or agencies, e.g. 知识产权强国建设纲要",
    "search.label": "Search documents or agencies",
    "search.none": "No document or agency contains “{q}”",
    "search.docs": "Documents",
    "search.agencies": "Agencies",
    "lang.switch": "中文",
    "lang.label": "切换到中文",
    "stage.label": "Graph",
    "modes.label": "View",
    "mode.explore": "Graph",
    "mode.lineage": "Lineage",
    "tool.relayout": "Re-layout",
    "tool.relayout.title": "Arrange the graph again",
    "tool.fit": "Fit",
    "tool.fit.title": "Zoom to show every node",
    "tool.clear": "Start",
    "tool.clear.title": "Clear the canvas and go back to the start view",
    "canvas.label": "Knowledge graph canvas",
    "legend.label": "Legend",
    "legend.title": "Legend",
    "legend.level": "{level} documents",
    "legend.stub": "Documents only cited",
    "legend.hint": "Click a node to expand · scroll to zoom · drag to pan",
    "panel.label": "Details",
    "panel.kind": "Details",
    "panel.back": "← Back",
    "panel.back.title": "Back",
    "panel.placeholder": "Select a node to see its properties, source text and tasks.",
    "panel.failed": "Could not load: {message}",
    "status.loading": "Loading…",
    "status.failed": "Request failed: {message}",
    "level.national": "National",
    "level.provincial": "Provincial",
    "level.municipal": "Municipal",
    "level.county": "County",
    "level.unknown": "Level unknown",
    "kind.other": "Other",
    "role.lead": "Lead",
    "role.responsible": "Shares",
    "note.canvasFull": "The canvas holds {n} nodes (limit {max}); clear it before expanding further.",
    "note.more": "Added {shown} of {total} neighbours (at most {per} at a time) — click the node again for more.",
    "note.notInHood": "node {id} is not in the neighbourhood answered",
    "lineage.noAncestors": "No document this one relies on was found.",
    "lineage.noImplementations": "No document implements this one yet.",
    "lineage.truncated": "Showing the first {max} lineage paths ({more} more not shown).",
    "lineage.direction": "Lineage direction",
    "lineage.down": "↓ Implementations",
    "lineage.up": "↑ Relies on",
    "doc.kind": "Policy document",
    "doc.kindStub": "Cited document",
    "doc.stubNote": "This document appears only because others cite it; the corpus does not hold its text.",
    "doc.lineageDown": "Implementations ↓",
    "doc.lineageUp": "Relies on ↑",
    "doc.expand": "Expand in the graph",
    "doc.cites": "Cites",
    "doc.citedBy": "Cited by",
    "doc.repeals": "Repeals",
    "doc.repealedBy": "Repealed by",
    "doc.showSource": "Show the source text",
    "span.chars": "characters {start}–{end}",
    "fact.document": "Document",
    "citation.kind": "Citation",
    "citation.title": "Citation",
    "citation.from": "Citing",
    "citation.to": "Cited",
    "agency.leads": "Tasks it leads",
    "agency.shares": "Tasks it shares",
    "agency.noLead": "Leads no task.",
    "agency.noShare": "Shares no task.",
    "edge.kind": "Relationship",
    "generic.type": "Type",
    "list.more": "Show more ({n} left)",
    "provenance.title": "Source text",
    "provenance.none": "No source sentence was kept.",
    "start.title": "National policy documents",
    "start.intro": "Click a document to see the provincial and city plans implementing it, or search any document or agency above.",
    "start.count": "implemented by {n}",
    "start.none": "The graph holds no national document yet. Search any document or agency above to start.",
    "start.loading": "Reading the national documents…",
    "mode.coverage": "Coverage",
    "doc.coverage": "Clause coverage",
    "coverage.title": "Clause coverage",
    "coverage.asOf": "in force on {day}",
    "coverage.clause": "Clause",
    "coverage.summary": "{n} of {total} measures are taken up by tasks of at least one jurisdiction; an empty cell (·) is a gap, a measure in red is taken up nowhere.",
    "coverage.legend": "Each cell counts the tasks of that jurisdiction's implementing documents that carry out the clause; a part's row sums its clauses; background, goals and principles (grey) are not counted as measures. Click a number for the tasks and their source text.",
    "coverage.gap": "{j}: no task takes this up",
    "coverage.cellTitle": "{j}: {n} tasks",
    "coverage.cellKind": "Tasks carrying it out",
    "coverage.evidence": "Evidence",
    "coverage.evidence.reference": "explicit reference",
    "coverage.evidence.similarity": "text similarity",
    "coverage.score": "score",
    "coverage.noClauses": "No numbered clauses were found in this document.",
    "coverage.noImplementations": "No document implements or relies on this one, so there is no coverage to show.",
    "cascade.title": "Target cascade",
    "cascade.none": "Neither this document nor those implementing it set targets of a shared indicator.",
  },
};

export const LANGS = ["zh", "en"];
const STORAGE_KEY = "policykg.lang";
const listeners = [];
let current = "zh";
let ontology = { classes: {}, relations: {}, properties: {} };

export function lang() {
  return current;
}

export function t(key, vars = {}) {
  const text = STRINGS[current][key] ?? STRINGS.zh[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (m, name) => (name in vars ? String(vars[name]) : m));
}

function ontologyLabel(group, key) {
  const label = ontology[group][key];
  return label ? label[current] || label.zh : null;
}

// Node kind (ontology class by its node label): 政策文件 / Policy document.
export function classLabel(kind) {
  return ontologyLabel("classes", kind) || t("kind.other");
}

// Relationship type (CITES, LED_BY, …): 引用 / cites.
export function relationLabel(type) {
  return ontologyLabel("relations", type) || (type || "").toLowerCase();
}

// Property key (doc_number, issued_on, …): 文号 / document number.
export function propertyLabel(key) {
  return ontologyLabel("properties", key) || key;
}

export function levelLabel(level) {
  return t(`level.${["national", "provincial", "municipal", "county"].includes(level) ? level : "unknown"}`);
}

export async function loadOntologyLabels(fetchJson) {
  try {
    ontology = await fetchJson("ontology/labels");
  } catch (err) {
    console.warn("ontology labels unavailable; showing keys", err);
  }
}

// The language to start in: the URL's, else the one chosen last time, else Chinese.
export function initialLang(fromUrl) {
  if (LANGS.includes(fromUrl)) return fromUrl;
  try {
    const stored = localStorage.getItem(STORAGE_KEY);
    if (LANGS.includes(stored)) return stored;
  } catch {
    // storage may be disabled; the default does
  }
  return "zh";
}

export function setLang(next, { notify = true } = {}) {
  if (!LANGS.includes(next)) return;
  current = next;
  try {
    localStorage.setItem(STORAGE_KEY, next);
  } catch {
    // not kept across visits then
  }
  document.documentElement.lang = next === "zh" ? "zh-CN" : "en";
  applyStatic();
  if (notify) for (const fn of listeners) fn(next);
}

export function onLanguage(fn) {
  listeners.push(fn);
}

// The static page's words: data-i18n (text) and data-i18n-{placeholder,title,aria-label}.
export function applyStatic(root = document) {
  document.title = t("page.title");
  for (const el of root.querySelectorAll("[data-i18n]")) el.textContent = t(el.dataset.i18n);
  for (const attr of ["placeholder", "title", "aria-label"]) {
    const data = `data-i18n-${attr}`;
    for (const el of root.querySelectorAll(`[${data}]`)) el.setAttribute(attr, t(el.getAttribute(data)));
  }
}
