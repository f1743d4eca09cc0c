/**
 * The resumable half of the write contract (core's `PartialWrites`, fs/writes.ts) as a table of
 * cases, beside write-table.ts and run the same way against every filesystem that has it: the
 * in-memory one, the disk layer on Node and Bun, Deno. (A store has none: it takes whole files.)
 * Each case works under its own folder (`p<n>/`) of an empty root.
 *
 * Plain code, no test framework: this module also runs inside Bun and Deno (write-probe.ts).
 */
import type { FileSystem, FileWrites, PartialOptions, PartialWrites } from "@simplehttp/core";
import { bodyOf, type WriteCaseResult } from "./write-table.ts";

interface PartialCase {
  name: string;
  run(check: PartialCheck): Promise<void>;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** A body of `pieces`, one chunk each, whose reading fails after them: a client gone midway. */
function cutBody(...pieces: string[]): ReadableStream<Uint8Array> {
  let at = 0;
  return new ReadableStream({
    pull(controller) {
      const piece = pieces[at++];
      if (piece === undefined) return controller.error(Object.assign(new Error("client gone"), { code: "ECONNRESET" }));
      controller.enqueue(encoder.encode(piece));
    },
  });
}

/**
 * A body that sends `first`, then waits for ever: `written` settles once the filesystem asked for
 * more (so `first` is stored), and the body ends only when its reader is cancelled.
 */
function stalledBody(first: string): { body: ReadableStream<Uint8Array>; written: Promise<void> } {
  let asked = 0;
  let written = (): void => {};
  const writtenPromise = new Promise<void>((resolve) => (written = resolve));
  // No chunk read ahead: the second pull comes only once the first chunk is taken and written.
  const body = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (asked++ === 0) return controller.enqueue(encoder.encode(first));
        written();
        return new Promise(() => {});
      },
    },
    { highWaterMark: 0 },
  );
  return { body, written: writtenPromise };
}

/** What a case may ask, each answer checked and noted. */
class PartialCheck {
  readonly problems: string[] = [];

  constructor(
    readonly fs: FileSystem,
    readonly writes: FileWrites,
    readonly partial: PartialWrites,
    readonly dir: string,
  ) {}

  at(name: string): string {
    return `${this.dir}/${name}`;
  }

  fail(problem: string): void {
    this.problems.push(problem);
  }

  begin(name: string, length: number, options: Partial<PartialOptions> = {}): Promise<string> {
    const given = { length, mode: "create" as const, maxBytes: 1 << 20, parents: false, ...options };
    return this.partial.begin(this.at(name), given);
  }

  /** Appends `text` to the upload at `offset`, and checks the offset answered. */
  async append(name: string, id: string, offset: number, text: string): Promise<void> {
    const status = await this.partial.append(this.at(name), id, offset, bodyOf(text, 3));
    const expected = offset + encoder.encode(text).byteLength;
    if (status.offset !== expected) this.fail(`an append at ${offset} answered ${status.offset}, expected ${expected}`);
  }

  async expectOffset(name: string, id: string, offset: number | null): Promise<void> {
    const status = await this.partial.status(this.at(name), id);
    if ((status?.offset ?? null) !== offset) this.fail(`${name} is at ${status?.offset ?? "none"}, expected ${offset}`);
  }

  /** `promise` must reject with `code`. */
  async rejects(what: string, promise: Promise<unknown>, code: string): Promise<void> {
    try {
      await promise;
      this.fail(`${what}: succeeded, expected ${code}`);
    } catch (error) {
      const got = (error as { code?: unknown } | null)?.code;
      if (got !== code) this.fail(`${what}: failed with ${String(got)} (${String(error)}), expected ${code}`);
    }
  }

  async text(name: string): Promise<string | null> {
    const path = this.at(name);
    const stat = await this.fs.stat(path);
    if (stat === null || stat.kind !== "file") return stat === null ? null : `<${stat.kind}>`;
    if (stat.size === 0) return "";
    const body = await this.fs.read(path, { start: 0, end: stat.size - 1 });
    if (body instanceof Uint8Array) return decoder.decode(body);
    const sendable = body instanceof ReadableStream || body instanceof Blob ? body : body.stream();
    return decoder.decode(await new Response(sendable).arrayBuffer());
  }

  async expectText(name: string, expected: string | null): Promise<void> {
    const got = await this.text(name);
    if (got !== expected) this.fail(`${name}: holds ${JSON.stringify(got)}, expected ${JSON.stringify(expected)}`);
  }

  async expectNames(expected: string[], path = this.dir): Promise<void> {
    const got = (await this.fs.readDir(path)).map((entry) => entry.name).sort();
    if (got.join("/") !== [...expected].sort().join("/")) {
      this.fail(`${path}/ lists ${got.join(", ")}, expected ${expected.join(", ")}`);
    }
  }
}

const CASES: PartialCase[] = [
  {
    name: "an upload sent in pieces and finished is the whole file, at its name; ids are 128 random bits",
    async run(c) {
      const id = await c.begin("a.txt", 11);
      const other = await c.begin("b.txt", 1);
      if (!/^[0-9a-f]{32}$/.test(id) || id === other) c.fail(`ids ${id} and ${other}`);
      await c.append("a.txt", id, 0, "hello");
      await c.append("a.txt", id, 5, " ");
      await c.expectOffset("a.txt", id, 6);
      await c.append("a.txt", id, 6, "world");
      const status = await c.partial.status(c.at("a.txt"), id);
      if (status?.length !== 11 || status.expiresMs <= Date.now()) c.fail(`status ${JSON.stringify(status)}`);
      const result = await c.partial.finish(c.at("a.txt"), id);
      if (!result.created || result.stat.size !== 11) c.fail(`finish answered ${JSON.stringify(result)}`);
      await c.expectText("a.txt", "hello world");
      await c.expectOffset("a.txt", id, null);
      await c.rejects("a second finish", c.partial.finish(c.at("a.txt"), id), "ENOENT");
    },
  },
  {
    name: "a piece at another offset than the upload's is ESPIPE and changes nothing",
    async run(c) {
      const id = await c.begin("a.txt", 6);
      await c.append("a.txt", id, 0, "abc");
      await c.rejects("a piece sent again", c.partial.append(c.at("a.txt"), id, 0, bodyOf("abc")), "ESPIPE");
      await c.rejects("a piece past a gap", c.partial.append(c.at("a.txt"), id, 4, bodyOf("ef")), "ESPIPE");
      await c.expectOffset("a.txt", id, 3);
      await c.append("a.txt", id, 3, "def");
      await c.partial.finish(c.at("a.txt"), id);
      await c.expectText("a.txt", "abcdef");
    },
  },
  {
    name: "nothing of an upload is listed nor found until it is finished, its folder made at begin",
    async run(c) {
      const id = await c.begin("deep/er/a.txt", 8, { parents: true });
      await c.append("deep/er/a.txt", id, 0, "half");
      await c.expectNames(["deep"]);
      await c.expectNames([], c.at("deep/er"));
      await c.expectText("deep/er/a.txt", null);
      await c.rejects("a finish of half", c.partial.finish(c.at("deep/er/a.txt"), id), "EBADMSG");
      await c.append("deep/er/a.txt", id, 4, "full");
      await c.expectNames([], c.at("deep/er"));
      await c.partial.finish(c.at("deep/er/a.txt"), id);
      await c.expectNames(["a.txt"], c.at("deep/er"));
      await c.rejects("a begin in a missing folder", c.begin("none/a.txt", 1), "ENOENT");
    },
  },
  {
    name: "abort leaves nothing, and the upload is gone",
    async run(c) {
      const id = await c.begin("a.txt", 10);
      await c.append("a.txt", id, 0, "some");
      await c.partial.abort(c.at("a.txt"), id);
      await c.expectNames([]);
      await c.expectOffset("a.txt", id, null);
      await c.rejects("an append after abort", c.partial.append(c.at("a.txt"), id, 4, bodyOf("more")), "ENOENT");
      await c.rejects("a second abort", c.partial.abort(c.at("a.txt"), id), "ENOENT");
    },
  },
  {
    name: "finish in create mode over a name taken meanwhile is EEXIST, the file there intact and the upload over",
    async run(c) {
      const id = await c.begin("a.txt", 3);
      await c.append("a.txt", id, 0, "new");
      await c.writes.put(c.at("a.txt"), bodyOf("theirs"), { mode: "create", maxBytes: 100, parents: false });
      await c.rejects("the finish", c.partial.finish(c.at("a.txt"), id), "EEXIST");
      await c.expectText("a.txt", "theirs");
      await c.expectNames(["a.txt"]);
      await c.expectOffset("a.txt", id, null);
      const replacing = await c.begin("a.txt", 4, { mode: "replace" });
      await c.append("a.txt", replacing, 0, "mine");
      const result = await c.partial.finish(c.at("a.txt"), replacing);
      if (result.created) c.fail("a replace said created: true");
      await c.expectText("a.txt", "mine");
    },
  },
  {
    name: "bytes past the length are EFBIG from the piece that crosses it, what came before kept",
    async run(c) {
      await c.rejects("a length past maxBytes", c.begin("big.bin", 101, { maxBytes: 100 }), "EFBIG");
      const id = await c.begin("a.txt", 5);
      await c.rejects("a crossing piece", c.partial.append(c.at("a.txt"), id, 0, bodyOf("abcdefgh", 3)), "EFBIG");
      await c.expectOffset("a.txt", id, 3);
      await c.append("a.txt", id, 3, "de");
      await c.partial.finish(c.at("a.txt"), id);
      await c.expectText("a.txt", "abcde");
    },
  },
  {
    name: "a body that fails midway keeps the chunks it delivered: the upload resumes from there",
    async run(c) {
      const id = await c.begin("a.txt", 12);
      try {
        await c.partial.append(c.at("a.txt"), id, 0, cutBody("first", " half"));
        c.fail("a failing body was taken whole");
      } catch {
        // any error: the client is gone
      }
      await c.expectOffset("a.txt", id, 10);
      await c.expectText("a.txt", null);
      await c.append("a.txt", id, 10, "!!");
      await c.partial.finish(c.at("a.txt"), id);
      await c.expectText("a.txt", "first half!!");
    },
  },
  {
    name: "an id answers only for the path it was made for",
    async run(c) {
      const id = await c.begin("a.txt", 1);
      await c.expectOffset("b.txt", id, null);
      await c.rejects("an append to another path", c.partial.append(c.at("b.txt"), id, 0, bodyOf("x")), "ENOENT");
      await c.rejects("an abort of another path", c.partial.abort(c.at("b.txt"), id), "ENOENT");
      await c.rejects("an unknown id", c.partial.abort(c.at("a.txt"), "0".repeat(32)), "ENOENT");
      await c.append("a.txt", id, 0, "x");
      await c.rejects("a finish of another path", c.partial.finish(c.at("b.txt"), id), "ENOENT");
      await c.partial.finish(c.at("a.txt"), id);
      await c.expectNames(["a.txt"]);
    },
  },
  {
    name: "a newer request stops an append still reading, keeping what it stored",
    async run(c) {
      const id = await c.begin("a.txt", 9);
      const { body, written } = stalledBody("stalled");
      const stalled = c.partial.append(c.at("a.txt"), id, 0, body);
      await written;
      await c.expectOffset("a.txt", id, 7);
      const ended = await stalled;
      if (ended.offset !== 7) c.fail(`the stopped append answered ${ended.offset}`);
      await c.append("a.txt", id, 7, "!!");
      await c.partial.finish(c.at("a.txt"), id);
      await c.expectText("a.txt", "stalled!!");
    },
  },
  {
    name: "an upload of no bytes finishes at once as an empty file",
    async run(c) {
      const id = await c.begin("empty.txt", 0);
      await c.expectOffset("empty.txt", id, 0);
      await c.partial.finish(c.at("empty.txt"), id);
      await c.expectText("empty.txt", "");
    },
  },
];

/**
 * Runs every case against `fs`'s resumable uploads, each in its own folder under the (empty) root.
 *
 * @param fs a filesystem with `writes.partial`, over an empty root
 * @returns what each case found
 */
export async function runPartialWriteTable(fs: FileSystem): Promise<WriteCaseResult[]> {
  const { writes } = fs;
  if (writes?.partial === undefined) throw new Error("this filesystem takes no resumable uploads");
  const results: WriteCaseResult[] = [];
  for (const [index, each] of CASES.entries()) {
    const dir = `p${index}`;
    const check = new PartialCheck(fs, writes, writes.partial, dir);
    try {
      await writes.mkdir(dir);
      await each.run(check);
    } catch (error) {
      check.fail(`threw ${String(error)} (code ${String((error as { code?: unknown } | null)?.code)})`);
    }
    results.push({ name: each.name, problems: check.problems });
  }
  return results;
}

/** The names of the cases, in order, for the vitest side to register before they run. */
export const PARTIAL_WRITE_CASE_NAMES: readonly string[] = CASES.map((each) => each.name);
