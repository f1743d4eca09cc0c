import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { describe, expect, it } from "vitest";
import { VERSION } from "../src/index.js";

const packageDir = fileURLToPath(new URL("..", import.meta.url));

describe("@simplehttp/core", () => {
  it.each(["index.ts", "live/index.ts"])(
    "bundles %s for a neutral platform with no runtime-specific import",
    async (entry) => {
      const result = await build({
        entryPoints: [`${packageDir}/src/${entry}`],
        bundle: true,
        platform: "neutral",
        format: "esm",
        mainFields: ["module", "main"],
        write: false,
        metafile: true,
        logLevel: "silent",
      });
      const imports = Object.values(result.metafile.inputs).flatMap((input) => input.imports);
      // Everything resolves into the bundle: nothing is left for a runtime to provide.
      expect(imports.filter((i) => i.external || i.path.startsWith("node:")).map((i) => i.path)).toEqual([]);
      if (entry === "index.ts")
        expect(Object.keys(result.metafile.inputs).some((path) => path.includes("mime"))).toBe(true);
      const code = result.outputFiles[0]?.text ?? "";
      // Bundled code must not reach for a runtime's globals either.
      expect(code).not.toMatch(/\b(process|Bun|Deno|require)\s*[.(]/);
      expect(code).not.toMatch(/from\s*["']node:/);
    },
  );

  it("states the version of its package.json", () => {
    const pkg = JSON.parse(readFileSync(`${packageDir}/package.json`, "utf8")) as { version: string };
    expect(VERSION).toBe(pkg.version);
  });
});
