/**
 * A tree whose names are not all UTF-8 (Linux names are bytes), for the adapters' tests: a root
 * named `www\u{FFFD}` beside a sibling `www\xff` that reads the same once decoded lossily, and
 * must never pass for inside the root.
 */
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, realpathSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "vitest";
import { rawGet } from "./raw-http.ts";

/** One path of bytes: strings as UTF-8, numbers as one raw byte each (`bytes("inv", 0xff, "alid")`). */
export const bytes = (...parts: (string | number | Buffer)[]): Buffer =>
  Buffer.concat(
    parts.map((part) =>
      typeof part === "number" ? Buffer.of(part) : typeof part === "string" ? Buffer.from(part) : part,
    ),
  );

export interface TwinTree {
  /** The temporary directory holding both; the caller removes it. */
  base: string;
  /** The root to serve: `base/www\u{FFFD}`. */
  site: string;
  /** What `base/www\xff/secret.txt` holds: no response may contain it. */
  secret: string;
}

/**
 * Creates, in a new temporary directory, the root `www\u{FFFD}` holding `inv\xffalid.txt`
 * ("not UTF-8\n") and the links `twin-link.txt` and `twin-dir`, which lead to the sibling `www\xff`
 * and its `secret.txt`.
 */
export function writeTwinTree(prefix: string): TwinTree {
  const base = realpathSync(mkdtempSync(join(tmpdir(), prefix)));
  const site = join(base, "www\uFFFD");
  const twin = bytes(`${base}/www`, 0xff);
  const secret = `lossy-twin-secret-${randomBytes(8).toString("hex")}`;
  mkdirSync(site);
  mkdirSync(twin);
  writeFileSync(bytes(twin, "/secret.txt"), secret);
  writeFileSync(bytes(`${site}/inv`, 0xff, "alid.txt"), "not UTF-8\n");
  symlinkSync(bytes("../www", 0xff, "/secret.txt"), join(site, "twin-link.txt"));
  symlinkSync(bytes("../www", 0xff), join(site, "twin-dir"));
  return { base, site, secret };
}

/** The twin links answer 404 without the secret, and the root's listing names none of them. */
export async function expectTwinRefused(port: number, secret: string, morePaths: string[] = []): Promise<void> {
  for (const path of ["/twin-link.txt", "/twin-dir/secret.txt", "/twin-dir/", ...morePaths]) {
    const response = await rawGet(port, path);
    expect(response.status, path).toBe(404);
    expect(response.raw.includes(secret), path).toBe(false);
  }
  expect((await rawGet(port, "/")).body.toString()).not.toContain("twin-");
}
