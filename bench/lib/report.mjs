// Turns raw per-round results into medians, min–max and ratios to the best peer of the same round,
// then writes the markdown table and the raw JSON.
import { writeFileSync } from "node:fs";
import { SLOW_CPU } from "./cpu-speed.mjs";

export const median = (xs) => {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const range = (xs) => (xs.length ? [Math.min(...xs), Math.max(...xs)] : null);

/**
 * Issue 15's targets: each adapter's rate ÷ its runtime's ceiling (bench/peers/*-ceiling.mjs) in the
 * same round. Deno's 64 KiB ceiling is the best of the three forms deno-ceiling.mjs tries.
 */
export const CEILING_TARGETS = {
  "simplehttp-node": { "1k": 0.7, 304: 0.6, 404: 0.8 },
  "simplehttp-bun": { "1k": 0.95, 304: 0.95, 404: 0.8 },
  "simplehttp-deno": { "1k": 0.6, 304: 0.6, 404: 0.8, "64k": 0.8 },
};
const CEILING_TABLE_SCENARIOS = ["1k", "64k", "304", "404"];

/** Best peer value of one round: highest rate, or lowest memory growth. */
function bestOf(rows, higher) {
  let best = null;
  for (const r of rows) if (!best || (higher ? r.value > best.value : r.value < best.value)) best = r;
  return best;
}

export function aggregate({ results, servers, scenarios, freshness = {} }) {
  const out = [];
  for (const sc of scenarios) {
    const rows = results.filter((r) => r.scenario === sc.id);
    const rounds = [...new Set(rows.map((r) => r.round))];
    const ceilingRuntimes = [...new Set(rows.filter((r) => r.kind === "ceiling").map((r) => r.runtime))];
    const bestByRound = {};
    for (const rd of rounds) {
      const peers = rows.filter((r) => r.round === rd && r.status === "ok" && r.kind === "peer");
      bestByRound[rd] = {
        overall: bestOf(peers, sc.higher),
        byRuntime: Object.fromEntries(
          [...new Set(peers.map((p) => p.runtime))].map((rt) => [
            rt,
            bestOf(
              peers.filter((p) => p.runtime === rt),
              sc.higher,
            ),
          ]),
        ),
        // Only peers that saw a change on disk at the next request (freshCheck): a start-up index
        // answers validators and lengths from memory, which is fast and, after a change, wrong.
        byRuntimeFresh: Object.fromEntries(
          [...new Set(peers.map((p) => p.runtime))].map((rt) => [
            rt,
            bestOf(
              peers.filter((p) => p.runtime === rt && freshness[p.server]?.ok !== false),
              sc.higher,
            ),
          ]),
        ),
        // Each runtime's ceiling in this round: the best of its ceilings that ran (for Deno's 64 KiB,
        // the best of the three ways deno-ceiling.mjs sends the file).
        ceiling: Object.fromEntries(
          ceilingRuntimes.map((rt) => [
            rt,
            bestOf(
              rows.filter((r) => r.round === rd && r.status === "ok" && r.kind === "ceiling" && r.runtime === rt),
              sc.higher,
            ),
          ]),
        ),
      };
    }
    const compare = (r, best) => {
      if (!best) return null;
      return sc.higher ? r.value / best.value : r.value - best.value; // memory: MiB more than the best peer
    };
    const perServer = servers
      .filter((def) => !def.scenarios || def.scenarios.includes(sc.id))
      .map((def) => {
        const mine = rows.filter((r) => r.server === def.name);
        const ok = mine.filter((r) => r.status === "ok");
        const fails = mine.filter((r) => r.status === "fail");
        const na = mine.length > 0 && mine.every((r) => r.status === "n/a");
        const ratios = ok.map((r) => compare(r, bestByRound[r.round].overall)).filter((x) => x != null);
        const same = ok.map((r) => compare(r, bestByRound[r.round].byRuntime[def.runtime])).filter((x) => x != null);
        const sameFresh = ok
          .map((r) => compare(r, bestByRound[r.round].byRuntimeFresh[def.runtime]))
          .filter((x) => x != null);
        const p99s = ok.map((r) => r.p99).filter((x) => x != null);
        // ÷ the runtime's ceiling in the same round, by rate and by CPU per request (the ceiling's
        // µs ÷ this server's: the steadier of the two on a host that slows a vCPU down now and then).
        const ceilingOf = (r) => bestByRound[r.round].ceiling[def.runtime];
        const withCeiling = def.kind === "ceiling" || !sc.higher ? [] : ok.filter((r) => ceilingOf(r));
        const ceilingRatios = withCeiling.map((r) => r.value / ceilingOf(r).value);
        const ceilingCpu = withCeiling
          .map((r) => (ceilingOf(r).extra?.cpuUs && r.extra?.cpuUs ? ceilingOf(r).extra.cpuUs / r.extra.cpuUs : null))
          .filter((x) => x != null);
        const ceilingNames = withCeiling.map((r) => ceilingOf(r).server);
        return {
          server: def.name,
          label: def.label,
          kind: def.kind,
          runtime: def.runtime,
          status: na ? "n/a" : ok.length ? (fails.length ? "partial" : "ok") : mine.length ? "fail" : "not run",
          note: (na ? mine[0]?.note : fails[0]?.note) ?? null,
          values: ok.map((r) => r.value),
          median: median(ok.map((r) => r.value)),
          range: range(ok.map((r) => r.value)),
          ratio: median(ratios),
          ratioRange: range(ratios),
          sameRuntimeRatio: median(same),
          sameRuntimeFreshRatio: median(sameFresh),
          p99: median(p99s),
          cpuUs: median(ok.map((r) => r.extra?.cpuUs).filter((x) => x != null)),
          ceilingRatio: median(ceilingRatios),
          ceilingRatioRange: range(ceilingRatios),
          ceilingCpuRatio: median(ceilingCpu),
          ceilingServers: [...new Set(ceilingNames)],
          extra: ok.map((r) => r.extra).filter(Boolean),
        };
      });
    // The peer named as "best": the one with the best median.
    const peerMedians = perServer.filter((s) => s.kind === "peer" && s.median != null);
    const bestPeer = bestOf(
      peerMedians.map((p) => ({ ...p, value: p.median })),
      sc.higher,
    );
    out.push({
      id: sc.id,
      title: sc.title,
      unit: sc.unit,
      higher: sc.higher,
      p99: !!sc.p99,
      bestPeer: bestPeer?.label ?? null,
      bestPeerName: bestPeer?.server ?? null,
      bestPeerMedian: bestPeer?.median ?? null,
      servers: perServer,
    });
  }
  return out;
}

const fmt = (v, unit) => {
  if (v == null) return "–";
  if (unit === "MiB") return v.toFixed(1);
  return v >= 100 ? Math.round(v).toLocaleString("en-US") : v.toFixed(1);
};
const fmtRatio = (v, higher) =>
  v == null ? "–" : higher ? `${v.toFixed(2)}×` : `${v >= 0 ? "+" : ""}${v.toFixed(1)} MiB`;

/** The whole run's markdown; `sections` (lines) go after the summaries, before the per-scenario tables. */
export function markdown({ agg, meta, sections = [] }) {
  const L = [];
  L.push(`# simplehttp benchmark`, "");
  L.push(
    `Run ${meta.date} (${meta.mode} mode, ${meta.rounds} ` +
      `round${meta.rounds > 1 ? "s" : ""}, ${meta.totalSeconds.toFixed(0)} s in ` +
      `all). Written by \`pnpm bench\` (bench/run.mjs); issue 6 describes the method.`,
    "",
  );
  L.push(`| machine | |`, `| --- | --- |`);
  for (const [k, v] of Object.entries(meta.machine)) L.push(`| ${k} | ${v} |`);
  L.push("");
  const warmup =
    meta.warmupSeconds > 0
      ? `a ${meta.warmupSeconds} s warm-up run of the same load, discarded`
      : `a warm-up of ${meta.warmup} requests or 0.3 s, whichever is first`;
  L.push(
    `Each server runs on 127.0.0.1 pinned to CPU 0 (\`taskset -c 0\`); the load generator (${meta.loadgen}) ` +
      `runs on CPU 1. Servers take turns in a rotating order each round. Rates are ${meta.duration} s runs after ` +
      `${warmup} (0.5 s for the 100 MiB file), ${meta.connections} keep-alive connections; the 100 MiB file is ` +
      `read by ${meta.bigConnections} connections of a raw-socket client that only counts bytes; the slow-client ` +
      `scenario runs ${meta.slowClients} clients at ${(meta.slowRate / 1e6).toFixed(1)} MB/s each for ` +
      `${meta.slowSeconds} s (${meta.slowRoundsNote}) and reports the peak RSS growth of the server's process ` +
      `tree (a fresh server process, measured after one full read of the file and 200 small requests). Every ` +
      `scenario first checks the answer (status, bytes); a wrong answer is listed as a failure, not a number. ` +
      `**Ratio** = the server's figure ÷ the best peer's in the same round (peers = every server but simplehttp ` +
      `and the ceilings), median and min–max over rounds; for memory it is the growth above the best peer's. ` +
      `**CPU µs/req** = the CPU time (user + system) of the server's process tree over the run ÷ the requests ` +
      `answered: its own cost, which holds when a rate drops for reasons outside the server. Each measured run ` +
      `waits (at most 15 s) until a probe finds both CPUs within ${SLOW_CPU}× of the fastest they have been in ` +
      `this run, and is made once more when a probe right after it finds one slower: the host schedules this ` +
      `VM's two vCPUs, and either can run 2–3× slower for seconds at a time (bench/lib/cpu-speed.mjs).`,
    "",
  );
  L.push(`Servers: ${meta.versions.map((v) => `${v.label} (${v.version})`).join("; ")}.`, "");
  if (meta.skipped.length) L.push(`Not run: ${meta.skipped.join("; ")}.`, "");

  // A run without peers (--ceilings) has nothing for the peer summary to say.
  const anyPeers = agg.some((sc) => sc.servers.some((x) => x.kind === "peer" && x.median != null));
  if (anyPeers) {
    L.push(`## Summary: simplehttp against the best peer`, "");
    L.push(
      `| scenario | best peer (median) | Node | Bun | Deno | Node vs best Node peer | Node ` +
        `vs best Node peer that sees changes | Bun vs Bun.serve ceiling | Deno vs Deno std |`,
    );
    L.push(`| --- | --- | --- | --- | --- | --- | --- | --- | --- |`);
    for (const sc of agg) {
      const s = (name) => sc.servers.find((x) => x.server === name);
      const cell = (x, key = "ratio") =>
        !x
          ? "–"
          : x.status === "n/a"
            ? "n/a"
            : x.status === "fail"
              ? "**fail**"
              : sc.higher
                ? fmtRatio(x[key], true)
                : `${fmt(x.median, "MiB")} MiB`;
      const samePeer = (x, key = "sameRuntimeRatio") =>
        x && x.status !== "fail" && x.status !== "n/a" && sc.higher ? fmtRatio(x[key], true) : "–";
      L.push(
        `| ${sc.title} | ${sc.bestPeer ?? "–"} (${fmt(sc.bestPeerMedian, sc.unit)} ${sc.unit}) | ` +
          `${cell(s("simplehttp-node"))} | ${cell(s("simplehttp-bun"))} | ${cell(s("simplehttp-deno"))} | ` +
          `${samePeer(s("simplehttp-node"))} | ${samePeer(s("simplehttp-node"), "sameRuntimeFreshRatio")} ` +
          `| ${samePeer(s("simplehttp-bun"), "ceilingRatio")} | ${samePeer(s("simplehttp-deno"))} |`,
      );
    }
  }
  L.push("", ...ceilingTable(agg));
  const stale = Object.entries(meta.freshness ?? {}).filter(([, f]) => !f.ok);
  const labelOf = (name) => meta.versions.find((v) => v.name === name)?.label ?? name;
  L.push(
    "",
    "**Freshness** (each server, once: serve a file, rewrite it with other bytes and another length, " +
      "request it again): " +
      (stale.length === 0
        ? "every server answered the new bytes."
        : `${stale.map(([name, f]) => `${labelOf(name)} did not (${f.note})`).join("; ")}; every ` +
          `other server answered the new bytes. "Sees changes" leaves out the servers that did not.`),
  );
  L.push("", "Memory rows give simplehttp's own peak growth; the per-scenario table below has every server.", "");
  L.push(...sections);

  for (const sc of agg) {
    L.push(`## ${sc.title}`, "");
    const withCeiling = sc.higher && sc.servers.some((x) => x.ceilingRatio != null);
    const head = [`server`, `median ${sc.unit}`, `min–max`, sc.higher ? `ratio to best peer` : `vs best peer`];
    if (withCeiling) head.push(`÷ its runtime's ceiling`);
    if (sc.p99) head.push(`p99 ms`, `CPU µs/req`);
    head.push(`notes`);
    L.push(`| ${head.join(" | ")} |`, `| ${head.map(() => "---").join(" | ")} |`);
    const rows = [...sc.servers].sort(
      (a, b) => (b.median ?? -Infinity) * (sc.higher ? 1 : -1) - (a.median ?? -Infinity) * (sc.higher ? 1 : -1),
    );
    const ordered = [...rows.filter((r) => r.median != null), ...rows.filter((r) => r.median == null)];
    for (const r of ordered) {
      const name = r.kind === "simplehttp" ? `**${r.label}**` : r.label;
      if (r.median == null) {
        const why = r.status === "n/a" ? `n/a: ${r.note}` : r.status === "fail" ? `**failed**: ${r.note}` : r.status;
        L.push(
          `| ${name} | ${r.status === "fail" ? "fail" : "n/a"} | | | ` +
            `${withCeiling ? "| " : ""}${sc.p99 ? "| | " : ""}${cellText(why)} |`,
        );
        continue;
      }
      const rr = r.ratioRange
        ? ` (${fmtRatio(r.ratioRange[0], sc.higher)}–${fmtRatio(r.ratioRange[1], sc.higher)})`
        : "";
      const cells = [
        name,
        fmt(r.median, sc.unit),
        `${fmt(r.range[0], sc.unit)}–${fmt(r.range[1], sc.unit)}`,
        fmtRatio(r.ratio, sc.higher) + rr,
      ];
      if (withCeiling) {
        cells.push(
          r.kind === "ceiling"
            ? "(ceiling)"
            : r.ceilingRatio == null
              ? "–"
              : `${fmtRatio(r.ceilingRatio, true)} ` +
                `(${fmtRatio(r.ceilingRatioRange[0], true)}–${fmtRatio(r.ceilingRatioRange[1], true)})`,
        );
      }
      if (sc.p99) cells.push(r.p99 == null ? "–" : r.p99.toFixed(2), r.cpuUs == null ? "–" : r.cpuUs.toFixed(0));
      cells.push(cellText(notes(r, sc)));
      L.push(`| ${cells.join(" | ")} |`);
    }
    L.push("");
    const floor = meta.listingFloor;
    if (sc.id === "listing" && floor) {
      L.push(
        `System-call floor: readdir and ${floor.entries.toLocaleString("en-US")} \`lstat\` ` +
          `calls, from C on the server's CPU, take ${floor.ms.toFixed(2)} ms (fastest of 50 ` +
          `passes, bench/lib/floor.mjs): no server that gives each entry's size and date can list ` +
          `this folder faster than about ${Math.round(1000 / floor.ms)} times a second on one core.`,
        "",
      );
    }
  }
  return L.join("\n");
}

const cellText = (s) => String(s ?? "").replace(/\|/g, "\\|");

/** Issue 15's table: each adapter ÷ its runtime's ceiling, per scenario, with its target met or missed. */
function ceilingTable(agg) {
  const rows = [];
  for (const [name, targets] of Object.entries(CEILING_TARGETS)) {
    for (const id of CEILING_TABLE_SCENARIOS) {
      const sc = agg.find((x) => x.id === id);
      const me = sc?.servers.find((x) => x.server === name);
      if (!sc || !me) continue;
      const ceilings = sc.servers.filter((x) => x.kind === "ceiling" && x.runtime === me.runtime && x.median != null);
      if (!ceilings.length && me.ceilingRatio == null) continue;
      // The ceiling named is the one that was best most often (Deno's 64 KiB: one of three forms).
      const named = me.ceilingServers.length ? me.ceilingServers : ceilings.map((c) => c.server);
      const best = ceilings.find((c) => c.server === named[0]) ?? ceilings[0];
      const target = targets[id];
      const verdict =
        me.ceilingRatio == null || target == null ? "–" : me.ceilingRatio >= target ? "met" : "**missed**";
      const rr = me.ceilingRatioRange
        ? ` (${fmtRatio(me.ceilingRatioRange[0], true)}–${fmtRatio(me.ceilingRatioRange[1], true)})`
        : "";
      rows.push(
        `| ${me.label} | ${sc.title} | ${best ? `${best.label}: ${fmt(best.median, sc.unit)}` : "–"} ` +
          `| ${me.median == null ? me.status : fmt(me.median, sc.unit)} | ` +
          `${me.ceilingRatio == null ? "–" : fmtRatio(me.ceilingRatio, true) + rr} | ` +
          `${me.ceilingCpuRatio == null ? "–" : fmtRatio(me.ceilingCpuRatio, true)} | ` +
          `${target == null ? "–" : `≥ ${target}×`} | ${verdict} |`,
      );
    }
  }
  if (!rows.length) return [];
  return [
    `## Summary: each adapter ÷ its runtime's ceiling (issue 15)`,
    "",
    `The ceiling is the least a server can do on that runtime: \`node:http\` and \`Deno.serve\` answering ` +
      `from bytes held in memory, \`Bun.serve\` + \`Bun.file\`; a 304 compares If-None-Match with the ETag ` +
      `it sent, a 404 answers at once (Bun's after one \`exists()\`). Deno's 64 KiB ceiling is the best, in ` +
      `each round, of the bytes in memory, \`Deno.readFile\` per request and \`Deno.open().readable\`. ` +
      `Ratio = the adapter's req/s ÷ the ceiling's in the same round, median (min–max) over rounds; "by ` +
      `CPU" = the ceiling's CPU µs/req ÷ the adapter's. Met or missed is judged on the median rate ratio.`,
    "",
    `| adapter | scenario | ceiling (median req/s) | adapter ` +
      `(median req/s) | adapter ÷ ceiling | by CPU µs/req | target | |`,
    `| --- | --- | --- | --- | --- | --- | --- | --- |`,
    ...rows,
    "",
  ];
}

function notes(r, sc) {
  const n = [];
  if (r.status === "partial") n.push(`failed in some rounds: ${r.note}`);
  const se = r.extra.map((e) => e.socketErrors ?? 0).reduce((a, b) => a + b, 0);
  if (se) n.push(`${se} socket errors`);
  const speeds = r.extra.map((e) => e.speed).filter(Boolean);
  const redone = speeds.reduce((a, sp) => a + sp.redone, 0);
  const slow = speeds.filter((sp) => [...sp.before, ...sp.after].some((f) => f > SLOW_CPU)).length;
  if (redone) n.push(`${redone} run${redone > 1 ? "s" : ""} made again after a CPU slowed down`);
  if (slow) n.push(`${slow} of ${speeds.length} rounds measured with a CPU still slow after the wait`);
  if (sc.id === "slow" && r.extra.length) {
    const e = r.extra[r.extra.length - 1];
    n.push(
      `RSS ${e.baseRssMiB.toFixed(0)}→${e.peakRssMiB.toFixed(0)} MiB, ` +
        `${e.perClientMBps.toFixed(2)} MB/s per client, fds ${e.fdsBefore}→${e.fdsAfter}`,
    );
  }
  return n.join("; ");
}

export function writeJson(path, data) {
  writeFileSync(path, `${JSON.stringify(data, null, 2)}\n`);
}
