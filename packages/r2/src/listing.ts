/**
 * Folders as key prefixes: a listing is a delimited `list()`, page after page.
 *
 * @module
 */
import { DIRECTORY_STAT, type DirEntry, isEntryName } from "@simplehttp/core";
import type { R2BucketLike } from "./binding.js";
import { statOf } from "./metadata.js";

// The largest page R2 gives (`limit: 1001` throws). Prefixes count toward it, and with `include`
// a page may hold fewer (Miniflare gives 100; R2 documents only "fewer than limit").
const PAGE = 1000;

/**
 * The entries directly under `folder` (a prefix ending in `/`, or `""` for the bucket), or `null`
 * when no key starts with it. Files carry their size and upload date, or with `mtimes` rclone's
 * `mtime` when they have one (asked for with `include`, which costs more pages: see
 * `R2FileSystemOptions.listingMtime`); sub-folders are the delimited prefixes. A
 * zero-byte `folder/` marker (what consoles create for "New folder") is a key below, so its folder
 * exists, but it is not an entry; nor is a name that is empty or a dot segment (`a//b`, `a/../b`),
 * which no request path can name.
 */
export async function listFolder(bucket: R2BucketLike, folder: string, mtimes: boolean): Promise<DirEntry[] | null> {
  const entries: DirEntry[] = [];
  let found = false;
  let cursor: string | undefined;
  do {
    const page = await bucket.list({
      prefix: folder,
      delimiter: "/",
      cursor,
      limit: PAGE,
      ...(mtimes ? { include: ["customMetadata"] } : {}),
    });
    for (const object of page.objects) {
      found = true;
      const name = object.key.slice(folder.length);
      if (isEntryName(name)) entries.push({ name, stat: statOf(object) });
    }
    for (const prefix of page.delimitedPrefixes) {
      found = true;
      const name = prefix.slice(folder.length, -1);
      if (isEntryName(name)) entries.push({ name, stat: DIRECTORY_STAT });
    }
    // Loop on `truncated`, never on a page's length: pages can be short.
    cursor = page.truncated ? page.cursor : undefined;
  } while (cursor !== undefined);
  return found ? entries : null;
}

/** Whether any key starts with `folder` (a prefix ending in `/`): one call, one key. */
export async function hasKeysBelow(bucket: R2BucketLike, folder: string): Promise<boolean> {
  const page = await bucket.list({ prefix: folder, limit: 1 });
  return page.objects.length > 0 || page.delimitedPrefixes.length > 0;
}
