// Issue 21's comparisons: each adapter ÷ its runtime's floor (a server that opens the file on every
// request and so is never stale, peers/*-file-floor.mjs), Node ÷ sirv, and each floor ÷ its runtime's
// ceiling (peers/*-ceiling.mjs) for context. Every ratio is taken within a round (both servers
// measured in the same round, minutes apart at most) and the median of the rounds is the figure;
// "by CPU" is the same ratio of CPU µs per request (the other's ÷ this one's), which holds when the
// host slows a vCPU. Used by results/floors.md (`--floors`) and by the full run's latest.md.
import { cell, int, machineTable, ratioCell, table } from "./md.mjs";
import { median } from "./report.mjs";
import { startupSection } from "./startup-report.mjs";

/** Issue 21's targets: simplehttp's req/s ÷ its runtime's floor's, and Node's ÷ sirv's, in the same run. */
export const FLOOR_TARGETS = {
  "simplehttp-node": { "1k": 0.75, 304: 0.75, 404: 1.0 },
  "simplehttp-deno": { "1k": 0.75, 304: 0.75, 404: 0.8 },
  "simplehttp-bun": { "1k": 0.95, 304: 0.95, 404: 0.9 },
};
export const SIRV_TARGETS = { "1k": 1.3 };

/** [this, ÷ that, what the row says, targets by scenario]. */
export const FLOOR_PAIRS = [
  ["simplehttp-node", "node-file-floor", "simplehttp on Node ÷ node-file-floor", FLOOR_TARGETS["simplehttp-node"]],
  ["simplehttp-deno", "deno-file-floor", "simplehttp on Deno ÷ deno-file-floor", FLOOR_TARGETS["simplehttp-deno"]],
  ["simplehttp-bun", "bun-file-floor", "simplehttp on Bun ÷ bun-file-floor", FLOOR_TARGETS["simplehttp-bun"]],
  ["simplehttp-node", "sirv", "simplehttp on Node ÷ sirv", SIRV_TARGETS],
  ["node-file-floor", "node-ceiling", "node-file-floor ÷ node:http from memory (ceiling)", {}],
  ["deno-file-floor", "deno-ceiling", "deno-file-floor ÷ Deno.serve from memory (ceiling)", {}],
  ["bun-file-floor", "bun-ceiling", "bun-file-floor ÷ Bun.serve + Bun.file, ETags from start-up (ceiling)", {}],
];
const TITLES = { "1k": "1 KiB", "64k": "64 KiB", 304: "304", 404: "404" };

const spanOf = (xs) => (xs.length ? [Math.min(...xs), Math.max(...xs)] : null);

/**
 * Round-by-round ratios of `a` ÷ `b` in one scenario, from the raw results: by rate, and by CPU
 * µs/req (b's ÷ a's, so that above 1 is faster either way). Rounds where either failed are left out.
 */
export function pairRatios(results, scenario, a, b) {
  const byRound = (name) =>
    new Map(
      results.filter((r) => r.server === name && r.scenario === scenario && r.status === "ok").map((r) => [r.round, r]),
    );
  const mine = byRound(a),
    theirs = byRound(b);
  const rate = [],
    cpu = [];
  for (const [round, x] of mine) {
    const y = theirs.get(round);
    if (!y) continue;
    rate.push(x.value / y.value);
    if (x.extra?.cpuUs && y.extra?.cpuUs) cpu.push(y.extra.cpuUs / x.extra.cpuUs);
  }
  return {
    rounds: rate.length,
    ratio: median(rate),
    range: spanOf(rate),
    cpu: median(cpu),
    cpuRange: spanOf(cpu),
    rate,
  };
}

/** Every pair of FLOOR_PAIRS that ran, per scenario, with its target met or missed on the median rate ratio. */
export function floorComparisons(results) {
  const scenarios = ["1k", "64k", "304", "404"].filter((id) => results.some((r) => r.scenario === id));
  const rows = [];
  for (const [a, b, label, targets] of FLOOR_PAIRS) {
    const cells = {};
    for (const id of scenarios) {
      const p = pairRatios(results, id, a, b);
      const target = targets[id] ?? null;
      const verdict = p.ratio == null || target == null ? null : p.ratio >= target ? "met" : "missed";
      cells[id] = { ...p, target, verdict };
    }
    if (Object.values(cells).some((c) => c.rounds > 0)) rows.push({ a, b, label, cells });
  }
  return { scenarios, rows };
}

const verdictText = (c) =>
  c.target == null ? "" : `; target ≥ ${c.target}×: ${c.verdict === "met" ? "met" : "**missed**"}`;

/** The summary tables: by rate with the targets, then by CPU µs/req. */
export function floorTables(comparisons) {
  const { scenarios, rows } = comparisons;
  if (!rows.length) return [];
  const head = ["", ...scenarios.map((id) => TITLES[id])];
  const byRate = rows.map((r) => [
    r.label,
    ...scenarios.map((id) => {
      const c = r.cells[id];
      return c.rounds ? `${ratioCell(c.ratio, c.range)}${verdictText(c)}` : c.target == null ? "–" : "not measured";
    }),
  ]);
  const byCpu = rows.map((r) => [
    r.label,
    ...scenarios.map((id) => (r.cells[id].cpu == null ? "–" : ratioCell(r.cells[id].cpu, r.cells[id].cpuRange))),
  ]);
  return [
    `Req/s of the first ÷ req/s of the second, in the same round; median of the rounds (min–max). ` +
      `Issue 21's targets beside them, met or missed on the median.`,
    "",
    ...table(head, byRate),
    `The same by CPU µs per request (the second's ÷ the first's: above 1 is cheaper per request), which ` +
      `holds when the host slows a vCPU down during one of the runs:`,
    "",
    ...table(head, byCpu),
  ];
}

/** Per scenario, every server's rate, CPU per request and p99, from report.mjs's aggregate. */
export function serverTables(agg) {
  const L = [];
  for (const sc of agg) {
    const rows = [...sc.servers].sort((x, y) => (y.median ?? -1) - (x.median ?? -1));
    L.push(`### ${sc.title}`, "");
    L.push(
      ...table(
        ["server", "kind", "median req/s", "min–max", "CPU µs/req", "p99 ms", "notes"],
        rows.map((r) => [
          r.kind === "simplehttp" ? `**${r.label}**` : r.label,
          r.kind,
          r.median == null ? (r.status === "n/a" ? "n/a" : "fail") : int(r.median),
          r.range ? `${int(r.range[0])}–${int(r.range[1])}` : "",
          r.cpuUs == null ? "–" : r.cpuUs.toFixed(1),
          r.p99 == null ? "–" : r.p99.toFixed(2),
          r.status === "ok" ? "" : `${r.status}: ${r.note ?? ""}`,
        ]),
      ),
    );
  }
  return L;
}

/** Whether each server saw a changed file at the next request (run.mjs's freshness check). */
export function freshnessLine(meta) {
  const labelOf = (name) => meta.versions.find((v) => v.name === name)?.label ?? name;
  const entries = Object.entries(meta.freshness ?? {});
  if (!entries.length) return [];
  const stale = entries.filter(([, f]) => !f.ok);
  return [
    `**Freshness** (each server but the ceilings, once: serve a file, rewrite it with other bytes and another ` +
      `length, ask again): ${entries.filter(([, f]) => f.ok).length} of ${entries.length} answered the new ` +
      `bytes${stale.length ? `; ${stale.map(([n, f]) => `${labelOf(n)} did not (${cell(f.note)})`).join("; ")}` : ""}.`,
    "",
  ];
}

/** results/floors.md: the comparisons, every server's figures, the start-up, and where the rest is. */
export function floorsMarkdown({ agg, meta, results, startup }) {
  const L = [`# simplehttp benchmark: against the floor of a server that is never stale (issue 21)`, ""];
  const ofWhich = startup ? `, of which ${startup.seconds.toFixed(0)} s start-up` : "";
  L.push(
    `Run ${meta.date} (${meta.mode} mode, ${meta.rounds} round${meta.rounds > 1 ? "s" : ""}, ` +
      `${meta.totalSeconds.toFixed(0)} s in all${ofWhich}` +
      `). Written by \`pnpm bench --floors\` (bench/run.mjs); bench/README.md describes the method.`,
    "",
    ...machineTable(meta.machine),
  );
  L.push(
    `Each server on 127.0.0.1 pinned to CPU 0, ${meta.loadgen} on CPU 1 (\`-t1 -c${meta.connections}\`); ` +
      `${meta.rounds} interleaved rounds, each running every server once in an order that rotates; ` +
      `${meta.duration} s runs after a ${meta.warmupSeconds} s warm-up of the same load; every answer checked ` +
      `before it is measured (status, exact bytes, a 304 for the server's own ETag with no body), and every ` +
      `status under load. Each run waits for both CPUs to be at speed and is made again once when one slowed ` +
      `down meanwhile (bench/lib/cpu-speed.mjs). **Floors** (bench/peers/*-file-floor.mjs): per request ` +
      `\`decodeURIComponent\` of the path, open, fstat (404 if either fails or it is not a file), an ETag ` +
      `\`"<mtime ms base36>-<size base36>"\` and Last-Modified from that stat, a 304 when If-None-Match is that ` +
      `ETag, else the whole file read into a fresh buffer and sent with Content-Length, Content-Type, ETag and ` +
      `Last-Modified, the file closed in \`finally\`; no containment check, no MIME table, no ranges ` +
      `(Node: node:http and \`openSync\`/\`fstatSync\`/\`readSync\`/\`closeSync\`; Deno: \`Deno.serve\` and ` +
      `\`Deno.openSync\`, \`file.statSync()\`, \`file.readSync\`, \`file.close()\`; Bun: \`Bun.serve\` + ` +
      `\`Bun.file\` with \`exists()\`, one stat, and \`new Response(file)\`). **Ceilings** ` +
      `(bench/peers/*-ceiling.mjs): the 1 KiB file from memory (Bun: \`Bun.file\`), a 304 against an ETag ` +
      `computed at start-up, a bare 404.`,
    "",
    `Servers: ${meta.versions.map((v) => `${v.label} (${v.version})`).join("; ")}.`,
    "",
  );
  if (meta.skipped.length) L.push(`Not run: ${meta.skipped.join("; ")}.`, "");
  L.push(`## Summary`, "", ...floorTables(floorComparisons(results)), ...freshnessLine(meta));
  L.push(`## Every server`, "", ...serverTables(agg));
  if (startup) L.push(...startupSection(startup));
  L.push(
    `## Elsewhere`,
    "",
    `Listings of 10,000 and 100,000 entries, with and without gzip, and the other scale scenarios: ` +
      `\`pnpm bench --scale\` (results/scale.md). Every peer in every scenario: \`pnpm bench\` ` +
      `(results/latest.md), which runs the floors and the start-up too.`,
    "",
  );
  return L.join("\n");
}
