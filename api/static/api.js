// The explorer's only way to the data: JSON GETs under /api/v1.

export class ApiError extends Error {
  constructor(message, status, code = null) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/**
 * The message of an error answer, in either shape the API has used: RFC 9457 problem details
 * ({title, detail, code, message}) or the older {error: {code, message}}; FastAPI's {detail: [...]} too.
 */
export function errorMessage(body, response) {
  if (body && typeof body === "object") {
    if (typeof body.error === "string") return body.error;
    if (typeof body.error?.message === "string") return body.error.message;
    if (typeof body.message === "string") return body.message;
    if (typeof body.detail === "string") return body.detail;
    if (Array.isArray(body.detail)) return body.detail.map((d) => d.msg ?? JSON.stringify(d)).join("; ");
    if (typeof body.title === "string") return body.title;
  }
  return `${response.status} ${response.statusText}`;
}

/** The machine-readable code of an error answer (problem details' code, or error.code). */
function errorCode(body) {
  return (body && typeof body === "object" && (body.code ?? body.error?.code)) || null;
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
  if (!response.ok) throw new ApiError(errorMessage(body, response), response.status, errorCode(body));
  return body;
}

/** POST a JSON body; rejects with ApiError on HTTP errors. */
export async function postJson(path, payload) {
  const response = await fetch(path, {
    method: "POST",
    headers: { Accept: "application/json", "Content-Type": "application/json" },
    body: JSON.stringify(payload),
  });
  const body = await response.json().catch(() => null);
  if (!response.ok) throw new ApiError(errorMessage(body, response), response.status, errorCode(body));
  return body;
}

/** Items per request when the explorer reads a named query's answer (the API's page bound). */
const QUERY_PAGE = 500;

/**
 * A named query's whole answer: the API pages answers (`limit`, `next_cursor`); the explorer draws and
 * counts complete answers, so it follows the cursor to the end and returns the items of every page.
 */
export async function allQueryPages(name, params) {
  const path = `/api/v1/queries/${encodeURIComponent(name)}`;
  const first = await getJson(path, { ...params, limit: QUERY_PAGE });
  const items = [...(first.items ?? [])];
  let cursor = first.next_cursor;
  while (cursor) {
    const page = await getJson(path, { ...params, limit: QUERY_PAGE, cursor });
    items.push(...(page.items ?? []));
    cursor = page.next_cursor;
  }
  return { ...first, items, next_cursor: null };
}

export const api = {
  schema: () => getJson("/api/v1/schema"),
  queries: () => getJson("/api/v1/queries"),
  entity: (id) => getJson(`/api/v1/entities/${encodeURIComponent(id)}`),
  search: (params, options) => getJson("/api/v1/entities", params, options),
  neighbors: (id, params = {}) => getJson(`/api/v1/entities/${encodeURIComponent(id)}/neighbors`, params),
  runQuery: (name, params) => allQueryPages(name, params),
  paths: (params) => getJson("/api/v1/paths", params),
  derived: (name, params) => getJson(`/api/v1/derived/${encodeURIComponent(name)}`, params),
  ask: (q) => getJson("/api/v1/ask", { q }),
  diff: (a, b) => getJson("/api/v1/diff", { a, b }),
  coverage: () => getJson("/api/v1/analytics/coverage"),
  deadlines: (params = {}) => getJson("/api/v1/deadlines", params),
  planSummary: (id) => getJson(`/api/v1/plans/${encodeURIComponent(id)}/summary`),
  extract: (payload) => postJson("/api/v1/extract", payload),
};

/** The report on a plan (self-contained HTML), to open in a new tab. */
export const reportUrl = (planId) => `/api/v1/plans/${encodeURIComponent(planId)}/report`;

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
