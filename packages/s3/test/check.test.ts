/**
 * checkBucket(), the start-up check the command runs: one clear sentence for each mistake a person
 * makes, against moto (and a port where nothing listens).
 */
import { createServer as createHttpServer } from "node:http";
import { type AddressInfo, createServer } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MOTO_CREDENTIALS, MOTO_REGION, type Moto, startMoto } from "../../../test/support/moto.ts";
import { createBucket } from "../../../test/support/moto-seed.ts";
import { checkBucket, type S3Options } from "../src/index.js";

const BUCKET = "checked";

let moto: Moto;
beforeAll(async () => {
  moto = await startMoto();
  await createBucket(moto.endpoint, BUCKET);
}, 60_000);
afterAll(() => moto?.stop());

const options = (more: Partial<S3Options> = {}): S3Options => ({
  bucket: BUCKET,
  endpoint: moto.endpoint,
  region: MOTO_REGION,
  credentials: MOTO_CREDENTIALS,
  ...more,
});

/** A port on 127.0.0.1 where nothing listens (taken from the system, then let go). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (typeof address !== "object" || address === null) throw new Error("no port");
  return address.port;
}

/** The one line the command would print: a sentence, no stack, no newline. */
async function failure(promise: Promise<void>): Promise<string> {
  const error: unknown = await promise.then(
    () => new Error("checkBucket resolved"),
    (thrown: unknown) => thrown,
  );
  const message = error instanceof Error ? error.message : String(error);
  expect(message).not.toContain("\n");
  expect(message).toMatch(/^[A-Z"].*\.$/);
  return message;
}

describe("checkBucket", () => {
  it("resolves for a bucket that can be listed", async () => {
    await expect(checkBucket(options())).resolves.toBeUndefined();
    await expect(checkBucket(options({ prefix: "no/such/folder" }))).resolves.toBeUndefined();
  });

  it("says the bucket does not exist", async () => {
    expect(await failure(checkBucket(options({ bucket: "not-a-bucket" })))).toBe(
      `The bucket "not-a-bucket" does not exist at ${moto.endpoint}.`,
    );
  });

  it("says the credentials were refused, with the store's reason", async () => {
    await moto.enforceAuth(true);
    try {
      const message = await failure(
        checkBucket(options({ credentials: { accessKeyId: "AKIAUNKNOWNKEY000000", secretAccessKey: "wrong" } })),
      );
      expect(message).toMatch(
        new RegExp(
          `^The S3 endpoint ${moto.endpoint.replace(/\./g, "\\.")} refused the credentials ` +
            `for bucket "${BUCKET}" \\(InvalidAccessKeyId: .+\\); check AWS_ACCESS_KEY_ID`,
        ),
      );
    } finally {
      await moto.enforceAuth(false);
    }
  });

  it("says the endpoint cannot be reached, with the system's reason, after bounded retries", async () => {
    const endpoint = `http://127.0.0.1:${await closedPort()}`;
    const started = performance.now();
    const message = await failure(checkBucket(options({ endpoint })));
    expect(message).toBe(`Cannot reach the S3 endpoint ${endpoint}: connection refused (ECONNREFUSED).`);
    // Two retries, about 100 ms and 200 ms apart (with jitter): well under a second.
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it("says what answered when the endpoint is a web server, not S3: its status and type", async () => {
    for (const [status, type] of [
      [404, "text/html; charset=utf-8"],
      [200, "text/html"], // a single-page app answers every path with its page
      [403, undefined],
    ] as const) {
      const web = createHttpServer((_request, response) => {
        response.writeHead(status, type === undefined ? {} : { "content-type": type });
        response.end("<!doctype html><title>Not S3</title><p>a web page</p>");
      });
      await new Promise<void>((resolve) => web.listen(0, "127.0.0.1", resolve));
      const endpoint = `http://127.0.0.1:${(web.address() as AddressInfo).port}`;
      try {
        expect(await failure(checkBucket(options({ endpoint })))).toBe(
          `The endpoint ${endpoint} is not S3: listing bucket "${BUCKET}" answered ` +
            `${status} (${type ?? "no Content-Type"}), not S3's XML; check AWS_ENDPOINT_URL.`,
        );
      } finally {
        await new Promise((resolve) => web.close(resolve));
      }
    }
  });

  it("says the endpoint did not answer in time", async () => {
    const silent: S3Options["fetch"] = (_input, init) =>
      new Promise((_resolve, reject) =>
        init.signal?.addEventListener("abort", () => reject(new DOMException("aborted", "AbortError"))),
      );
    expect(await failure(checkBucket(options({ fetch: silent, timeoutMs: 50 })))).toBe(
      `The S3 endpoint ${moto.endpoint} did not answer within 0.05 s.`,
    );
  });
});
