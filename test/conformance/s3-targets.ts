/** Starting the conformance targets that serve a bucket: one moto each, seeded with the fixture. */
import { type Moto, startMoto } from "../support/moto.ts";
import { deleteObject, putObjects, rcloneMtime, seedFixture } from "../support/moto-seed.ts";
import { startWorkerWithBindings } from "../support/moto-workerd.ts";
import { BUN, DENO, REPO_ROOT, spawnServer } from "../support/spawn-server.ts";
import type { Target } from "./suite.ts";

const SERVER = `${REPO_ROOT}test/conformance/s3-server.ts`;
const BUCKET = "conformance";

/** The command that runs s3-server.ts under each runtime. */
const COMMANDS = {
  node: [process.execPath, "--import", "tsx", SERVER],
  bun: [BUN, SERVER],
  deno: [DENO, "run", "-A", SERVER],
} as const;

/** Starts moto, seeds it, and runs `start` against it; stopping stops both, whatever failed. */
async function withMoto(start: (moto: Moto) => Promise<Target>): Promise<Target> {
  const moto = await startMoto();
  try {
    await seedFixture(moto.endpoint, BUCKET);
    const target = await start(moto);
    return {
      ...target,
      async writeFile(path, content, mtimeMs) {
        const body = typeof content === "string" ? content : new Uint8Array(content);
        const headers = mtimeMs === undefined ? {} : rcloneMtime(mtimeMs);
        await putObjects(moto.endpoint, BUCKET, { [path]: { body, headers } });
      },
      removeFile: (path) => deleteObject(moto.endpoint, BUCKET, path),
      async stop() {
        await target.stop();
        await moto.stop();
      },
    };
  } catch (error) {
    await moto.stop();
    throw error;
  }
}

/** The fixture in a bucket, served by s3-server.ts under `runtime`. */
export function startS3Target(runtime: keyof typeof COMMANDS): Promise<Target> {
  return withMoto(async (moto) => {
    const [command, ...args] = COMMANDS[runtime];
    const server = await spawnServer(command, [...args, moto.endpoint, BUCKET]);
    return { url: server.url, port: server.port, stop: () => server.stop() };
  });
}

/** The fixture in a bucket, served by s3-worker.ts in workerd. */
export function startS3Worker(): Promise<Target> {
  return withMoto(async (moto) => {
    const worker = await startWorkerWithBindings("test/conformance/s3-worker.ts", {
      S3_ENDPOINT: moto.endpoint,
      S3_BUCKET: BUCKET,
    });
    return { url: worker.url, port: worker.port, stop: () => worker.stop() };
  });
}
