/**
 * `checkBucket()`: the start-up check, so a mistake is one sentence before serving rather than a
 * 500 on every request after.
 *
 * @module
 */
import { errorBody, S3Error } from "./errors.js";
import { queryString } from "./keys.js";
import { messageOf, NETWORK_CODES, type NetworkCode } from "./network.js";
import { resolveOptions, type S3Options } from "./options.js";
import { sender } from "./request.js";

/**
 * Resolves when the bucket can be listed with these options (the one permission beyond reading
 * objects that serving needs: folders are listings, and a missing key answers 404 rather than 403
 * only with it). Rejects with an {@link S3Error} whose message is one sentence for a person:
 * a bucket that does not exist, credentials the store refuses, an endpoint that cannot be reached
 * or does not answer, or whatever else the store said.
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
  if (response.ok) {
    await response.body?.cancel();
    return;
  }
  const { code, message } = await errorBody(response);
  const said = code === undefined ? `HTTP ${response.status}` : `${code}${message ? `: ${trimPeriod(message)}` : ""}`;
  if (response.status === 404 || code === "NoSuchBucket")
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

function trimPeriod(text: string): string {
  return text.replace(/\.\s*$/, "");
}
