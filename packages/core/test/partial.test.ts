/**
 * core's partialWrites (fs/partial.ts) over files kept in a list, with a clock the test moves: what
 * expires and when, and what the registry asks of a filesystem's incomplete files.
 */
import { describe, expect, it } from "vitest";
import { type PartialFiles, partialWrites } from "../src/index.ts";

const HOUR = 60 * 60 * 1000;
const options = { mode: "create" as const, maxBytes: 100, parents: false };

/** Incomplete files as byte counts, noting each one discarded. */
function countedFiles() {
  const discarded: string[] = [];
  const files: PartialFiles<{ name: string }> = {
    create: async (path) => ({ name: path }),
    write: async (_file, _offset, next) => {
      let written = 0;
      for (let chunk = await next(); chunk !== null; chunk = await next()) written += chunk.byteLength;
      return { written };
    },
    commit: async () => ({ created: true, stat: { kind: "file", size: 0 } }),
    discard: async (file) => {
      discarded.push(file.name);
    },
  };
  return { files, discarded };
}

/** A body that sends one byte, then waits until it is cancelled. */
function stalled(): ReadableStream<Uint8Array> {
  let sent = false;
  return new ReadableStream({
    pull(controller) {
      if (sent) return new Promise(() => {});
      sent = true;
      controller.enqueue(new Uint8Array(1));
    },
  });
}

describe("partialWrites: expiry", () => {
  it("aborts an upload untouched for a day at the next request, discarding its file; a touched one stays", async () => {
    let now = 1_000_000;
    const { files, discarded } = countedFiles();
    const partial = partialWrites(files, { now: () => now });
    const idle = await partial.begin("idle", { ...options, length: 5 });
    const busy = await partial.begin("busy", { ...options, length: 5 });
    expect((await partial.status("idle", idle))?.expiresMs).toBe(now + 24 * HOUR);
    now += 23 * HOUR;
    await partial.append("busy", busy, 0, new Blob(["ab"]).stream());
    now += HOUR - 1;
    expect(await partial.status("busy", busy)).toMatchObject({ offset: 2 });
    expect(discarded).toEqual([]);
    now += 1;
    expect(await partial.status("idle", idle)).toBeNull();
    expect(discarded).toEqual(["idle"]);
    await expect(partial.append("idle", idle, 0, new Blob(["a"]).stream())).rejects.toMatchObject({ code: "ENOENT" });
    expect(await partial.status("busy", busy)).toMatchObject({ offset: 2, expiresMs: now + 24 * HOUR });
  });

  it("never aborts an upload while a request of it runs, however long", async () => {
    let now = 0;
    const { files, discarded } = countedFiles();
    const partial = partialWrites(files, { now: () => now, maxIdleMs: HOUR });
    const id = await partial.begin("slow", { ...options, length: 5 });
    const appending = partial.append("slow", id, 0, stalled());
    await new Promise((resolve) => setTimeout(resolve, 10));
    now += 10 * HOUR;
    await partial.begin("other", { ...options, length: 1 });
    expect(discarded).toEqual([]);
    // A newer request stops the stalled one; what it stored stays.
    expect(await partial.status("slow", id)).toMatchObject({ offset: 1 });
    expect(await appending).toMatchObject({ offset: 1 });
  });
});
