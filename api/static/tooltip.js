// The hover tooltip over graph nodes and edges.

import { $, el } from "./dom.js";
import { t } from "./i18n.js";
import { nodeLabel, otherLanguage, relationLabel, typeLabel } from "./labels.js";

export function showTooltip(element, position) {
  const tip = $("tooltip");
  if (element.isNode()) {
    const labels = element.data("labels");
    tip.replaceChildren(
      el("div", {}, element.data("label")),
      el("div", { class: "sub" }, labels?.[otherLanguage()] ?? ""),
      el("div", { class: "sub" }, `${typeLabel(element.data("type"))}${element.data("status") === "unconfirmed" ? ` · ${t("unconfirmed")}` : ""}`));
  } else {
    tip.replaceChildren(
      el("div", {}, relationLabel(element.data("relation"))),
      el("div", { class: "sub" }, `${nodeLabel(element.data("source"))} → ${nodeLabel(element.data("target"))}`));
  }
  tip.style.left = `${position.x + 14}px`;
  tip.style.top = `${position.y + 14}px`;
  tip.hidden = false;
}

export function hideTooltip() {
  $("tooltip").hidden = true;
}
