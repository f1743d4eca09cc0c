/**
 * `simplehttp s3://BUCKET/PREFIX`: a bucket served by the command, with its credentials and endpoint
 * from the environment, against a local S3 server (moto), and every start-up failure one line and
 * exit code 2.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { AwsClient } from "aws4fetch";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { MOTO_CREDENTIALS, MOTO_REGION, type Moto, startMoto } from "../../../test/support/moto.ts";
import { createBucket, objectUrl, putObjects } from "../../../test/support/moto-seed.ts";
import { occupyPort } from "../../../test/support/proc.ts";
import { banner, expectUsageError, get, killAll, plainEnv, run, stop } from "./run.ts";

const BUCKET = "cli-site";

/** The object `key` as another S3 client reads it. */
async function objectText(endpoint: string, bucket: string, key: string): Promise<string> {
  const aws = new AwsClient({ ...MOTO_CREDENTIALS, region: MOTO_REGION, service: "s3", retries: 0 });
  return (await aws.fetch(objectUrl(endpoint, bucket, key))).text();
}
let moto: Moto;

const awsEnv = (extra: NodeJS.ProcessEnv = {}) =>
  plainEnv({
    AWS_ACCESS_KEY_ID: MOTO_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: MOTO_CREDENTIALS.secretAccessKey,
    AWS_REGION: MOTO_REGION,
    AWS_ENDPOINT_URL: moto.endpoint,
    ...extra,
  });

beforeAll(async () => {
  moto = await startMoto();
  await createBucket(moto.endpoint, BUCKET);
  await putObjects(moto.endpoint, BUCKET, {
    "public/index.html": { body: "<h1>from a bucket</h1>", headers: { "content-type": "text/html" } },
    "public/docs/guide.txt": { body: "a guide" },
    "private/secret.txt": { body: "not under the prefix" },
  });
}, 60_000);

afterEach(() => killAll());
afterAll(async () => {
  await moto?.stop();
});

describe("simplehttp s3://BUCKET/PREFIX", () => {
  it("serves the bucket's folder as a directory: index page, listing, file; nothing outside the prefix", async () => {
    const running = run([`s3://${BUCKET}/public`, "0", "--bind", "127.0.0.1"], { env: awsEnv() });
    const { port } = await banner(running);
    const base = `http://127.0.0.1:${port}`;
    expect(await (await get(`${base}/`)).text()).toBe("<h1>from a bucket</h1>");
    expect(await (await get(`${base}/docs/`)).text()).toContain('<a href="guide.txt">guide.txt</a>');
    expect(await (await get(`${base}/docs/guide.txt`)).text()).toBe("a guide");
    expect((await get(`${base}/../private/secret.txt`)).status).toBe(404);
    expect((await stop(running)).code).toBe(0);
  });

  it("takes files into the bucket with --upload: a PUT stored under the prefix, read back, not replaced", async () => {
    const running = run([`s3://${BUCKET}/public`, "0", "--bind", "127.0.0.1", "--upload"], { env: awsEnv() });
    const { port } = await banner(running);
    const base = `http://127.0.0.1:${port}`;
    const put = await get(`${base}/inbox/report.txt`, { method: "PUT", body: "sent through the command" });
    expect(put.status).toBe(201);
    expect(put.headers.get("location")).toBe("/inbox/report.txt");
    expect(await (await get(`${base}/inbox/report.txt`)).text()).toBe("sent through the command");
    const stored = await objectText(moto.endpoint, BUCKET, "public/inbox/report.txt");
    expect(stored).toBe("sent through the command");
    // --upload creates; replacing needs --delete.
    expect((await get(`${base}/inbox/report.txt`, { method: "PUT", body: "again" })).status).toBe(409);
    await stop(running);
  });

  it("keeps the bucket read-only without a write flag: a PUT is 405", async () => {
    const running = run([`s3://${BUCKET}/public`, "0", "--bind", "127.0.0.1"], { env: awsEnv() });
    const { port } = await banner(running);
    const put = await get(`http://127.0.0.1:${port}/x.txt`, { method: "PUT", body: "x" });
    expect(put.status).toBe(405);
    await stop(running);
  });

  it("takes the bucket through --directory too", async () => {
    const running = run(["0", "--bind", "127.0.0.1", "--directory", `s3://${BUCKET}/public/docs`], { env: awsEnv() });
    const { port } = await banner(running);
    expect(await (await get(`http://127.0.0.1:${port}/guide.txt`)).text()).toBe("a guide");
    await stop(running);
  });

  it("warns in one line at start when the bucket has no --spa file, and not when it has", async () => {
    const missing = run([`s3://${BUCKET}/public`, "0", "--bind", "127.0.0.1", "-q", "--spa=app.html"], {
      env: awsEnv(),
    });
    await banner(missing);
    await stop(missing);
    expect(missing.stderr()).toBe(
      `simplehttp: warning: --spa file 'app.html' is not in 's3://${BUCKET}/public': ` +
        "unknown pages answer 404 until it is\n",
    );
    const present = run([`s3://${BUCKET}/public`, "0", "--bind", "127.0.0.1", "-q", "--spa"], { env: awsEnv() });
    await banner(present);
    await stop(present);
    expect(present.stderr()).toBe("");
  });

  it("says in one line, exit code 2, when the bucket does not exist", async () => {
    await expectUsageError(
      run(["s3://no-such-bucket", "0"], { env: awsEnv() }),
      /The bucket "no-such-bucket" does not exist/,
    );
  });

  it("says in one line when the credentials are refused", async () => {
    await moto.enforceAuth(true);
    try {
      await expectUsageError(
        run([`s3://${BUCKET}`, "0"], { env: awsEnv({ AWS_SECRET_ACCESS_KEY: "wrong" }) }),
        /refused the credentials/,
      );
    } finally {
      await moto.enforceAuth(false);
    }
  });

  it("says in one line when the endpoint cannot be reached, or credentials are missing", async () => {
    const closed = await occupyPort();
    await closed.release(); // a port nothing listens on any more
    await expectUsageError(
      run([`s3://${BUCKET}`, "0"], { env: awsEnv({ AWS_ENDPOINT_URL: `http://127.0.0.1:${closed.port}` }) }),
      /Cannot reach the S3 endpoint/,
    );
    await expectUsageError(
      run([`s3://${BUCKET}`, "0"], { env: plainEnv({ AWS_ENDPOINT_URL: moto.endpoint }) }),
      /set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY/,
    );
  });

  it("says in one line what answered when AWS_ENDPOINT_URL is a web server, not S3", async () => {
    const web = createServer((_request, response) => {
      response.writeHead(404, { "content-type": "text/html; charset=utf-8" });
      response.end("<!doctype html><title>404</title>");
    });
    await new Promise<void>((resolve) => web.listen(0, "127.0.0.1", resolve));
    const endpoint = `http://127.0.0.1:${(web.address() as AddressInfo).port}`;
    try {
      await expectUsageError(
        run([`s3://${BUCKET}`, "0"], { env: awsEnv({ AWS_ENDPOINT_URL: endpoint }) }),
        new RegExp(
          `^simplehttp: error: The endpoint ${endpoint.replace(/\./g, "\\.")} is not S3: listing bucket ` +
            `"${BUCKET}" answered 404 \\(text/html; charset=utf-8\\), not S3's XML; check AWS_ENDPOINT_URL\\.$`,
        ),
      );
    } finally {
      await new Promise((resolve) => web.close(resolve));
    }
  });

  it("refuses a malformed bucket, two sources, and --follow-symlinks for a bucket", async () => {
    await expectUsageError(run(["s3://A_B", "0"], { env: awsEnv() }), /invalid bucket in 's3:\/\/A_B'/);
    await expectUsageError(
      run([`s3://${BUCKET}`, "--directory", ".", "0"], { env: awsEnv() }),
      /give one directory or bucket/,
    );
    await expectUsageError(
      run([`s3://${BUCKET}`, "0", "--follow-symlinks"], { env: awsEnv() }),
      /--follow-symlinks applies to a directory/,
    );
  });
});
