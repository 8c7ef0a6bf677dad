// The explorer's only way to the data: JSON GETs under /api/v1.

export class ApiError extends Error {
  constructor(message, status) {
    super(message);
    this.status = status;
  }
}

function errorMessage(body, response) {
  if (body && typeof body === "object") {
    const error = body.error ?? body;
    if (typeof error === "string") return error;
    if (error.message) return error.message;
    if (typeof body.detail === "string") return body.detail;
    if (Array.isArray(body.detail)) return body.detail.map((d) => d.msg ?? JSON.stringify(d)).join("; ");
  }
  return `${response.status} ${response.statusText}`;
}

/** GET path with the non-empty params as a query string; rejects with ApiError on HTTP errors. */
export async function getJson(path, params = {}, { signal } = {}) {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== "") query.set(key, String(value));
  }
  const url = query.size ? `${path}?${query}` : path;
  const response = await fetch(url, { signal, headers: { Accept: "application/json" } });
  const body = await response.json().catch(() => null);
  if (!response.ok) throw new ApiError(errorMessage(body, response), response.status);
  return body;
}

export const api = {
  schema: () => getJson("/api/v1/schema"),
  queries: () => getJson("/api/v1/queries"),
  entity: (id) => getJson(`/api/v1/entities/${encodeURIComponent(id)}`),
  search: (params, options) => getJson("/api/v1/entities", params, options),
  neighbors: (id, params = {}) => getJson(`/api/v1/entities/${encodeURIComponent(id)}/neighbors`, params),
  runQuery: (name, params) => getJson(`/api/v1/queries/${encodeURIComponent(name)}`, params),
  paths: (params) => getJson("/api/v1/paths", params),
};

/** Every entity of a type, following next_cursor pages. */
export async function allEntities(type, pageSize = 500) {
  const items = [];
  let cursor;
  do {
    const page = await api.search({ type, limit: pageSize, cursor });
    items.push(...page.items);
    cursor = page.next_cursor;
  } while (cursor);
  return items;
}

/** Map items through an async function with at most `limit` calls in flight, keeping order. */
export async function mapLimited(items, limit, fn) {
  const results = new Array(items.length);
  let next = 0;
  async function worker() {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index], index);
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
