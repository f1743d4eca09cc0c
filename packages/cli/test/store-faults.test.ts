/**
 * `simplehttp s3://…` when the store fails, on Node, Bun and Deno: a store refusing connections
 * (moto killed) is a 502 at once, a store hanging (moto stopped with SIGSTOP) a 504 after
 * `--store-timeout`, a store answering 5xx a 502 (SlowDown a 503), and the server recovers by
 * itself when the store comes back. Each failure is one log line naming the store's call and its
 * status or code, the same on every runtime; a bug keeps its stack.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { MOTO_CREDENTIALS, MOTO_REGION, type Moto, startMoto } from "../../../test/support/moto.ts";
import { createBucket, putObjects } from "../../../test/support/moto-seed.ts";
import { parseCommand } from "../src/args.js";
import { errorLine } from "../src/error-log.js";
import {
  banner,
  expectUsageError,
  get,
  killAll,
  lines,
  plainEnv,
  RUNTIME_NAMES,
  type Run,
  type RuntimeName,
  run,
  stop,
  tempSite,
  waitUntil,
} from "./run.ts";

const BUCKET = "faults";
const TIMEOUT_S = 1;

let moto: Moto;
const seed = async (): Promise<void> => {
  await createBucket(moto.endpoint, BUCKET);
  await putObjects(moto.endpoint, BUCKET, { "a.txt": { body: "a" } });
};
beforeAll(async () => {
  moto = await startMoto();
  await seed();
}, 60_000);
afterEach(() => {
  moto.thaw();
  killAll();
});
afterAll(() => moto?.stop());

const awsEnv = (endpoint: string) =>
  plainEnv({
    AWS_ACCESS_KEY_ID: MOTO_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: MOTO_CREDENTIALS.secretAccessKey,
    AWS_REGION: MOTO_REGION,
    AWS_ENDPOINT_URL: endpoint,
  });

/** The command serving `endpoint`'s bucket on `runtime`, with a short store timeout. */
async function serving(runtime: RuntimeName, endpoint: string): Promise<{ running: Run; base: string }> {
  // The file's own calls, which the log lines below name: with the site's rules on, a request's
  // first call is the check of _redirects and _headers, and a failing store is named by that.
  const args = [`s3://${BUCKET}`, "0", "--bind", "127.0.0.1", "--store-timeout", String(TIMEOUT_S), "--no-site-rules"];
  const running = run(args, { runtime, env: awsEnv(endpoint) });
  const { port } = await banner(running);
  return { running, base: `http://127.0.0.1:${port}` };
}

/** GETs `url`, and how long the answer took, in ms. */
async function timed(url: string): Promise<{ response: Response; ms: number }> {
  const started = performance.now();
  const response = await get(url);
  await response.arrayBuffer();
  return { response, ms: performance.now() - started };
}

/**
 * The stderr lines written after `before` lines, once the access log line of the request with
 * `status` is among them: the request's whole log.
 */
async function logOf(running: Run, before: number, status: number): Promise<string[]> {
  const logged = (): string[] => lines(running.stderr()).slice(before);
  await waitUntil(
    running,
    () => (logged().some((line) => line.includes(`HTTP/1.1" ${status} `)) ? true : undefined),
    5000,
    `the log line of a ${status}`,
  );
  return logged();
}

/** Expects the log of one failed request: its one error line, then its access log line. */
function expectOneLine(log: string[], error: RegExp, status: number): void {
  expect(log, log.join("\n")).toHaveLength(2);
  expect(log[0]).toMatch(error);
  expect(log[1]).toMatch(new RegExp(`"GET /a\\.txt HTTP/1\\.1" ${status} `));
}

const escaped = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

describe.each(RUNTIME_NAMES)("a bucket whose store fails, on %s", (runtime) => {
  it("answers 504 after --store-timeout while the store hangs, then 200 once it answers again", async () => {
    const { running, base } = await serving(runtime, moto.endpoint);
    expect((await timed(`${base}/a.txt`)).response.status).toBe(200);
    const before = (await logOf(running, 0, 200)).length;
    moto.freeze();
    const { response, ms } = await timed(`${base}/a.txt`);
    expect(response.status).toBe(504);
    expect(ms).toBeGreaterThanOrEqual(TIMEOUT_S * 1000 - 50);
    expect(ms).toBeLessThan(TIMEOUT_S * 1000 + 1500);
    expectOneLine(
      await logOf(running, before, 504),
      new RegExp(`^simplehttp: s3: GET a\\.txt: ${escaped(moto.endpoint)} did not answer within 1 s$`),
      504,
    );
    moto.thaw();
    expect((await timed(`${base}/a.txt`)).response.status).toBe(200);
    await stop(running);
  });

  it("answers 502 at once while the store refuses connections, then 200 once it is back", async () => {
    const { running, base } = await serving(runtime, moto.endpoint);
    const port = Number(new URL(moto.endpoint).port);
    await moto.stop();
    const before = lines(running.stderr()).length;
    const { response, ms } = await timed(`${base}/a.txt`);
    expect(response.status).toBe(502);
    // Two retries, 100 and 200 ms apart at most: well under the timeout.
    expect(ms).toBeLessThan(TIMEOUT_S * 1000);
    expectOneLine(
      await logOf(running, before, 502),
      new RegExp(`^simplehttp: s3: GET a\\.txt: cannot reach ${escaped(moto.endpoint)} \\(ECONNREFUSED\\)$`),
      502,
    );
    moto = await startMoto(port);
    await seed();
    expect(await (await get(`${base}/a.txt`)).text()).toBe("a");
    await stop(running);
  });

  it("answers 502 for a store answering 500, 503 with Retry-After for its SlowDown", async () => {
    const store = await failingStore();
    try {
      const { running, base } = await serving(runtime, store.endpoint);
      for (const [answer, status, said] of [
        [500, 502, "500 InternalError: We encountered an internal error. Please try again."],
        [503, 503, "503 SlowDown: Please reduce your request rate."],
      ] as const) {
        store.answer = answer;
        const before = lines(running.stderr()).length;
        const { response } = await timed(`${base}/a.txt`);
        expect(response.status).toBe(status);
        expect(response.headers.get("retry-after")).toBe(status === 503 ? "1" : null);
        expectOneLine(
          await logOf(running, before, status),
          new RegExp(`^simplehttp: s3: GET a\\.txt answered ${said}$`),
          status,
        );
      }
      await stop(running);
    } finally {
      await store.close();
    }
  });
});

interface FailingStore {
  endpoint: string;
  /** What it answers a request for an object. */
  answer: 500 | 503;
  close(): Promise<void>;
}

/**
 * A store that lists the bucket (so the command starts) and answers every other request with
 * `answer`: S3's 500 InternalError or 503 SlowDown, as S3's documentation writes them.
 */
async function failingStore(): Promise<FailingStore> {
  const store: FailingStore = { endpoint: "", answer: 500, close: async () => {} };
  const server = createServer((request, response) => {
    response.setHeader("content-type", "application/xml");
    if (request.url?.includes("list-type=2")) {
      response.end(`<ListBucketResult><Name>${BUCKET}</Name><KeyCount>0</KeyCount></ListBucketResult>`);
      return;
    }
    const [code, message] =
      store.answer === 500
        ? ["InternalError", "We encountered an internal error. Please try again."]
        : ["SlowDown", "Please reduce your request rate."];
    response.writeHead(store.answer);
    response.end(
      `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${message}</Message></Error>`,
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  store.endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  store.close = () => new Promise((resolve) => server.close(() => resolve()));
  return store;
}

describe("--store-timeout SECONDS", () => {
  it("takes seconds, whole or not, as milliseconds; unset, the S3 package's default applies", () => {
    const timeout = (argv: string[]) => {
      const command = parseCommand(argv);
      return command.kind === "serve" ? command.storeTimeoutMs : null;
    };
    expect(timeout(["s3://b"])).toBeUndefined();
    expect(timeout(["s3://b", "--store-timeout", "30"])).toBe(30_000);
    expect(timeout(["s3://b", "--store-timeout=2.5"])).toBe(2500);
    for (const bad of ["0", "-1", "ten", "1e3", "", "9999999"])
      expect(() => parseCommand(["s3://b", `--store-timeout=${bad}`]), bad).toThrow(
        `invalid --store-timeout '${bad}': expected seconds above 0, such as 10 or 2.5`,
      );
  });

  it("is refused for a directory, which has no store to wait for", async () => {
    const site = tempSite({ "a.txt": "a" });
    try {
      await expectUsageError(
        run(["0", "--directory", site.dir, "--store-timeout", "5"]),
        /--store-timeout applies to a bucket/,
      );
    } finally {
      site.remove();
    }
  });
});

describe("the error line", () => {
  it("is one line for a failure with a known code, its controls escaped", () => {
    const failure = (message: string, code: string) => Object.assign(new Error(message), { code });
    expect(errorLine(failure("s3: GET a\nb.txt answered 500 InternalError", "EUPSTREAM"))).toBe(
      "simplehttp: s3: GET a\\x0ab.txt answered 500 InternalError",
    );
    expect(errorLine(failure("EMFILE: too many open files, open '/srv/a.txt'", "EMFILE"))).toBe(
      "simplehttp: EMFILE: too many open files, open '/srv/a.txt'",
    );
  });

  it("is none for a bug, which keeps its stack", () => {
    expect(errorLine(new TypeError("cannot read properties of undefined"))).toBeUndefined();
    expect(errorLine(Object.assign(new TypeError("bad argument"), { code: "ERR_INVALID_ARG_TYPE" }))).toBeUndefined();
  });
});
