/**
 * The write contract (packages/core/src/fs/writes.ts) as one table of cases, run directly against
 * every filesystem's `writes`: the in-memory one, the disk layer on Node and Bun, Deno, S3, R2.
 * Each case works under its own folder (`c<n>/`) of an empty root, and says what it found: the
 * vitest side (write-suite.ts) turns each into a test, so a runtime that answers otherwise fails
 * by name.
 *
 * Plain code, no test framework: this module also runs inside Bun and Deno (write-probe.ts).
 */
import type { FileStat, FileSystem, FileWrites, PutOptions } from "@simplehttp/core";

/** What one case found: `problems` is empty when the filesystem kept the contract. */
export interface WriteCaseResult {
  name: string;
  problems: string[];
}

/** A case: its name, and a run that lists what went wrong. */
interface WriteCase {
  name: string;
  run(check: Check): Promise<void>;
}

const MIB = 1024 * 1024;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** A body of `text`, in chunks of `chunk` bytes. */
export function bodyOf(text: string | Uint8Array, chunk = 64 * 1024): ReadableStream<Uint8Array> {
  const bytes = typeof text === "string" ? encoder.encode(text) : text;
  let at = 0;
  return new ReadableStream({
    pull(controller) {
      if (at >= bytes.length) return controller.close();
      controller.enqueue(bytes.slice(at, at + chunk));
      at += chunk;
    },
  });
}

/** A body that sends `text`, then fails: a client that went away mid-upload. */
function failingBody(text: string): ReadableStream<Uint8Array> {
  let sent = false;
  return new ReadableStream({
    pull(controller) {
      if (sent) return controller.error(Object.assign(new Error("client gone"), { code: "ECONNRESET" }));
      controller.enqueue(encoder.encode(text));
      sent = true;
    },
  });
}

/** What a case may ask of the filesystem under test, each answer checked and noted. */
class Check {
  readonly problems: string[] = [];

  constructor(
    readonly fs: FileSystem,
    readonly writes: FileWrites,
    readonly dir: string,
  ) {}

  at(name: string): string {
    return `${this.dir}/${name}`;
  }

  fail(problem: string): void {
    this.problems.push(problem);
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

  /** The text of the file at `path`, or null when nothing is there. */
  async text(path: string): Promise<string | null> {
    const stat = await this.fs.stat(path);
    if (stat === null) return null;
    if (stat.kind !== "file") return `<${stat.kind}>`;
    if (stat.size === 0) return "";
    const body = await this.fs.read(path, { start: 0, end: stat.size - 1 });
    return decoder.decode(await new Response(bodyStream(body)).arrayBuffer());
  }

  async expectText(path: string, expected: string | null): Promise<void> {
    const got = await this.text(path);
    if (got !== expected) this.fail(`${path}: holds ${JSON.stringify(got)}, expected ${JSON.stringify(expected)}`);
  }

  /** The names in the case's folder (or `path`), sorted. */
  async names(path = this.dir): Promise<string[]> {
    return (await this.fs.readDir(path)).map((entry) => entry.name).sort();
  }

  async expectNames(expected: string[], path = this.dir): Promise<void> {
    const got = await this.names(path);
    if (got.join("/") !== [...expected].sort().join("/"))
      this.fail(`${path}/ lists ${got.join(", ")}, expected ${expected.join(", ")}`);
  }

  put(name: string, content: string | Uint8Array | ReadableStream<Uint8Array>, options: Partial<PutOptions> = {}) {
    const body = content instanceof ReadableStream ? content : bodyOf(content);
    return this.writes.put(this.at(name), body, { mode: "create", maxBytes: 16 * MIB, parents: false, ...options });
  }
}

/** A body as something `Response` reads, whatever form the filesystem gave it in. */
function bodyStream(body: Awaited<ReturnType<FileSystem["read"]>>): BodyInit {
  if (body instanceof ReadableStream || body instanceof Blob) return body;
  if (body instanceof Uint8Array) return new Uint8Array(body);
  return body.stream();
}

const CASES: WriteCase[] = [
  {
    name: "put creates a new file, whole, and says it was created",
    async run(c) {
      const result = await c.put("a.txt", "hello");
      if (!result.created) c.fail("created: false for a new name");
      if (result.stat.kind !== "file" || result.stat.size !== 5) c.fail(`stat ${JSON.stringify(result.stat)}`);
      await c.expectText(c.at("a.txt"), "hello");
    },
  },
  {
    name: "put in create mode never replaces: EEXIST, the old file intact",
    async run(c) {
      await c.put("a.txt", "first");
      await c.rejects("a second create", c.put("a.txt", "second"), "EEXIST");
      await c.expectText(c.at("a.txt"), "first");
      await c.expectNames(["a.txt"]);
    },
  },
  {
    name: "put in replace mode replaces a file whole and says it was not created",
    async run(c) {
      await c.put("a.txt", "first version, longer");
      const result = await c.put("a.txt", "second", { mode: "replace" });
      if (result.created) c.fail("created: true for a replaced file");
      await c.expectText(c.at("a.txt"), "second");
      await c.expectNames(["a.txt"]);
    },
  },
  {
    name: "put replaces only the version it expects; another is ESTALE and stays",
    async run(c) {
      const first = await c.put("a.txt", "one");
      await c.put("a.txt", "two!", { mode: "replace" });
      await c.rejects(
        "a replace of a stale version",
        c.put("a.txt", "three", { mode: "replace", expected: first.stat }),
        "ESTALE",
      );
      await c.expectText(c.at("a.txt"), "two!");
      const current = (await c.fs.stat(c.at("a.txt"))) as FileStat;
      await c.put("a.txt", "three", { mode: "replace", expected: current });
      await c.expectText(c.at("a.txt"), "three");
      // Deleted in between: the expected version is gone, and nothing is created in its place.
      const last = (await c.fs.stat(c.at("a.txt"))) as FileStat;
      await c.writes.remove(c.at("a.txt"));
      await c.rejects(
        "a replace of a deleted version",
        c.put("a.txt", "four", { mode: "replace", expected: last }),
        "ESTALE",
      );
      await c.expectText(c.at("a.txt"), null);
    },
  },
  {
    name: "put never replaces a folder: EISDIR, in either mode",
    async run(c) {
      await c.writes.mkdir(c.at("sub"));
      await c.rejects("a replace of a folder", c.put("sub", "x", { mode: "replace" }), "EISDIR");
      await c.rejects("a create over a folder", c.put("sub", "x"), "EEXIST");
      const stat = await c.fs.stat(c.at("sub"));
      if (stat?.kind !== "directory") c.fail(`sub is ${JSON.stringify(stat)}`);
    },
  },
  {
    name: "put creates missing parent folders when asked, and fails with ENOENT when not",
    async run(c) {
      await c.rejects("a put into a missing folder", c.put("x/y/z.txt", "deep"), "ENOENT");
      await c.put("x/y/z.txt", "deep", { parents: true });
      await c.expectText(c.at("x/y/z.txt"), "deep");
      const stat = await c.fs.stat(c.at("x/y"));
      if (stat?.kind !== "directory") c.fail(`x/y is ${JSON.stringify(stat)}`);
    },
  },
  {
    name: "put over the size cap fails with EFBIG and leaves nothing, not even a temporary file",
    async run(c) {
      await c.rejects(
        "a body past maxBytes",
        c.put("big.bin", new Uint8Array(300_000), { maxBytes: 100_000 }),
        "EFBIG",
      );
      await c.expectText(c.at("big.bin"), null);
      await c.expectNames([]);
    },
  },
  {
    name: "put of a body that fails midway leaves nothing, and the old file when replacing",
    async run(c) {
      try {
        await c.put("gone.txt", failingBody("half of it"));
        c.fail("a failing body was stored");
      } catch {
        // any error: the client is gone
      }
      await c.expectText(c.at("gone.txt"), null);
      await c.put("kept.txt", "old");
      try {
        await c.put("kept.txt", failingBody("new half"), { mode: "replace" });
        c.fail("a failing body replaced a file");
      } catch {
        // as above
      }
      await c.expectText(c.at("kept.txt"), "old");
      await c.expectNames(["kept.txt"]);
    },
  },
  {
    name: "put of a body shorter than its announced length fails and leaves nothing",
    async run(c) {
      try {
        await c.put("short.txt", "12345", { length: 10 });
        c.fail("a short body was stored");
      } catch {
        // any error
      }
      await c.expectText(c.at("short.txt"), null);
      await c.expectNames([]);
    },
  },
  {
    name: "twenty creates of one name at once: exactly one wins, whole; the others are EEXIST",
    async run(c) {
      const contents = Array.from({ length: 20 }, (_, i) => `writer ${i} `.repeat(2000 + i));
      const results = await Promise.allSettled(contents.map((text) => c.put("same.txt", bodyOf(text, 4096))));
      const won = results.filter((result) => result.status === "fulfilled").length;
      if (won !== 1) c.fail(`${won} creates succeeded`);
      for (const result of results) {
        const code = result.status === "rejected" ? (result.reason as { code?: string }).code : "EEXIST";
        if (code !== "EEXIST") c.fail(`a losing create failed with ${String(code)}`);
      }
      const text = await c.text(c.at("same.txt"));
      if (text === null || !contents.includes(text)) c.fail("same.txt holds no writer's whole bytes");
      await c.expectNames(["same.txt"]);
    },
  },
  {
    name: "twenty replaces of one file at once: it ends holding one writer's bytes, whole",
    async run(c) {
      await c.put("same.txt", "start");
      const contents = Array.from({ length: 20 }, (_, i) => `replacer ${i} `.repeat(3000 + i));
      const results = await Promise.allSettled(
        contents.map((text) => c.put("same.txt", bodyOf(text, 4096), { mode: "replace" })),
      );
      if (results.some((result) => result.status === "rejected")) c.fail("a plain replace failed");
      const text = await c.text(c.at("same.txt"));
      if (text === null || !contents.includes(text)) c.fail("same.txt holds no writer's whole bytes");
      await c.expectNames(["same.txt"]);
    },
  },
  {
    name: "mkdir creates one folder; EEXIST when anything is there, ENOENT without its parent",
    async run(c) {
      await c.writes.mkdir(c.at("new"));
      if ((await c.fs.stat(c.at("new")))?.kind !== "directory") c.fail("new/ is not a folder");
      await c.rejects("a second mkdir", c.writes.mkdir(c.at("new")), "EEXIST");
      await c.put("file", "x");
      await c.rejects("a mkdir over a file", c.writes.mkdir(c.at("file")), "EEXIST");
      await c.rejects("a mkdir without its parent", c.writes.mkdir(c.at("no/such")), "ENOENT");
    },
  },
  {
    name: "remove deletes a file, and a folder with everything below it; ENOENT when absent",
    async run(c) {
      await c.put("a.txt", "a");
      await c.put("tree/b/c.txt", "c", { parents: true });
      await c.writes.remove(c.at("a.txt"));
      await c.writes.remove(c.at("tree"));
      await c.expectNames([]);
      await c.rejects("a remove of nothing", c.writes.remove(c.at("a.txt")), "ENOENT");
    },
  },
  {
    name: "move renames a file and a folder; EEXIST onto something unless overwriting",
    async run(c) {
      await c.put("a.txt", "a");
      const moved = await c.writes.move(c.at("a.txt"), c.at("b.txt"), false);
      if (!moved.created) c.fail("a move to a new name said created: false");
      await c.expectText(c.at("a.txt"), null);
      await c.expectText(c.at("b.txt"), "a");
      await c.put("c.txt", "c");
      await c.rejects("a move onto a file", c.writes.move(c.at("c.txt"), c.at("b.txt"), false), "EEXIST");
      const over = await c.writes.move(c.at("c.txt"), c.at("b.txt"), true);
      if (over.created) c.fail("a move over a file said created: true");
      await c.expectText(c.at("b.txt"), "c");
      await c.put("dir/inner.txt", "inner", { parents: true });
      await c.writes.move(c.at("dir"), c.at("renamed"), false);
      await c.expectText(c.at("renamed/inner.txt"), "inner");
      await c.expectNames(["b.txt", "renamed"]);
      await c.rejects("a move of nothing", c.writes.move(c.at("none"), c.at("x"), false), "ENOENT");
    },
  },
  {
    name: "copy copies a file and a folder with everything below it; EEXIST unless overwriting",
    async run(c) {
      await c.put("a.txt", "a");
      await c.writes.copy(c.at("a.txt"), c.at("b.txt"), false);
      await c.expectText(c.at("a.txt"), "a");
      await c.expectText(c.at("b.txt"), "a");
      await c.rejects("a copy onto a file", c.writes.copy(c.at("a.txt"), c.at("b.txt"), false), "EEXIST");
      await c.put("dir/sub/inner.txt", "inner", { parents: true });
      await c.writes.copy(c.at("dir"), c.at("dir2"), false);
      await c.expectText(c.at("dir2/sub/inner.txt"), "inner");
      await c.expectText(c.at("dir/sub/inner.txt"), "inner");
    },
  },
  {
    name: "put keeps the modification time it is given",
    async run(c) {
      const mtimeMs = Date.UTC(2024, 1, 29, 12, 0, 0);
      await c.put("old.txt", "dated", { mtimeMs });
      const stat = await c.fs.stat(c.at("old.txt"));
      if (stat?.mtimeMs !== undefined && Math.abs(stat.mtimeMs - mtimeMs) >= 1000) {
        c.fail(`mtime ${new Date(stat.mtimeMs).toISOString()}, expected ${new Date(mtimeMs).toISOString()}`);
      }
    },
  },
  {
    name: "a write in progress is invisible: not listed, not found, until it is whole",
    async run(c) {
      let release: (() => void) | undefined;
      const waiting = new Promise<void>((resolve) => {
        release = resolve;
      });
      let sent = 0;
      const slow = new ReadableStream<Uint8Array>({
        async pull(controller) {
          if (sent === 1) await waiting;
          if (sent === 2) return controller.close();
          controller.enqueue(encoder.encode(`part ${sent} `.repeat(1000)));
          sent++;
        },
      });
      const writing = c.put("slow.txt", slow);
      while (sent < 1) await new Promise((resolve) => setTimeout(resolve, 5));
      await c.expectNames([]);
      await c.expectText(c.at("slow.txt"), null);
      release?.();
      await writing;
      await c.expectNames(["slow.txt"]);
    },
  },
];

/**
 * Runs every case against `fs`, each in its own folder under the (empty) root.
 *
 * @param fs a filesystem with `writes`, over an empty root
 * @returns what each case found
 */
export async function runWriteTable(fs: FileSystem): Promise<WriteCaseResult[]> {
  const writes = fs.writes;
  if (writes === undefined) throw new Error("this filesystem has no writes");
  const results: WriteCaseResult[] = [];
  for (const [index, each] of CASES.entries()) {
    const dir = `c${index}`;
    const check = new Check(fs, writes, dir);
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
export const WRITE_CASE_NAMES: readonly string[] = CASES.map((each) => each.name);
