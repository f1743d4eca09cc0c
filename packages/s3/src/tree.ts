/**
 * Every key below a folder (ListObjectsV2 without a delimiter), and deleting keys: one by
 * DeleteObject, many by DeleteObjects, 1,000 a call (its most).
 *
 * @module
 */
import { writeAnswer } from "./answers.js";
import { errorOf, S3Error } from "./errors.js";
import { decodeListedKey, encodeKey, queryString } from "./keys.js";
import { escapeXml } from "./multipart.js";
import type { WriteTarget } from "./target.js";
import { list, parseXml, text, type XmlNode } from "./xml.js";

/** A key found below a folder, with its size (a copy past 5 GiB goes by parts). */
export interface KeyRow {
  key: string;
  size: number;
}

/**
 * The keys that start with `prefix`, a page (up to 1,000) at a time, at any depth. A key whose
 * listed form cannot be decoded is left out: no call could name it.
 */
export async function* keysUnder(target: WriteTarget, prefix: string): AsyncGenerator<KeyRow[]> {
  let token: string | undefined;
  do {
    const params: Record<string, string> = { "list-type": "2", "encoding-type": "url", prefix };
    if (token !== undefined) params["continuation-token"] = token;
    const what = `list ${prefix} (every key)`;
    const response = await target.send({ method: "GET", path: "", query: queryString(params), what });
    if (!response.ok) throw await errorOf(response, what);
    const result = parseXml(await response.text()).ListBucketResult;
    if (typeof result !== "object" || result === null)
      throw new S3Error(`s3: ${what} answered something that is not a ListBucketResult`, response.status);
    const rows: KeyRow[] = [];
    for (const row of list(result, "Contents")) {
      const key = decodeListedKey(text(row, "Key") ?? "");
      const size = Number(text(row, "Size"));
      if (key !== undefined && key !== "") rows.push({ key, size: Number.isSafeInteger(size) ? size : 0 });
    }
    yield rows;
    const truncated = text(result, "IsTruncated") === "true";
    token = truncated ? text(result, "NextContinuationToken") : undefined;
    if (truncated && !token) throw new S3Error(`s3: ${what} is truncated but gives no NextContinuationToken`, 200);
  } while (token !== undefined);
}

/** Deletes the object `key` (S3 answers 204 whether or not it was there). */
export async function deleteObject(target: WriteTarget, key: string): Promise<void> {
  const what = `DELETE ${key}`;
  const response = await target.send({ method: "DELETE", path: encodeKey(key), idempotent: true, what });
  await writeAnswer(response, what, null);
}

// What XML 1.0 cannot carry (its `Char` production): such a key is deleted on its own.
const NOT_XML = /[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]/;
const BATCH = 1000;

/** Deletes every key of `keys`: in DeleteObjects calls of 1,000, or one by one when XML cannot name it. */
export async function deleteKeys(target: WriteTarget, keys: readonly string[]): Promise<void> {
  const plain = keys.filter((key) => !NOT_XML.test(key));
  for (const key of keys) if (NOT_XML.test(key)) await deleteObject(target, key);
  for (let at = 0; at < plain.length; at += BATCH) await deleteBatch(target, plain.slice(at, at + BATCH));
}

async function deleteBatch(target: WriteTarget, keys: readonly string[]): Promise<void> {
  if (keys.length === 1) return deleteObject(target, keys[0] as string);
  const objects = keys.map((key) => `<Object><Key>${escapeXml(key)}</Key></Object>`).join("");
  const xml = `<Delete xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Quiet>true</Quiet>${objects}</Delete>`;
  const body = new TextEncoder().encode(xml);
  const what = `DeleteObjects (${keys.length} keys, ${keys[0]} first)`;
  // DeleteObjects wants its body's checksum: Content-MD5, or one of the x-amz-checksum-* ones
  // ("DeleteObjects", S3 API Reference). Web Crypto has SHA-256 and no MD5.
  const sha256 = new Uint8Array(await crypto.subtle.digest("SHA-256", body));
  const headers = {
    "content-type": "application/xml",
    "x-amz-checksum-sha256": btoa(String.fromCharCode(...sha256)),
    "x-amz-sdk-checksum-algorithm": "SHA256",
  };
  const response = await target.send({
    method: "POST",
    path: "",
    query: "?delete=",
    headers,
    body,
    idempotent: true,
    what,
  });
  const failed = errorsOf(await writeAnswer(response, what, null));
  if (failed.length > 0) {
    const [first] = failed;
    const code = text(first, "Code");
    const why = `${text(first, "Key")}: ${code} ${text(first, "Message") ?? ""}`.trim();
    throw new S3Error(`s3: ${what}: ${failed.length} not deleted, ${why}`, response.status, code);
  }
}

/** The `<Error>` rows of a DeleteResult (one alone is not parsed as a list). */
function errorsOf(result: unknown): XmlNode[] {
  if (typeof result !== "object" || result === null) return [];
  const errors = (result as XmlNode).Error;
  if (errors === undefined) return [];
  return (Array.isArray(errors) ? errors : [errors]) as XmlNode[];
}
