// Every interface string, in one table. Entity, type and relation labels come from the API.

export const LANGUAGES = ["en", "zh"];

const STRINGS = {
  en: {
    title: "plankg explorer",
    tagline: "Government plans as a graph — with the quoted sentence behind every answer",
    search: "Search",
    searchPlaceholder: "Search in English or 中文…",
    allTypes: "All types",
    noMatches: "No matches",
    queries: "Named queries",
    query: "Query",
    parameter: "Parameter",
    pickEntity: "Type to pick a {type}…",
    includeUnconfirmed: "Include unconfirmed facts",
    run: "Run",
    paths: "Path finder",
    from: "From",
    to: "To",
    maxLength: "Max. hops",
    findPath: "Find path",
    noPath: "No path within {n} hops",
    pathN: "Path {i}: {n} hops",
    coverage: "Coverage",
    coverageTitle: "Standards × industries (supports industry)",
    coverageHelp: "● the standard supports the industry; ○ it supports an industry below it. Click a cell for the evidence.",
    hideEmpty: "Hide empty rows and columns",
    standards: "Standards",
    industries: "Industries",
    total: "Total",
    graph: "Graph",
    layout: "Layout",
    layoutAuto: "Automatic",
    relayout: "Re-layout",
    fit: "Zoom to fit",
    png: "Download PNG",
    clear: "Clear",
    nodesEdges: "{nodes} nodes · {edges} edges",
    legend: "Legend",
    details: "Details",
    detailsEmpty: "Search for an entity, then click a node or an edge to see its details and the quotes behind it.",
    expand: "Expand",
    collapse: "Collapse",
    focus: "Show neighbourhood",
    properties: "Properties",
    target: "Target",
    deadline: "Deadline",
    baseline: "Baseline",
    sources: "Sources",
    noSources: "No source quoted.",
    relations: "Relations",
    unconfirmed: "unconfirmed",
    confirmed: "confirmed",
    results: "Results",
    downloadCsv: "Download CSV",
    colEntity: "Entity",
    colType: "Type",
    colStatus: "Status",
    colEvidence: "Evidence (quote — document, locator)",
    answers: "{n} answer(s): {title}",
    loading: "Loading…",
    ready: "Ready",
    rendered: "{nodes} nodes rendered in {ms} ms",
    error: "Error: {message}",
    noGraphLibrary: "the graph library (Cytoscape.js) is not installed on this server; see the notice above",
    moreRelations: "… and {n} more",
  },
  zh: {
    title: "plankg 图谱浏览器",
    tagline: "把政府规划变成知识图谱——每个答案都附有规划原文",
    search: "搜索",
    searchPlaceholder: "输入中文或 English 搜索…",
    allTypes: "全部类型",
    noMatches: "没有匹配项",
    queries: "预设查询",
    query: "查询",
    parameter: "参数",
    pickEntity: "输入以选择{type}…",
    includeUnconfirmed: "包含未确认的事实",
    run: "运行",
    paths: "路径查找",
    from: "起点",
    to: "终点",
    maxLength: "最多跳数",
    findPath: "查找路径",
    noPath: "{n} 跳以内没有路径",
    pathN: "路径 {i}：{n} 跳",
    coverage: "覆盖矩阵",
    coverageTitle: "标准 × 行业（支撑行业）",
    coverageHelp: "● 标准直接支撑该行业；○ 支撑其下位行业。点击单元格查看依据。",
    hideEmpty: "隐藏空行和空列",
    standards: "标准",
    industries: "行业",
    total: "合计",
    graph: "图谱",
    layout: "布局",
    layoutAuto: "自动",
    relayout: "重新布局",
    fit: "适应窗口",
    png: "下载 PNG",
    clear: "清空",
    nodesEdges: "{nodes} 个节点 · {edges} 条边",
    legend: "图例",
    details: "详情",
    detailsEmpty: "先搜索实体，再点击节点或边，查看详情及其原文依据。",
    expand: "展开",
    collapse: "收起",
    focus: "显示邻域",
    properties: "属性",
    target: "目标值",
    deadline: "期限",
    baseline: "基线",
    sources: "来源",
    noSources: "没有引用来源。",
    relations: "关系",
    unconfirmed: "未确认",
    confirmed: "已确认",
    results: "结果",
    downloadCsv: "下载 CSV",
    colEntity: "实体",
    colType: "类型",
    colStatus: "状态",
    colEvidence: "依据（原文——文件，位置）",
    answers: "{n} 个结果：{title}",
    loading: "加载中…",
    ready: "就绪",
    rendered: "已渲染 {nodes} 个节点，用时 {ms} 毫秒",
    error: "错误：{message}",
    noGraphLibrary: "服务器未安装图形库（Cytoscape.js），请见页面顶部的提示",
    moreRelations: "……另有 {n} 条",
  },
};

let current = "en";

export function setLanguage(lang) {
  current = LANGUAGES.includes(lang) ? lang : "en";
  document.documentElement.lang = current === "zh" ? "zh-CN" : "en";
  return current;
}

export function language() {
  return current;
}

/** The string for key in the current language, with {name} placeholders filled from vars. */
export function t(key, vars = {}) {
  const text = STRINGS[current][key] ?? STRINGS.en[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (match, name) => (name in vars ? String(vars[name]) : match));
}

/** Fill every [data-i18n] element's text and [data-i18n-placeholder]/[data-i18n-title] attribute. */
export function translatePage(root = document) {
  for (const el of root.querySelectorAll("[data-i18n]")) el.textContent = t(el.dataset.i18n);
  for (const el of root.querySelectorAll("[data-i18n-placeholder]")) el.placeholder = t(el.dataset.i18nPlaceholder);
  for (const el of root.querySelectorAll("[data-i18n-title]")) el.title = t(el.dataset.i18nTitle);
  document.title = t("title");
}

/** A {en, zh} label in the current language, falling back to the other language, then to fallback. */
export function pick(labels, fallback = "") {
  if (!labels) return fallback;
  const other = current === "en" ? "zh" : "en";
  return labels[current] || labels[other] || fallback;
}
