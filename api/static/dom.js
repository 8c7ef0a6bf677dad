// DOM helpers and the status line: building elements safely, and running UI actions with "Loading…" and errors shown.

import { t } from "./i18n.js";

export const $ = (id) => document.getElementById(id);

/** Build a DOM element; children are nodes or strings (as text, never as HTML). */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "class") node.className = value;
    else if (key === "dataset") Object.assign(node.dataset, value);
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? "" : value);
  }
  node.append(...children.flat().filter((c) => c !== undefined && c !== null && c !== false));
  return node;
}

export function setStatus(text, isError = false) {
  const status = $("status");
  status.textContent = text;
  status.classList.toggle("error", isError);
}

export function reportError(error) {
  console.warn(error);
  setStatus(t("error", { message: error.message ?? String(error) }), true);
}

/** Run an async UI action, showing "Loading…" and any error in the status line. */
export async function busy(action) {
  const loading = t("loading");
  setStatus(loading);
  try {
    const result = await action();
    if ([loading, t("loading")].includes($("status").textContent)) setStatus(t("ready"));
    return result;
  } catch (error) {
    reportError(error);
    return undefined;
  }
}
