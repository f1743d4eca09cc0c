/**
 * What a write's answer means: done, refused by its condition, or the store failing. S3 may answer
 * a CopyObject, an UploadPartCopy or a CompleteMultipartUpload `200 OK` and then fail it in the
 * body ("Processing of a Complete Multipart Upload request could take several minutes… a 200 OK
 * response can contain either a success or an error", S3 API Reference), so their bodies are read
 * before they count as done.
 *
 * @module
 */
import { parseErrorBody, S3Error, writeError } from "./errors.js";
import { parseXmlQuietly, type XmlNode } from "./xml.js";

/**
 * A write's condition (RFC 9110 §13.1): its headers, and the code a store's refusal of them
 * means: `EEXIST` for a create (`If-None-Match: *`), `ESTALE` for a replace of one version
 * (`If-Match`).
 */
export interface Condition {
  headers: Record<string, string>;
  refusal: "EEXIST" | "ESTALE";
}

/** The condition of a create: nothing may be at the key ("Conditional writes", S3 User Guide). */
export const CREATE: Condition = { headers: { "if-none-match": "*" }, refusal: "EEXIST" };

/** The condition of a replace of the version tagged `etag`. */
export function replacing(etag: string): Condition {
  return { headers: { "if-match": etag }, refusal: "ESTALE" };
}

/**
 * Whether the store refused the write for its condition: 412 PreconditionFailed; 409
 * ConditionalRequestConflict (another write of the key was under way, S3's answer to two
 * conditional writes at once); or, for `If-Match`, NoSuchKey (the version is gone: stale too).
 */
function refusedFor(condition: Condition | null, status: number, code: string | undefined): boolean {
  if (condition === null) return false;
  if (status === 412 || code === "PreconditionFailed" || code === "ConditionalRequestConflict") return true;
  return condition.refusal === "ESTALE" && code === "NoSuchKey";
}

/**
 * The root element of a write's answer (empty for none), once it is known to be a success;
 * throws the condition's refusal, or an {@link S3Error} for anything else. The root is taken
 * whatever its name: moto 5.2 names CompleteMultipartUpload's `CompleteMultipartUploadResponse`,
 * where S3 writes `CompleteMultipartUploadResult`.
 */
export async function writeAnswer(response: Response, what: string, condition: Condition | null): Promise<XmlNode> {
  const body = await response.text().catch(() => "");
  const { code, message } = parseErrorBody(body);
  if (response.ok && code === undefined) return rootOf(parseXmlQuietly(body));
  if (refusedFor(condition, response.status, code)) {
    const refusal = condition?.refusal ?? "EEXIST";
    throw writeError(refusal, `${what}: ${refusal === "EEXIST" ? "something is there" : "that version is gone"}`);
  }
  const detail =
    code === undefined ? `${response.status}` : `${response.status} ${code}${message ? `: ${message}` : ""}`;
  throw new S3Error(`s3: ${what} answered ${detail}`, response.status, code);
}

/** The document's element (the XML declaration aside), or an empty node. */
function rootOf(document: XmlNode | undefined): XmlNode {
  const root = Object.entries(document ?? {}).find(([name, value]) => name !== "?xml" && typeof value === "object");
  return (root?.[1] as XmlNode | undefined) ?? {};
}
