/**
 * A fresh root for the write suite, with what an attacker would aim at beside it: a secret and a
 * folder outside the root, a sibling whose name starts with the root's (`root-evil`), and inside
 * the root links that lead there (folder links, a file link, and a dangling link whose target
 * would be created outside). `snapshot()` records the whole tree, links
 * unfollowed, so a case can show that nothing changed anywhere, byte for byte.
 */
import { createHash } from "node:crypto";
import {
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  realpathSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** The secret outside the root: no write may change it, nor add anything beside it. */
export const SECRET = "TOP-SECRET-outside-the-root: writes";

/** Paths under the root → contents, as the suite starts. */
export const ROOT_FILES: Readonly<Record<string, string>> = {
  "hello.txt": "hello\n",
  "movable.txt": "the source of every MOVE and COPY\n",
  "docs/guide.txt": "guide\n",
};

/** Links inside the root → where they lead (relative to the link). */
export const ROOT_LINKS: Readonly<Record<string, string>> = {
  "link-out": "../outside",
  "escape.txt": "../outside/secret.txt",
  "dangling-out": "../outside/made-through-a-link.txt",
  // updog#72: a check of strings, not of path components, takes `root-evil` for under `root`.
  "prefix-trick": "../root-evil",
};

/** Empty folders under the root, for the cases that list one on disk. */
export const ROOT_FOLDERS = ["aborted", "full", "race"] as const;

export interface WriteFixture {
  /** The temporary folder holding `root/`, `outside/` and `root-evil/`. */
  base: string;
  root: string;
  outside: string;
}

/**
 * Makes a fresh base folder (its real path) holding `root/`, `outside/` and `root-evil/`.
 *
 * @example
 * ```ts
 * const { base, root } = writeFixture();
 * ```
 */
export function writeFixture(): WriteFixture {
  const base = realpathSync(mkdtempSync(join(tmpdir(), "simplehttp-write-safety-")));
  const root = join(base, "root");
  const outside = join(base, "outside");
  mkdirSync(join(outside, "keep"), { recursive: true });
  writeFileSync(join(outside, "secret.txt"), SECRET);
  writeFileSync(join(outside, "keep/inner.txt"), "kept\n");
  mkdirSync(join(base, "root-evil"));
  writeFileSync(join(base, "root-evil/kept.txt"), "beside the root, under a name that starts as its own\n");
  for (const folder of ["docs", ...ROOT_FOLDERS]) mkdirSync(join(root, folder), { recursive: true });
  for (const [path, content] of Object.entries(ROOT_FILES)) writeFileSync(join(root, path), content);
  for (const [path, target] of Object.entries(ROOT_LINKS)) symlinkSync(target, join(root, path));
  return { base, root, outside };
}

/**
 * Every entry under `dir`, links not followed: `file <sha-256>`, `link -> <target>` or `folder`,
 * by path relative to `dir`. Two snapshots are equal when nothing was added, removed or changed.
 *
 * @example
 * ```ts
 * const before = snapshot(base);
 * // … a refused write …
 * expect(snapshot(base)).toEqual(before);
 * ```
 */
export function snapshot(dir: string, under = ""): Record<string, string> {
  const entries: Record<string, string> = {};
  for (const name of readdirSync(join(dir, under)).sort()) {
    const path = under === "" ? name : `${under}/${name}`;
    const stat = lstatSync(join(dir, path));
    if (stat.isSymbolicLink()) entries[path] = `link -> ${readlinkSync(join(dir, path))}`;
    else if (stat.isDirectory()) Object.assign(entries, { [path]: "folder" }, snapshot(dir, path));
    else
      entries[path] = `file ${createHash("sha256")
        .update(readFileSync(join(dir, path)))
        .digest("hex")}`;
  }
  return entries;
}

/**
 * The paths that differ between two snapshots (added, removed or changed), sorted.
 *
 * @example
 * ```ts
 * expect(changes(before, snapshot(base))).toEqual(["root/new.txt"]);
 * ```
 */
export function changes(before: Record<string, string>, after: Record<string, string>): string[] {
  const paths = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...paths].filter((path) => before[path] !== after[path]).sort();
}
