// Display names in the current language: entities, types, relations, properties and graph nodes.

import { language, pick, t } from "./i18n.js";
import { state } from "./state.js";

export const entityLabel = (entity) => pick(entity?.labels, entity?.id ?? "");
export const typeLabel = (name) => (name === "__deadline__" ? t("deadline") : pick(state.types.get(name)?.labels, name));
export const relationLabel = (key) => pick(state.relations.get(key)?.labels, key);
export const propertyLabel = (key) => pick(state.properties.get(key)?.labels, key);
export const otherLanguage = () => (language() === "en" ? "zh" : "en");

/** A node's label as drawn, or its id when it is not in the graph. */
export function nodeLabel(id) {
  const node = state.cy?.getElementById(id);
  return node && node.nonempty() ? node.data("label") : id;
}

/** A document's title in the current language (known documents are loaded at start), else its id. */
export function documentLabel(id) {
  const documentEntity = state.documents?.get(id);
  return documentEntity ? pick(documentEntity.labels, id) : nodeLabel(id);
}
