// The type-ahead entity picker behind the search box and every entity field of the forms.

import { api } from "./api.js";
import { el, reportError } from "./dom.js";
import { language, t } from "./i18n.js";
import { entityLabel, otherLanguage } from "./labels.js";
import { statusBadge, typeChip } from "./legend.js";

/**
 * A search box that suggests entities as you type (debounced; stale requests aborted).
 * `type()` restricts the suggestions to one node type ("" for all).
 */
export function entityPicker(input, { type = () => "", onPick = () => {} } = {}) {
  const list = el("ul", { class: "suggestions", role: "listbox" });
  list.hidden = true;
  input.after(list);
  let items = [];
  let active = -1;
  let timer = null;
  let controller = null;
  let picked = null;

  const close = () => {
    list.hidden = true;
    active = -1;
  };

  const choose = (entity) => {
    picked = entity;
    input.value = entityLabel(entity);
    input.dataset.id = entity.id;
    close();
    onPick(entity);
  };

  const render = () => {
    if (!items.length) {
      list.replaceChildren(el("li", { class: "empty" }, t("noMatches")));
    } else {
      list.replaceChildren(...items.map((entity, index) => el("li", {
        role: "option",
        class: index === active ? "active" : "",
        dataset: { id: entity.id, type: entity.type },
        // mousedown, not click: it fires before the input's blur closes the list
        onmousedown: (event) => { event.preventDefault(); choose(entity); },
      },
      el("span", { class: "primary" }, entityLabel(entity)),
      el("span", { class: "secondary" }, typeChip(entity.type), entity.labels?.[otherLanguage()] ?? "",
        entity.status === "unconfirmed" ? statusBadge("unconfirmed") : null))));
    }
    list.hidden = false;
  };

  const search = async () => {
    const text = input.value.trim();
    controller?.abort();
    if (!text) {
      close();
      return;
    }
    controller = new AbortController();
    try {
      const page = await api.search({ q: text, type: type(), lang: language(), limit: 12 }, { signal: controller.signal });
      items = page.items;
      active = items.length ? 0 : -1;
      render();
    } catch (error) {
      if (error.name !== "AbortError") reportError(error);
    }
  };

  input.addEventListener("input", () => {
    picked = null;
    delete input.dataset.id;
    clearTimeout(timer);
    timer = setTimeout(search, 200);
  });
  input.addEventListener("keydown", (event) => {
    if (list.hidden && event.key !== "Enter") return;
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      const step = event.key === "ArrowDown" ? 1 : -1;
      active = (active + step + items.length) % Math.max(items.length, 1);
      render();
    } else if (event.key === "Enter") {
      if (!list.hidden && items[active]) {
        event.preventDefault();
        choose(items[active]);
      }
    } else if (event.key === "Escape") {
      close();
    }
  });
  input.addEventListener("blur", () => setTimeout(close, 150));

  return {
    get value() {
      return picked;
    },
    set(entity) {
      picked = entity;
      input.value = entity ? entityLabel(entity) : "";
      if (entity) input.dataset.id = entity.id;
      else delete input.dataset.id;
    },
    relabel() {
      if (picked) input.value = entityLabel(picked);
    },
    setPlaceholder(text) {
      input.placeholder = text;
    },
  };
}
