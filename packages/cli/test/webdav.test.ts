/**
 * The share as a WebDAV drive, through real clients (issue 20): rclone's webdav backend (vendor
 * `other`, configured by its environment, no config file) copies a folder up, lists it, copies it
 * back byte-identical, renames and deletes; cadaver, driven through its stdin, makes a folder,
 * puts, lists, moves, gets and deletes. Each against `simplehttp --delete` on Node, Bun and Deno.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { toolPath } from "../../../test/setup/system-packages.ts";
import { killAll, RUNTIME_NAMES, type Run, startServing, stop } from "./run.ts";

/** What a client run ended with. */
interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

const TOOL_MS = 30_000;
const tools: ChildProcess[] = [];

/** How a client runs: its whole environment, its working folder, what its stdin reads. */
interface ToolOptions {
  env: NodeJS.ProcessEnv;
  cwd?: string;
  input?: string;
}

/** Runs `command` with `args`, killed if it takes past {@link TOOL_MS}. */
function runTool(command: string, args: readonly string[], { env, cwd, input = "" }: ToolOptions): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, cwd, stdio: ["pipe", "pipe", "pipe"] });
    tools.push(child);
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (text: string) => (stdout += text));
    child.stderr.setEncoding("utf8").on("data", (text: string) => (stderr += text));
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`timed out after ${TOOL_MS} ms: ${command} ${args.join(" ")}\n${stdout}\n${stderr}`));
    }, TOOL_MS);
    child.once("error", reject);
    child.once("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(input);
  });
}

afterEach(() => {
  for (const child of tools.splice(0)) if (child.exitCode === null) child.kill("SIGKILL");
  killAll();
});

/** A scratch folder per test, removed after it. */
function scratch(): string {
  const dir = mkdtempSync(join(tmpdir(), "simplehttp-dav-"));
  onTestEnd(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}
const ends: (() => void)[] = [];
const onTestEnd = (end: () => void) => ends.push(end);
afterEach(() => {
  for (const end of ends.splice(0)) end();
});

/** Every file under `dir`, by its path relative to it, with its SHA-256. */
function digests(dir: string): Record<string, string> {
  const found: Record<string, string> = {};
  for (const entry of readdirSync(dir, { recursive: true, encoding: "utf8" })) {
    const path = join(dir, entry);
    if (statSync(path).isFile())
      found[relative(dir, path)] = createHash("sha256").update(readFileSync(path)).digest("hex");
  }
  return found;
}

// Nested folders, names with spaces and UTF-8, an empty file and one of 5 MiB.
const TREE: Record<string, Uint8Array | string> = {
  "top.txt": "top\n",
  "empty.txt": "",
  "a dir/hi there.txt": "hello\n",
  "a dir/sub ü/ñame ö.txt": "ünï\n",
  "a dir/sub ü/deeper/日本語.md": "# 日本語\n",
  "big.bin": randomBytes(5 * 1024 * 1024),
};

function writeTree(dir: string): void {
  for (const [path, content] of Object.entries(TREE)) {
    mkdirSync(join(dir, path, ".."), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
}

/** rclone's environment with the remote `X:` for the server on `port`, and no config file. */
function rcloneEnv(port: number): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    RCLONE_CONFIG: "/dev/null",
    // rclone's RCLONE_CONFIG_<NAME>_<OPTION>: a remote made of the environment alone.
    RCLONE_CONFIG_X_TYPE: "webdav",
    RCLONE_CONFIG_X_URL: `http://127.0.0.1:${port}/`,
    RCLONE_CONFIG_X_VENDOR: "other",
  };
}

/** The server's request log lines that answered 5xx: none may. */
const failures = (running: Run): string[] =>
  `${running.stdout()}${running.stderr()}`.split("\n").filter((line) => /" 5\d\d /.test(line));

describe.each(RUNTIME_NAMES)("WebDAV clients against the command on %s", (runtime) => {
  it("rclone copies a folder up and back byte-identical, lists, renames and deletes it", async () => {
    const [served, source, back] = [scratch(), scratch(), scratch()];
    writeTree(source);
    const { running, port } = await startServing(served, ["--delete"], { runtime });
    const env = { ...rcloneEnv(port), HOME: scratch() };
    const rclone = async (...args: string[]) => {
      const ran = await runTool(toolPath("rclone"), args, { env });
      expect(ran.code, `rclone ${args.join(" ")}: ${ran.stderr}`).toBe(0);
      return ran.stdout;
    };

    await rclone("copy", source, "X:up");
    expect(digests(join(served, "up"))).toEqual(digests(source));
    const listed = JSON.parse(await rclone("lsjson", "-R", "X:up")) as { Path: string; Size: number; IsDir: boolean }[];
    const files = listed.filter((entry) => !entry.IsDir).map((entry) => [entry.Path, entry.Size]);
    expect(Object.fromEntries(files)).toEqual(
      Object.fromEntries(Object.entries(TREE).map(([path, content]) => [path, Buffer.byteLength(content)])),
    );
    expect(listed.filter((entry) => entry.IsDir).map((entry) => entry.Path)).toEqual(
      expect.arrayContaining(["a dir", "a dir/sub ü", "a dir/sub ü/deeper"]),
    );
    await rclone("copy", "X:up", back);
    expect(digests(back)).toEqual(digests(source));
    await rclone("check", source, "X:up");

    await rclone("moveto", "X:up/a dir/hi there.txt", "X:up/a dir/renamed é.txt");
    await rclone("moveto", "X:up/a dir/sub ü", "X:up/moved dir");
    expect(readFileSync(join(served, "up/a dir/renamed é.txt"), "utf8")).toBe("hello\n");
    expect(readFileSync(join(served, "up/moved dir/deeper/日本語.md"), "utf8")).toBe("# 日本語\n");
    expect(readdirSync(join(served, "up/a dir"))).toEqual(["renamed é.txt"]);

    await rclone("delete", "X:up/moved dir");
    expect(readdirSync(join(served, "up/moved dir/deeper"))).toEqual([]);
    await rclone("rmdirs", "X:up");
    await rclone("purge", "X:up");
    expect(readdirSync(served)).toEqual([]);
    expect(failures(running)).toEqual([]);
    await stop(running);
  }, 120_000);

  it("rclone reads a share with no write flag (PROPFIND needs none) and is refused a write", async () => {
    const [served, back] = [scratch(), scratch()];
    writeTree(served);
    const { running, port } = await startServing(served, [], { runtime });
    const env = { ...rcloneEnv(port), HOME: scratch() };
    const copied = await runTool(toolPath("rclone"), ["copy", "X:", back], { env });
    expect(copied.code, copied.stderr).toBe(0);
    expect(digests(back)).toEqual(digests(served));
    // (Not `rclone mkdir`: rclone reads MKCOL's 405 as "the folder exists", RFC 4918 §9.3.1's case.)
    const refused = await runTool(
      toolPath("rclone"),
      ["copyto", "--retries", "1", "--low-level-retries", "1", join(back, "top.txt"), "X:new.txt"],
      { env },
    );
    expect(refused.code).not.toBe(0);
    expect(running.stderr()).toMatch(/"PUT \/new\.txt HTTP\/1\.1" 405 /);
    expect(readdirSync(served)).not.toContain("new.txt");
    await stop(running);
  }, 60_000);

  it("rclone reads a --public-read share without a password and writes to it only with one", async () => {
    const [served, home] = [scratch(), scratch()];
    writeFileSync(join(served, "shared.txt"), "for all\n");
    writeFileSync(join(home, "mine.txt"), "from ana\n");
    const { running, port } = await startServing(served, ["--delete", "--auth", "ana:s3cret", "--public-read"], {
      runtime,
    });
    const anonymous = { ...rcloneEnv(port), HOME: home };
    const listed = await runTool(toolPath("rclone"), ["lsf", "X:"], { env: anonymous });
    expect([listed.code, listed.stdout]).toEqual([0, "shared.txt\n"]);
    const once = ["--retries", "1", "--low-level-retries", "1"];
    const refused = await runTool(toolPath("rclone"), ["copyto", ...once, join(home, "mine.txt"), "X:mine.txt"], {
      env: anonymous,
    });
    expect(refused.code).not.toBe(0);
    expect(running.stderr()).toMatch(/"PUT \/mine\.txt HTTP\/1\.1" 401 /);
    // rclone takes a password only obscured (`rclone obscure`), even from its environment.
    const obscured = await runTool(toolPath("rclone"), ["obscure", "s3cret"], { env: anonymous });
    const ana = { ...anonymous, RCLONE_CONFIG_X_USER: "ana", RCLONE_CONFIG_X_PASS: obscured.stdout.trim() };
    const written = await runTool(toolPath("rclone"), ["copyto", join(home, "mine.txt"), "X:mine.txt"], { env: ana });
    expect(written.code, written.stderr).toBe(0);
    expect(readFileSync(join(served, "mine.txt"), "utf8")).toBe("from ana\n");
    await stop(running);
  }, 60_000);

  it("cadaver makes a folder, puts, lists, moves, gets and deletes, read from its stdin", async () => {
    const [served, home] = [scratch(), scratch()];
    writeFileSync(join(home, "note.txt"), "from cadaver\n");
    const { running, port } = await startServing(served, ["--delete"], { runtime });
    const commands = [
      "mkcol drop",
      "cd drop",
      "put note.txt",
      "ls",
      "move note.txt renamed.txt",
      "ls",
      "get renamed.txt fetched.txt",
      "delete renamed.txt",
      "cd ..",
      "rmcol drop",
      "ls",
      "quit",
    ];
    // HOME: cadaver reads ~/.cadaverrc and ~/.netrc; the working folder is where put and get look.
    const env = { PATH: process.env.PATH, HOME: home };
    const input = `${commands.join("\n")}\n`;
    const ran = await runTool(toolPath("cadaver"), [`http://127.0.0.1:${port}/`], { env, cwd: home, input });
    const said = ran.stdout;
    expect(said).not.toMatch(/failed|not WebDAV-enabled/i);
    expect(said).toContain("Creating `drop': succeeded.");
    expect(said).toContain("Uploading note.txt to `/drop/note.txt':");
    expect(said).toMatch(/Listing collection `\/drop\/': succeeded.\n\s+note\.txt\s+13 /);
    expect(said).toContain("Moving `/drop/note.txt' to `/drop/renamed.txt':  succeeded.");
    expect(said).toMatch(/Listing collection `\/drop\/': succeeded.\n\s+renamed\.txt\s+13 /);
    expect(said).toContain("Deleting collection `drop': succeeded.");
    expect(said).toContain("Listing collection `/': collection is empty.");
    expect(readFileSync(join(home, "fetched.txt"), "utf8")).toBe("from cadaver\n");
    expect(readdirSync(served)).toEqual([]);
    expect(failures(running)).toEqual([]);
    await stop(running);
  });
});
