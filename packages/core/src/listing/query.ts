/**
 * What a listing request asks for: order, filter, view, format (or an archive instead), read once
 * from the query string and the `Accept` header. Unknown values fall back to the defaults: a listing URL can be
 * hand-edited, and a typo should show the folder, not an error.
 *
 * @module
 */
import { preferredMediaType } from "../http/negotiate.js";

/** The column a listing is sorted by. */
export type SortKey = "name" | "size" | "mtime";
/** The order of that column. */
export type SortOrder = "asc" | "desc";
/** How a listing is answered: the page, JSON for scripts, or one name per line. */
export type ListingFormat = "html" | "json" | "text";
/** The page's layout: a table, or tiles with image thumbnails. */
export type ListingView = "list" | "grid";

/** A listing request, settled. */
export interface ListingQuery {
  sort: SortKey;
  order: SortOrder;
  /** Case-insensitive substring of the names shown; `""` shows all. */
  q: string;
  view: ListingView;
  format: ListingFormat;
}

const SORTS: readonly SortKey[] = ["name", "size", "mtime"];
const FORMATS: Readonly<Record<string, ListingFormat>> = { html: "html", json: "json", text: "text" };
const MEDIA_TYPES: Readonly<Record<string, ListingFormat>> = {
  "text/html": "html",
  "application/json": "json",
  "text/plain": "text",
};

/**
 * Reads a listing request from its query string (`?sort=size&order=desc&q=report&view=grid`,
 * `?format=json`) and its `Accept` header, which picks the format when the query
 * does not (`application/json`, `text/plain`; anything else, `*\/*` included, gets the page).
 *
 * @example
 * ```ts
 * parseListingQuery("?sort=size&order=desc", "text/html");
 * // { sort: "size", order: "desc", q: "", view: "list", format: "html" }
 * parseListingQuery("", "application/json"); // { …, format: "json" }
 * ```
 */
export function parseListingQuery(search: string, accept: string | null): ListingQuery {
  const params = new URLSearchParams(search);
  const sort = params.get("sort");
  return {
    sort: SORTS.includes(sort as SortKey) ? (sort as SortKey) : "name",
    order: params.get("order") === "desc" ? "desc" : "asc",
    q: params.get("q")?.trim() ?? "",
    view: params.get("view") === "grid" ? "grid" : "list",
    format:
      FORMATS[params.get("format") ?? ""] ??
      MEDIA_TYPES[preferredMediaType(accept, Object.keys(MEDIA_TYPES)) ?? ""] ??
      "html",
  };
}

/**
 * The query string of a listing link: the current query with `changes` applied, defaults left
 * out so links stay short. Starts with `?`, or is `"."` when nothing is left (the folder itself).
 *
 * @example
 * ```ts
 * listingHref(query, { sort: "size", order: "asc" }); // "?sort=size"
 * ```
 */
export function listingHref(
  query: ListingQuery,
  changes: Partial<Pick<ListingQuery, "sort" | "order" | "view">>,
): string {
  const next = { ...query, ...changes };
  const params = new URLSearchParams();
  if (next.sort !== "name") params.set("sort", next.sort);
  if (next.order !== "asc") params.set("order", next.order);
  if (next.q !== "") params.set("q", next.q);
  if (next.view !== "list") params.set("view", next.view);
  const text = params.toString();
  return text === "" ? "." : `?${text}`;
}
