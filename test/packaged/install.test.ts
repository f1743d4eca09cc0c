/**
 * What a user gets from the registry: every package packed with `pnpm pack` (which rewrites the
 * `workspace:*` ranges), the tarballs installed with npm into a fresh folder outside the repo (real
 * folders, no workspace links), and the installed `simplehttp` bin started four ways — `npx`,
 * `bunx`, `bunx --bun` and `deno run -A` on the installed JS — each serving a file.
 *
 * Needs the build (`pnpm test` runs `tsc -b` first) and the npm registry for third-party deps.
 */
import { execFile } from "node:child_process";
import { existsSync, lstatSync } from "node:fs";
import { mkdir, mkdtemp, readdir, realpath, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { delimiter, join, relative, sep } from "node:path";
import { promisify } from "node:util";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type GroupProcess, spawnUntilLine, stopGroup } from "../support/processes.ts";
import { BUN, DENO, PNPM, REPO_ROOT } from "../support/spawn-server.ts";

const run = promisify(execFile);

/** Package dir → the name it is published under. */
const PACKAGES = {
  core: "@simplehttp/core",
  disk: "@simplehttp/disk",
  node: "@simplehttp/node",
  bun: "@simplehttp/bun",
  deno: "@simplehttp/deno",
  s3: "@simplehttp/s3",
  r2: "@simplehttp/r2",
  hono: "@simplehttp/hono",
  cli: "simplehttp",
} as const;
type PackageDir = keyof typeof PACKAGES;
const DIRS = Object.keys(PACKAGES) as PackageDir[];

/**
 * Built files each package dir must have before packing, each with its types: a library's entry
 * point. The CLI ships its bin and the bundle it imports (packages/cli/scripts/bundle.mjs), which
 * holds everything it runs, so it has no dependencies to install.
 */
const BUILT: Record<PackageDir, string[]> = {
  core: ["dist/index.js"],
  disk: ["dist/index.js"],
  node: ["dist/index.js"],
  bun: ["dist/index.js"],
  deno: ["dist/index.js"],
  s3: ["dist/index.js"],
  r2: ["dist/index.js"],
  hono: ["dist/index.js"],
  cli: [],
};
/** The bundled command, which the CLI's bin imports. */
const CLI_BUNDLE = "bundle/cli.js";

const HELLO = "hello from a packaged simplehttp\n";
const README = "# Packaged\n\nThe *listing* renders this.\n";
const BANNER =
  /^Serving HTTP on 127\.0\.0\.1 port (\d+) \(http:\/\/127\.0\.0\.1:\d+\/\) on (Node|Bun|Deno) (\S+) \.\.\.$/;
const DEPENDENCY_FIELDS = ["dependencies", "devDependencies", "peerDependencies", "optionalDependencies"] as const;

interface PackageJson {
  name: string;
  version: string;
  bin?: string | Record<string, string>;
  exports?: unknown;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

/**
 * The environment of a user's shell: no npm/pnpm run-script variables (`pnpm test` sets them), and no
 * PATH entries inside this repo or any `node_modules/.bin`, so neither the workspace's `simplehttp`
 * link nor its `bun`/`deno` shims can be found. bun.exe and deno are started by absolute path, so their
 * dirs need not be on PATH: `bun x --bun` puts its own temporary `node` → bun link first on the child's
 * PATH to run `#!/usr/bin/env node` bins under Bun, and `bun x` alone uses the system's `node`.
 */
function userEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^(npm|pnpm)_/i.test(key) || key === "NODE_OPTIONS" || key.startsWith("VITEST")) continue;
    env[key] = value;
  }
  const repo = REPO_ROOT.replace(/\/$/, "");
  env.PATH = (process.env.PATH ?? "")
    .split(delimiter)
    .filter(
      (entry) =>
        entry !== "" && entry !== repo && !entry.startsWith(repo + sep) && !entry.includes(`node_modules${sep}.bin`),
    )
    .join(delimiter);
  return env;
}

let tmp = "";
let app = "";
let site = "";
const tarballs = new Map<PackageDir, string>();

async function listTarball(tarball: string): Promise<string[]> {
  const { stdout } = await run("tar", ["-tzf", tarball], { timeout: 30_000 });
  return stdout.split("\n").filter((line) => line !== "");
}

async function packedPackageJson(tarball: string): Promise<{ text: string; json: PackageJson }> {
  const { stdout } = await run("tar", ["-xzOf", tarball, "package/package.json"], { timeout: 30_000 });
  return { text: stdout, json: JSON.parse(stdout) as PackageJson };
}

/** Every file a package.json `exports` map points at (string leaves starting with `./`). */
function exportTargets(exports: unknown): string[] {
  if (typeof exports === "string") return exports.startsWith("./") ? [exports.slice(2)] : [];
  if (exports === null || typeof exports !== "object") return [];
  return Object.values(exports).flatMap(exportTargets);
}

beforeAll(async () => {
  const env = userEnv();
  for (const dir of DIRS) {
    for (const file of dir === "cli" ? [CLI_BUNDLE] : BUILT[dir]) {
      const path = join(REPO_ROOT, "packages", dir, file);
      if (!existsSync(path))
        throw new Error(
          `${relative(REPO_ROOT, path)} is missing: build first (\`pnpm run build\`, which \`pnpm test\` runs)`,
        );
    }
  }
  // Outside the repo, so Node/Bun/Deno module resolution can never climb into the workspace.
  tmp = await realpath(await mkdtemp(join(tmpdir(), "simplehttp-packaged-")));
  app = join(tmp, "app");
  site = join(tmp, "site");
  const tarballDir = join(tmp, "tarballs");
  await Promise.all([mkdir(app), mkdir(site), mkdir(tarballDir)]);
  await writeFile(join(site, "hello.txt"), HELLO);
  await writeFile(join(site, "README.md"), README);
  await writeFile(join(app, "package.json"), JSON.stringify({ name: "app", private: true }, null, 2));

  // One at a time, so each tarball is the one new file in the folder.
  for (const dir of DIRS) {
    const before = new Set(await readdir(tarballDir));
    await run(PNPM[0], [...PNPM.slice(1), "pack", "--pack-destination", tarballDir], {
      cwd: join(REPO_ROOT, "packages", dir),
      env,
      timeout: 60_000,
    });
    const made = (await readdir(tarballDir)).filter((name) => !before.has(name) && name.endsWith(".tgz"));
    if (made.length !== 1)
      throw new Error(`pnpm pack in packages/${dir} made ${made.length} tarballs: ${made.join(", ")}`);
    tarballs.set(dir, join(tarballDir, made[0] ?? ""));
  }

  await run("npm", ["install", "--no-audit", "--no-fund", ...tarballs.values()], { cwd: app, env, timeout: 150_000 });

  for (const name of Object.values(PACKAGES)) {
    const installed = join(app, "node_modules", name);
    const stats = lstatSync(installed, { throwIfNoEntry: false });
    if (stats === undefined) throw new Error(`${name} is not installed in ${app}/node_modules`);
    if (stats.isSymbolicLink() || !stats.isDirectory())
      throw new Error(`${name} is installed as a link, not a folder from its tarball`);
    const real = await realpath(installed);
    if (!real.startsWith(app + sep)) throw new Error(`${name} resolves to ${real}, outside the app`);
  }
  if (!existsSync(join(app, "node_modules", "simplehttp", CLI_BUNDLE)))
    throw new Error(`node_modules/simplehttp/${CLI_BUNDLE} is missing after install`);
}, 240_000);

afterAll(async () => {
  if (tmp !== "") await rm(tmp, { recursive: true, force: true });
});

describe("the packed tarballs", () => {
  it.each(DIRS)("%s ships built JS with types", async (dir) => {
    const tarball = tarballs.get(dir) ?? "";
    const files = await listTarball(tarball);
    for (const built of BUILT[dir]) {
      expect(files).toContain(`package/${built}`);
      expect(files).toContain(`package/${built.replace(/\.js$/, ".d.ts")}`);
    }
    const { json } = await packedPackageJson(tarball);
    expect(json.name).toBe(PACKAGES[dir]);
    for (const target of exportTargets(json.exports))
      expect(files, `exports → ./${target}`).toContain(`package/${target}`);
    const bins = typeof json.bin === "string" ? [json.bin] : Object.values(json.bin ?? {});
    for (const bin of bins) expect(files, `bin → ${bin}`).toContain(`package/${bin.replace(/^\.\//, "")}`);
  });

  it.each(DIRS)("%s has no workspace: ranges left", async (dir) => {
    const { text, json } = await packedPackageJson(tarballs.get(dir) ?? "");
    expect(text).not.toContain("workspace:");
    for (const field of DEPENDENCY_FIELDS) {
      for (const [name, range] of Object.entries(json[field] ?? {})) {
        if (!name.startsWith("@simplehttp/")) continue;
        // pnpm pack turns workspace:* into the exact version of the package packed beside it.
        const dependencyDir = DIRS.find((candidate) => PACKAGES[candidate] === name);
        expect(dependencyDir, `${name} is one of the packed packages`).toBeDefined();
        if (dependencyDir === undefined) continue;
        const { json: dependency } = await packedPackageJson(tarballs.get(dependencyDir) ?? "");
        expect(range, `${field}.${name}`).toBe(dependency.version);
      }
    }
  });

  it("the CLI ships its bin and its bundle, and nothing to install beside them", async () => {
    const tarball = tarballs.get("cli") ?? "";
    const files = await listTarball(tarball);
    expect(files).toContain(`package/${CLI_BUNDLE}`);
    expect(files.filter((file) => file.startsWith("package/dist/") || file.endsWith(".json"))).toEqual([
      "package/package.json",
    ]);
    expect((await packedPackageJson(tarball)).json.dependencies).toBeUndefined();
  });

  it("the installed bin is executable", async () => {
    const { stdout } = await run("tar", ["-tvzf", tarballs.get("cli") ?? ""], { timeout: 30_000 });
    const entry = stdout.split("\n").find((line) => line.endsWith(" package/bin/simplehttp.js"));
    expect(entry, "bin/simplehttp.js in the tarball").toBeDefined();
    expect(entry?.slice(0, 10)).toMatch(/^-rwx/);
  });
});

describe("the installed simplehttp bin", () => {
  let running: GroupProcess | undefined;

  afterEach(async () => {
    if (running !== undefined) await stopGroup(running, 2000);
    running = undefined;
  });

  const ways: { way: string; command: () => string; args: string[]; runtime: "Node" | "Bun" | "Deno" }[] = [
    // npx runs `npm exec` → sh → node: only the group signal reaches the server.
    { way: "npx simplehttp", command: () => "npx", args: ["--no-install", "simplehttp"], runtime: "Node" },
    // bunx = `bun x`. With Node installed, a `#!/usr/bin/env node` bin runs under Node.
    { way: "bunx simplehttp", command: () => BUN, args: ["x", "simplehttp"], runtime: "Node" },
    { way: "bunx --bun simplehttp", command: () => BUN, args: ["x", "--bun", "simplehttp"], runtime: "Bun" },
    // Deno has no bin links; a Deno user names the installed JS entry.
    {
      way: "deno run -A node_modules/simplehttp/bin/simplehttp.js",
      command: () => DENO,
      args: ["run", "-A", "node_modules/simplehttp/bin/simplehttp.js"],
      runtime: "Deno",
    },
  ];

  it.each(ways)(
    "$way serves the folder on $runtime and stops on SIGTERM",
    async ({ command, args, runtime }) => {
      running = await spawnUntilLine(command(), [...args, "0", "--bind", "127.0.0.1", "--directory", site], {
        cwd: app,
        env: userEnv(),
        pattern: BANNER,
        timeoutMs: 20_000,
      });
      const [, port, banneredRuntime] = running.match;
      expect(banneredRuntime).toBe(runtime);
      const base = `http://127.0.0.1:${port}`;

      const response = await fetch(`${base}/hello.txt`, { signal: AbortSignal.timeout(5000) });
      expect(response.status).toBe(200);
      expect(await response.text()).toBe(HELLO);
      // The listing and the README's renderer load with the first folder shown (a dynamic import):
      // they must resolve from the installed packages too, marked from core's own dependencies.
      const listing = await fetch(`${base}/`, { signal: AbortSignal.timeout(5000) });
      expect(listing.status).toBe(200);
      expect(await listing.text()).toContain("<p>The <em>listing</em> renders this.</p>");

      const stopped = await stopGroup(running, 5000);
      running = undefined;
      expect(stopped.graceful, "the group exits within 5 s of SIGTERM").toBe(true);

      // Nothing in the group may be left listening.
      const deadline = Date.now() + 5000;
      let answering = true;
      while (answering && Date.now() < deadline) {
        answering = await fetch(`${base}/hello.txt`, { signal: AbortSignal.timeout(1000) }).then(
          async (late) => {
            await late.arrayBuffer();
            return true;
          },
          () => false,
        );
        if (answering) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(answering, `port ${port} still answers after the group was stopped`).toBe(false);
    },
    45_000,
  );
});

// Fails with a clear message instead of odd spawn errors if the runtimes were not installed.
it("has the bun and deno binaries", () => {
  expect(existsSync(BUN), `${BUN} (run pnpm install with allowBuilds)`).toBe(true);
  expect(existsSync(DENO), `${DENO} (run pnpm install with allowBuilds)`).toBe(true);
});
