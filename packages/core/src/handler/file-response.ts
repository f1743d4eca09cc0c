/**
 * The response for one file: which representation, its validators, the preconditions, the range.
 *
 * @module
 */
import { type FileBody, type FileStat, type OpenedFile, releaseBody } from "../fs/file-system.js";
import { gzip, isCompressible } from "../http/compress.js";
import { evaluatePreconditions, ifRangeHolds, type Validators } from "../http/conditional.js";
import { type ContentTypes, contentType } from "../http/content-type.js";
import { formatHttpDate } from "../http/dates.js";
import { fileETag, weaken } from "../http/etag.js";
import { multipartBody, multipartLayout } from "../http/multipart.js";
import { chooseEncoding } from "../http/negotiate.js";
import { parseRange } from "../http/range.js";
import { type Reply, type ReplyBody, reply } from "../http/reply.js";
import { runsAsDocument, UPLOAD_SANDBOX } from "../write/sandbox.js";
import { type Config, ENCODING_SUFFIX } from "./config.js";

/** What the handler found: a regular file, its path under the root, and its stat. */
export interface FoundFile {
  path: string;
  name: string;
  stat: FileStat;
}

/** A representation of the file: itself, a precompressed sibling, or itself gzipped on the fly. */
interface Representation {
  path: string;
  stat: FileStat;
  /** `Content-Encoding`, or null for identity. */
  encoding: string | null;
  /** Compress the file on the fly (then no Content-Length, no ranges). */
  gzipOnTheFly: boolean;
}

// What stores answer for an object uploaded without a type: no better than the extension's guess.
const GENERIC_TYPES = new Set(["application/octet-stream", "binary/octet-stream"]);

/** How a file goes out when sent as it is stored. */
export interface StoredForm {
  /** `Content-Type`. */
  type: string;
  /** `Content-Encoding`, or null when the file is not stored encoded. */
  encoding: string | null;
}

/**
 * Sets `Content-Type` to `type`, with the sandbox when writes are on and the type runs as a
 * document (write/sandbox.ts).
 */
export function setType(config: Config, headers: Headers, type: string): void {
  headers.set("content-type", type);
  if (config.write === null) return;
  // What others uploaded is sent as the type its name says, never as what a browser guesses.
  headers.set("x-content-type-options", "nosniff");
  if (!config.write.trustUploads && runsAsDocument(type)) headers.set("content-security-policy", UPLOAD_SANDBOX);
}

/**
 * The type and coding of the file `name` as stored: a stored `Content-Type` when the object has a
 * real one, else the guess from its name through `types`; and a stored `Content-Encoding` (an
 * object uploaded compressed is sent as stored, as S3 and R2 do: its coding is its own, RFC 9110
 * §8.4).
 */
export function storedForm(name: string, stat: FileStat, types: ContentTypes): StoredForm {
  const stored = stat.contentType;
  const type = stored !== undefined && !GENERIC_TYPES.has(stored.toLowerCase()) ? stored : contentType(name, types);
  return { type, encoding: stat.contentEncoding ?? null };
}

/**
 * Answers a GET or HEAD for a file. `headers` already holds the headers every response carries;
 * `error` builds an error page response for a status with given headers.
 */
export async function serveFile(
  config: Config,
  request: Request,
  file: FoundFile,
  headers: Headers,
  error: (status: number, headers: Headers) => Reply,
  opened?: OpenedFile,
): Promise<Reply> {
  // The body open() read with the metadata, until the answer takes it; released if it does not.
  let preread: OpenedFile | null = opened?.body ? opened : null;
  try {
    return await answerFile(config, request, file, headers, error, ({ path, stat }, start, end) => {
      const body = preread?.body;
      const holds = preread?.range ?? { start: 0, end: file.stat.size - 1 };
      if (body && path === file.path && holds.start === start && holds.end === end) {
        preread = null;
        return Promise.resolve(body);
      }
      return config.fs.read(path, { start, end }, stat);
    });
  } finally {
    if (preread?.body) releaseBody(preread.body);
  }
}

/** Reads bytes `start`..`end` of the file at `file.path`, the one `file.stat` describes. */
type Reader = (file: { path: string; stat: FileStat }, start: number, end: number) => Promise<FileBody>;

async function answerFile(
  config: Config,
  request: Request,
  file: FoundFile,
  headers: Headers,
  error: (status: number, headers: Headers) => Reply,
  readFile: Reader,
): Promise<Reply> {
  const stored = storedForm(file.name, file.stat, config.contentTypes);
  const type = stored.type;
  const selection = selectRepresentation(config, request, file, stored);
  const { representation, varies } = selection instanceof Promise ? await selection : selection;
  const { stat, encoding } = representation;

  // RFC 9110 §8.8.2.1: a Last-Modified later than the response's Date must be replaced by the Date.
  const lastModified = stat.mtimeMs === undefined ? undefined : Math.min(stat.mtimeMs, Date.now());
  const validators: Validators = { etag: fileETag(stat, encoding ?? undefined), lastModified };
  if (representation.gzipOnTheFly && validators.etag !== undefined) validators.etag = weaken(validators.etag);
  // §15.4.5: a 304 carries the validators, Cache-Control and Vary the 200 would have carried.
  if (validators.etag !== undefined) headers.set("etag", validators.etag);
  if (lastModified !== undefined) headers.set("last-modified", formatHttpDate(lastModified));
  const cacheControl = config.cacheControl ?? stat.cacheControl;
  if (cacheControl !== undefined) headers.set("cache-control", cacheControl);
  if (varies) headers.append("vary", "Accept-Encoding");

  const precondition = evaluatePreconditions(request.headers, request.method, validators);
  if (precondition === 304) return reply(304, headers);
  if (precondition === 412) return error(412, headers);

  const head = request.method === "HEAD";
  // A precompressed or gzipped body is already encoded: toResponse() tells workerd not to again.
  const answer = (status: number, body: ReplyBody | null): Reply => ({
    status,
    headers,
    body,
    encoded: encoding !== null,
  });
  const read = (start: number, end: number): Promise<FileBody> => readFile(representation, start, end);
  setType(config, headers, type);
  if (encoding !== null) headers.set("content-encoding", encoding);

  if (representation.gzipOnTheFly) {
    // The length is known only once compressed: the body goes out chunked (HTTP/1.1).
    return answer(200, head ? null : gzip(await read(0, stat.size - 1)));
  }

  // §14.3: the ranges this representation supports.
  headers.set("accept-ranges", "bytes");
  // §14.2: "A server MUST ignore a Range header field received with a request method … for which
  // range handling is not defined", and GET is the only method that defines it: a HEAD with Range
  // (and If-Range) gets the whole representation's 200 and Content-Length.
  const rangeHeader = head ? null : request.headers.get("range");
  const ifRange = request.headers.get("if-range");
  if (rangeHeader !== null && (ifRange === null || ifRangeHolds(ifRange, validators))) {
    const result = parseRange(rangeHeader, stat.size);
    if (result.kind === "unsatisfiable") {
      // §15.5.17: a 416 says how large the representation is.
      headers.set("content-range", `bytes */${stat.size}`);
      return error(416, headers);
    }
    if (result.kind === "partial") {
      const [only] = result.ranges;
      if (only && result.ranges.length === 1) {
        headers.set("content-range", `bytes ${only.start}-${only.end}/${stat.size}`);
        headers.set("content-length", String(only.end - only.start + 1));
        return answer(206, head ? null : await read(only.start, only.end));
      }
      // §14.6: several ranges go in a multipart/byteranges body, each part with its own headers.
      const layout = multipartLayout(result.ranges, stat.size, type);
      headers.set("content-type", layout.contentType);
      headers.set("content-length", String(layout.length));
      return answer(206, head ? null : await multipartBody(layout, ({ start, end }) => read(start, end)));
    }
  }

  headers.set("content-length", String(stat.size));
  return answer(200, head || stat.size === 0 ? null : await read(0, stat.size - 1));
}

/** The representation picked, and whether the pick depended on `Accept-Encoding`. */
interface Selection {
  representation: Representation;
  varies: boolean;
}

/**
 * Picks what to send for `file`, and whether the choice depended on `Accept-Encoding` (then every
 * variant, identity too, says `Vary: Accept-Encoding`, or a cache could hand gzip to a client
 * that cannot read it). Synchronous unless precompressed siblings are looked for: a request that
 * waits for nothing here is not made to wait a microtask for it.
 */
function selectRepresentation(
  config: Config,
  request: Request,
  file: FoundFile,
  { type, encoding: stored }: StoredForm,
): Selection | Promise<Selection> {
  // An object stored compressed is sent as stored, with no other representation to choose.
  const identity: Representation = { path: file.path, stat: file.stat, encoding: stored, gzipOnTheFly: false };
  if (stored !== null) return { representation: identity, varies: false };
  if (config.precompressed.length > 0) return withPrecompressed(config, request, file, type, identity);
  return onTheFly(config, request, file, type, identity, false);
}

/** The precompressed sibling the client takes, else {@link onTheFly}'s pick. */
async function withPrecompressed(
  config: Config,
  request: Request,
  file: FoundFile,
  type: string,
  identity: Representation,
): Promise<Selection> {
  const siblings = await Promise.all(
    config.precompressed.map(async (encoding) => {
      const path = file.path + ENCODING_SUFFIX[encoding];
      const stat = await config.fs.stat(path);
      return stat?.kind === "file" ? { path, stat, encoding, gzipOnTheFly: false } : null;
    }),
  );
  const available = siblings.filter((sibling) => sibling !== null);
  if (available.length === 0) return onTheFly(config, request, file, type, identity, false);
  const encoding = chooseEncoding(
    request.headers.get("accept-encoding"),
    available.map((sibling) => sibling.encoding),
  );
  const chosen = available.find((sibling) => sibling.encoding === encoding);
  if (chosen) return { representation: chosen, varies: true };
  return onTheFly(config, request, file, type, identity, true);
}

/** The file gzipped on the fly when compression is on and the client takes gzip, else itself. */
function onTheFly(
  config: Config,
  request: Request,
  file: FoundFile,
  type: string,
  identity: Representation,
  varies: boolean,
): Selection {
  if (config.compressMinSize !== null && file.stat.size >= config.compressMinSize && isCompressible(type)) {
    // Never compress a range request: ranges must address stable bytes, so they get identity.
    const gzipped =
      !request.headers.has("range") && chooseEncoding(request.headers.get("accept-encoding"), ["gzip"]) === "gzip";
    return { representation: gzipped ? { ...identity, encoding: "gzip", gzipOnTheFly: true } : identity, varies: true };
  }
  return { representation: identity, varies };
}
