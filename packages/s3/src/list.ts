/**
 * Folders as prefixes: ListObjectsV2 with the delimiter `/`.
 *
 * @module
 */
import { DIRECTORY_STAT, type DirEntry, isEntryName } from "@simplehttp/core";
import { errorOf, S3Error } from "./errors.js";
import { decodeListedKey, queryString } from "./keys.js";
import { parseTime, strongETag } from "./metadata.js";
import type { Send } from "./request.js";
import { list, parseXml, text } from "./xml.js";

/** One page of a listing: the rows below `prefix`, and the token of the next page, if any. */
export interface ListPage {
  entries: DirEntry[];
  /** How many keys and prefixes the page held, rows left out (a `dir/` marker) included. */
  keyCount: number;
  next: string | undefined;
}

/**
 * Lists one page of the keys under `prefix` (`""` or ending in `/`), one level deep.
 *
 * - `encoding-type=url`: keys come back percent-encoded, so a key with characters XML cannot hold
 *   still lists (ListObjectsV2, "EncodingType").
 * - `max-keys` counts CommonPrefixes as well as Contents, and a page may hold fewer than asked
 *   even when more follow: only `IsTruncated` and `NextContinuationToken` say so.
 * - The key equal to `prefix` (the `dir/` marker the S3 console's "Create folder" puts) is not a
 *   row, though it makes the folder exist; nor is a name no URL path can reach (empty, `.`, `..`).
 */
export async function listPage(
  send: Send,
  prefix: string,
  options: { token?: string; maxKeys?: number } = {},
): Promise<ListPage> {
  const params: Record<string, string> = { "list-type": "2", delimiter: "/", "encoding-type": "url", prefix };
  if (options.maxKeys !== undefined) params["max-keys"] = String(options.maxKeys);
  if (options.token !== undefined) params["continuation-token"] = options.token;
  const what = `list ${prefix || "/"}`;
  const response = await send({ method: "GET", path: "", query: queryString(params), what });
  if (!response.ok) throw await errorOf(response, what);
  const result = parseXml(await response.text()).ListBucketResult;
  if (typeof result !== "object" || result === null)
    throw new S3Error(`s3: ${what} answered something that is not a ListBucketResult`, response.status);

  const entries: DirEntry[] = [];
  const contents = list(result, "Contents");
  const prefixes = list(result, "CommonPrefixes");
  for (const row of contents) {
    const name = nameUnder(prefix, text(row, "Key"));
    if (name === undefined) continue;
    const size = Number(text(row, "Size"));
    const mtimeMs = parseTime(text(row, "LastModified"));
    const etag = strongETag(text(row, "ETag"));
    entries.push({
      name,
      stat: {
        kind: "file",
        size: Number.isSafeInteger(size) ? size : 0,
        ...(mtimeMs !== undefined && { mtimeMs }),
        ...(etag !== undefined && { etag }),
      },
    });
  }
  for (const row of prefixes) {
    const name = nameUnder(prefix, text(row, "Prefix"))?.replace(/\/$/, "");
    if (name === undefined) continue;
    entries.push({ name, stat: DIRECTORY_STAT });
  }
  const truncated = text(result, "IsTruncated") === "true";
  const next = text(result, "NextContinuationToken");
  // A truncated page without a token could only be asked for again, forever.
  if (truncated && !next)
    throw new S3Error(`s3: ${what} is truncated but gives no NextContinuationToken`, response.status);
  return { entries, keyCount: contents.length + prefixes.length, next: truncated ? next : undefined };
}

/**
 * Every row under `prefix`, page after page; `undefined` when no key at all starts with it (a
 * `dir/` marker alone is a key: the console's empty folder is an empty folder here too).
 */
export async function listAll(send: Send, prefix: string): Promise<DirEntry[] | undefined> {
  const entries: DirEntry[] = [];
  let keys = 0;
  let token: string | undefined;
  do {
    const page = await listPage(send, prefix, token === undefined ? {} : { token });
    entries.push(...page.entries);
    keys += page.keyCount;
    token = page.next;
  } while (token !== undefined);
  return keys === 0 ? undefined : entries;
}

/** Whether any key starts with `prefix` (a folder): one page of at most one row. */
export async function hasKeysUnder(send: Send, prefix: string): Promise<boolean> {
  const page = await listPage(send, prefix, { maxKeys: 1 });
  return page.keyCount > 0 || page.next !== undefined;
}

/** The name of `encodedKey` (one listed key or prefix) below `prefix`, or undefined to skip it. */
function nameUnder(prefix: string, encodedKey: string | undefined): string | undefined {
  const key = encodedKey === undefined ? undefined : decodeListedKey(encodedKey);
  if (key === undefined || !key.startsWith(prefix)) return undefined;
  const name = key.slice(prefix.length);
  // A prefix row keeps its trailing slash here; a file row holds none (it would be a CommonPrefix).
  return isEntryName(name.replace(/\/$/, "")) ? name : undefined;
}
