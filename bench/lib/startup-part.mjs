// The start-up part of a run (issue 21): the times of every command (startup.mjs) and where
// simplehttp on Node spends its own (startup-modules.mjs), plain and with --tls. `--floors` and the
// full run include it; `--startup` runs it alone and writes results/startup.md and startup.json.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { machineTable } from "./md.mjs";
import { writeJson } from "./report.mjs";
import { measureStartup, startupCommands } from "./startup.mjs";
import { moduleBreakdown } from "./startup-modules.mjs";
import { startupSection } from "./startup-report.mjs";

/** { measure, breakdown: { runs, plain, tls } }; a breakdown that fails is reported as its error. */
export async function startupPart({ root, bench, fixture, runtimes, runs, log }) {
  const t0 = Date.now();
  log(`startup: ${runs} runs of each command ...`);
  const defs = startupCommands({ root, bench, runtimes });
  const measure = await measureStartup({ defs, cwd: fixture.root, fixture, runs, log });
  const breakdown = { runs };
  for (const [key, args] of [
    ["plain", ["0", "--bind", "127.0.0.1"]],
    ["tls", ["0", "--bind", "127.0.0.1", "--tls"]],
  ]) {
    try {
      breakdown[key] = await moduleBreakdown({ node: runtimes.node, root, args, cwd: fixture.root, runs });
      log(
        `  simplehttp on Node ${args.join(" ")}: ${breakdown[key].modules.length} modules, ` +
          `${breakdown[key].sumMs.toFixed(1)} ms of their own work`,
      );
    } catch (e) {
      breakdown[`${key}Error`] = String(e.message ?? e).slice(0, 300);
      log(`  module breakdown (${key}) failed: ${breakdown[`${key}Error`]}`);
    }
  }
  return { seconds: (Date.now() - t0) / 1000, measure, breakdown };
}

/** `--startup` alone: the part, then results/startup.md and startup.json (quick: results/raw/quick-startup.*). */
export async function runStartupOnly({ root, bench, fixture, runtimes, runs, quick, machine, log }) {
  const data = await startupPart({ root, bench, fixture, runtimes, runs, log });
  const meta = { date: new Date().toISOString(), mode: quick ? "quick" : "full", totalSeconds: data.seconds, machine };
  const L = [
    `# simplehttp benchmark: start-up (issue 21)`,
    "",
    `Run ${meta.date} (${meta.totalSeconds.toFixed(0)} s in all). Written by \`pnpm bench --startup\` ` +
      `(bench/lib/startup-part.mjs); bench/README.md describes the method.`,
    "",
    ...machineTable(machine),
    ...startupSection(data),
  ];
  mkdirSync(join(bench, "results/raw"), { recursive: true });
  const stem = quick ? join(bench, "results/raw/quick-startup") : join(bench, "results/startup");
  writeJson(`${stem}.json`, { meta, ...data });
  writeFileSync(`${stem}.md`, `${L.join("\n")}\n`);
  writeJson(join(bench, "results/raw", `${meta.date.replace(/[:.]/g, "-")}-startup.json`), { meta, ...data });
  log(`bench --startup: done in ${meta.totalSeconds.toFixed(0)} s; wrote ${stem}.md`);
}
