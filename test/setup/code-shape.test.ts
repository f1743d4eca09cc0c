/**
 * The shape the code keeps, checked on every run so it stays that way (CONTRIBUTING.md): no
 * function in a package's source over 80 lines, no source file over 300, no import circle, and
 * no line over 120 columns anywhere the formatter looks. Biome formats and lints (`pnpm lint`);
 * it has no rule for these, so they are measured here with TypeScript's own parser.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../support/spawn-server.ts";

const MAX_FUNCTION_LINES = 80;
const MAX_FILE_LINES = 300;
const MAX_COLUMNS = 120;

/** Every TypeScript or JavaScript file under `dir`, skipping what is built or installed. */
function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory())
      return ["node_modules", "dist", "bundle", "output", "raw"].includes(entry.name) ? [] : sourceFiles(path);
    return /\.(?:ts|mts|mjs|js)$/.test(entry.name) && !entry.name.endsWith(".d.ts") ? [path] : [];
  });
}

const packages = readdirSync(join(REPO_ROOT, "packages"));
const SOURCES = packages.flatMap((name) => sourceFiles(join(REPO_ROOT, "packages", name, "src")));
const FORMATTED = [
  ...packages.flatMap((name) => sourceFiles(join(REPO_ROOT, "packages", name))),
  ...["test", "bench", "examples", "scripts"]
    .filter((dir) => existsSync(join(REPO_ROOT, dir)))
    .flatMap((dir) => sourceFiles(join(REPO_ROOT, dir))),
];
const shown = (path: string): string => relative(REPO_ROOT, path);
const parsed = (path: string): ts.SourceFile =>
  ts.createSourceFile(path, readFileSync(path, "utf8"), ts.ScriptTarget.Latest, true);

/** Functions (declarations, methods, arrows) longer than the limit, as `file:line name (n lines)`. */
function longFunctions(path: string): string[] {
  const source = parsed(path);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node) && "body" in node && node.body !== undefined) {
      const first = source.getLineAndCharacterOfPosition(node.getStart(source)).line;
      const last = source.getLineAndCharacterOfPosition(node.getEnd()).line;
      const name = node.name?.getText(source) ?? "(anonymous)";
      if (last - first + 1 > MAX_FUNCTION_LINES)
        found.push(`${shown(path)}:${first + 1} ${name} (${last - first + 1} lines)`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** The source files `path` imports by a relative specifier (`./x.js` names `./x.ts`). */
function relativeImports(path: string): string[] {
  const { importedFiles } = ts.preProcessFile(readFileSync(path, "utf8"), true, true);
  return importedFiles
    .map((file) => file.fileName)
    .filter((specifier) => specifier.startsWith("."))
    .map((specifier) => resolve(dirname(path), specifier.replace(/\.js$/, ".ts")));
}

/** Each circle of the graph `edges` (a file → the files it imports), once, as its files in order. */
function importCircles(edges: ReadonlyMap<string, readonly string[]>): string[][] {
  const circles = new Map<string, string[]>();
  const walk = (file: string, path: string[]): void => {
    const at = path.indexOf(file);
    if (at >= 0) {
      const circle = path.slice(at);
      const key = [...circle].sort().join("\n");
      if (!circles.has(key)) circles.set(key, circle);
      return;
    }
    for (const next of edges.get(file) ?? []) walk(next, [...path, file]);
  };
  for (const file of edges.keys()) walk(file, []);
  return [...circles.values()];
}

describe("the shape of the code", () => {
  it(`no function in packages/*/src is longer than ${MAX_FUNCTION_LINES} lines`, () => {
    expect(SOURCES.length).toBeGreaterThan(50);
    expect(SOURCES.flatMap(longFunctions)).toEqual([]);
  });

  it(`no file in packages/*/src is longer than ${MAX_FILE_LINES} lines`, () => {
    const long = SOURCES.map((path) => [shown(path), readFileSync(path, "utf8").split("\n").length] as const);
    expect(long.filter(([, lines]) => lines > MAX_FILE_LINES)).toEqual([]);
  });

  it("no import circle among the files of packages/*/src", () => {
    const edges = new Map(SOURCES.map((file) => [file, relativeImports(file)]));
    expect([...edges.values()].flat()).toContain(join(REPO_ROOT, "packages", "core", "src", "handler", "lookup.ts"));
    expect(importCircles(edges).map((circle) => circle.map(shown).join(" -> "))).toEqual([]);
  });

  it(`no line of source, tests, bench or examples is wider than ${MAX_COLUMNS} columns`, () => {
    expect(FORMATTED.length).toBeGreaterThan(SOURCES.length);
    const wide = FORMATTED.flatMap((path) =>
      readFileSync(path, "utf8")
        .split("\n")
        .flatMap((line, index) => (line.length > MAX_COLUMNS ? [`${shown(path)}:${index + 1} (${line.length})`] : [])),
    );
    expect(wide).toEqual([]);
  });

  it("the circle finder finds a circle, once, and none in a tree", () => {
    const circle = new Map([
      ["a", ["b"]],
      ["b", ["c", "d"]],
      ["c", ["a"]],
      ["d", []],
    ]);
    expect(importCircles(circle)).toEqual([["a", "b", "c"]]);
    expect(
      importCircles(
        new Map([
          ["a", ["b", "c"]],
          ["b", ["c"]],
          ["c", []],
        ]),
      ),
    ).toEqual([]);
  });
});
