/**
 * `checkBucket()`: the start-up check, so a mistake is one sentence before serving rather than a
 * 500 on every request after.
 *
 * @module
 */
import { parseErrorBody, S3Error } from "./errors.js";
import { queryString } from "./keys.js";
import { messageOf, NETWORK_CODES, type NetworkCode } from "./network.js";
import { resolveOptions, type S3Options } from "./options.js";
import { sender } from "./request.js";
import { parseXmlQuietly } from "./xml.js";

/**
 * Resolves when the bucket can be listed with these options (the one permission beyond reading
 * objects that serving needs: folders are listings, and a missing key answers 404 rather than 403
 * only with it). Rejects with an {@link S3Error} whose message is one sentence for a person:
 * a bucket that does not exist, credentials the store refuses, an endpoint that cannot be reached,
 * does not answer, or is not S3 at all (with the status and type it answered), or whatever else
 * the store said.
 *
 * @example
 * ```ts
 * try {
 *   await checkBucket(options);
 * } catch (error) {
 *   console.error(`simplehttp: error: ${(error as Error).message}`);
 *   process.exit(2);
 * }
 * ```
 */
export async function checkBucket(options: S3Options): Promise<void> {
  const resolved = resolveOptions(options);
  const { bucket, endpointName } = resolved;
  const query = queryString({ "list-type": "2", "max-keys": "1", prefix: resolved.prefix });
  let response: Response;
  try {
    response = await sender(resolved)({ method: "GET", path: "", query, what: `list ${bucket}` });
  } catch (thrown) {
    throw noAnswer(thrown, endpointName, resolved.timeoutMs);
  }
  const answered = `${response.status} (${response.headers.get("content-type") ?? "no Content-Type"})`;
  const body = await response.text().catch(() => "");
  // What answered may be no S3 at all (AWS_ENDPOINT_URL naming a web server): every S3 answers
  // a listing with a ListBucketResult, and an error with an <Error> document (S3 API Reference,
  // "Error responses"); anything else is said as it is, not read as "no such bucket".
  if (response.ok && isListing(body)) return;
  const { code, message } = parseErrorBody(body);
  if (code === undefined)
    throw new S3Error(
      `The endpoint ${endpointName} is not S3: listing bucket "${bucket}" answered ${answered}, ` +
        "not S3's XML; check AWS_ENDPOINT_URL.",
      response.status,
    );
  const said = `${code}${message ? `: ${trimPeriod(message)}` : ""}`;
  if (code === "NoSuchBucket")
    throw new S3Error(`The bucket "${bucket}" does not exist at ${endpointName}.`, response.status, code);
  if (response.status === 403 || response.status === 401) {
    throw new S3Error(
      `The S3 endpoint ${endpointName} refused the credentials for bucket "${bucket}" (${said}); ` +
        "check AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and the bucket's permission to list.",
      response.status,
      code,
    );
  }
  // A bucket in another region answers 301 PermanentRedirect, or 400 AuthorizationHeaderMalformed.
  const hint =
    response.status === 301 || code === "AuthorizationHeaderMalformed" || code === "PermanentRedirect"
      ? `; is the region (${resolved.region}) the bucket's?`
      : "";
  throw new S3Error(
    `The S3 endpoint ${endpointName} answered ${said} for bucket "${bucket}"${hint}.`,
    response.status,
    code,
  );
}

/** The sentence for a listing that got no answer: the time it waited, or what the system said. */
function noAnswer(thrown: unknown, endpointName: string, timeoutMs: number): S3Error {
  const code = thrown instanceof S3Error ? thrown.code : "EUPSTREAM";
  if (code === "ETIMEDOUT")
    return new S3Error(`The S3 endpoint ${endpointName} did not answer within ${timeoutMs / 1000} s.`, 0, undefined, {
      code,
    });
  const why =
    code !== "EUPSTREAM" && code in NETWORK_CODES
      ? `${NETWORK_CODES[code as NetworkCode]} (${code})`
      : messageOf(thrown instanceof S3Error ? thrown.cause : thrown);
  return new S3Error(`Cannot reach the S3 endpoint ${endpointName}: ${why}.`, 0, undefined, { cause: thrown, code });
}

/** Whether `body` is a ListObjectsV2 answer. */
function isListing(body: string): boolean {
  const result = parseXmlQuietly(body)?.ListBucketResult;
  return typeof result === "object" && result !== null;
}

function trimPeriod(text: string): string {
  return text.replace(/\.\s*$/, "");
}
