// `node import-timer.mjs LIST.json each|all`: times the modules of LIST (URLs, every module after all
// it imports) and prints one JSON line, with bootMs, the process's own start (performance.timeOrigin
// to this module's first line).
//   each: imports them one by one, so each import loads, links and runs that module alone: `ms`, one
//         figure per URL. EMPTY modules of one line each are imported first: `empty`, their times (the
//         first of them also pay for the loader's first use; the later ones, what an import() costs by
//         itself here, which startup-modules.mjs takes off each module's time).
//   all:  imports one module that imports them all, in LIST's order, as the command loads them:
//         `allMs`, the time of that one import.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const first = performance.now();
const EMPTY = 30;
const urls = JSON.parse(readFileSync(process.argv[2], "utf8"));
const mode = process.argv[3] ?? "each";
const dir = mkdtempSync(join(tmpdir(), "import-timer-"));
const time = async (url) => {
  const t = performance.now();
  await import(url);
  return performance.now() - t;
};
try {
  if (mode === "all") {
    const file = join(dir, "all.mjs");
    writeFileSync(file, urls.map((url) => `import ${JSON.stringify(url)};\n`).join(""));
    const allMs = await time(pathToFileURL(file).href);
    console.log(JSON.stringify({ bootMs: first, allMs }));
  } else {
    const empty = [];
    for (let i = 0; i < EMPTY; i++) {
      const file = join(dir, `m${i}.mjs`);
      writeFileSync(file, `export const n = ${i};\n`);
      empty.push(await time(pathToFileURL(file).href));
    }
    const ms = [];
    for (const url of urls) ms.push(await time(url));
    console.log(JSON.stringify({ bootMs: first, empty, ms }));
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
