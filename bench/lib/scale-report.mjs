// The markdown of `--scale` (results/scale.md): one section per part that ran.
const int = (v) => (v == null ? "–" : Math.round(v).toLocaleString("en-US"));
const f1 = (v) => (v == null ? "–" : v.toFixed(1));
const f2 = (v) => (v == null ? "–" : v.toFixed(2));
const x2 = (v) => (v == null ? "–" : `${v.toFixed(2)}×`);
const cell = (s) =>
  String(s ?? "")
    .replace(/\|/g, "\\|")
    .replace(/\s+/g, " ");
const kib = (bytes) => (bytes == null ? "–" : (bytes / 1024).toFixed(1));
const mib = (bytes) => (bytes == null ? "–" : (bytes / 2 ** 20).toFixed(1));
const table = (head, rows) => [
  `| ${head.join(" | ")} |`,
  `| ${head.map(() => "---").join(" | ")} |`,
  ...rows.map((r) => `| ${r.map(cell).join(" | ")} |`),
  "",
];

export function scaleMarkdown({ meta, data }) {
  const L = [`# simplehttp benchmark: scale (issue 15)`, ""];
  L.push(
    `Run ${meta.date} (${meta.mode} mode; ${meta.parts.join(", ")}; ${meta.totalSeconds.toFixed(0)} s in all). ` +
      `Written by \`node bench/run.mjs --scale\` (bench/lib/scale.mjs); bench/README.md describes the method.`,
    "",
  );
  L.push(`| machine | |`, `| --- | --- |`);
  for (const [k, v] of Object.entries(meta.machine)) L.push(`| ${k} | ${v} |`);
  L.push("");
  if (meta.skipped.length) L.push(`Not run: ${meta.skipped.join("; ")}.`, "");
  for (const part of meta.parts) {
    const d = data[part];
    if (!d) continue;
    if (d.error) {
      L.push(`## ${part}`, "", `**The part failed**: ${cell(d.error.split("\n")[0])}`, "");
      continue;
    }
    L.push(...{ h2: h2Section, idle: idleSection, folders: foldersSection, storage: storageSection }[part](d, meta));
  }
  return L.join("\n");
}

function h2Section(d, meta) {
  const L = [`## HTTP/2 over TLS`, ""];
  const c = d.config;
  L.push(
    `h2load (one thread, pinned to CPU 1) against each server on CPU 0, over TLS with one P-256 ` +
      `certificate: HTTP/2 with ${c.connections} connections × ${c.streams} concurrent streams; HTTP/1.1 over ` +
      `TLS (\`h2load --h1\`) with ${c.h1Connections} connections, one request at a time each. ${c.seconds} s ` +
      `runs after a ${meta.warmupSeconds || 1} s warm-up run, ${meta.rounds} round(s), servers in a rotating ` +
      `order. Each answer is checked first over the same protocol (status, exact bytes, Content-Range, ALPN); ` +
      `under load every response must be 2xx. p50/p99 from h2load's per-request log. Ratio = ÷ the better of ` +
      `Caddy and nginx over HTTP/2 in the same round; "÷ its runtime's ceiling" = ÷ a bare server of the same ` +
      `runtime over the same protocol in the same round (\`node:http2\`'s secure server with allowHTTP1, ` +
      `\`Deno.serve\` with the certificate; both answer from memory, bench/peers/*-ceiling.mjs).`,
    "",
  );
  if (d.servers?.length)
    L.push(`Servers: ${d.servers.map((s) => `${s.label} (${s.version})`).join("; ")}; ${d.h2load ?? "h2load"}.`, "");
  if (!d.summary?.length) return [...L, "Nothing ran.", ""];
  const label = (name) => d.servers.find((s) => s.name === name)?.label ?? name;
  for (const scenario of ["1k", "range"]) {
    const rows = d.summary.filter((r) => r.scenario === scenario).sort((a, b) => (b.median ?? -1) - (a.median ?? -1));
    if (!rows.length) continue;
    L.push(`### ${scenario === "1k" ? "1 KiB file" : "1,000-byte range of a 1 MiB file"}`, "");
    L.push(
      ...table(
        [
          "server",
          "protocol",
          "median req/s",
          "min–max",
          "÷ best of Caddy, nginx (h2)",
          "÷ its runtime's ceiling",
          "p50 ms",
          "p99 ms",
          "CPU µs/req",
          "h2 ÷ own HTTP/1.1 over TLS",
          "notes",
        ],
        rows.map((r) => [
          r.server.startsWith("simplehttp") ? `**${label(r.server)}**` : label(r.server),
          r.protocol === "h2" ? "HTTP/2" : "HTTP/1.1 (TLS)",
          r.median == null ? "fail" : int(r.median),
          r.median == null ? "" : `${int(r.min)}–${int(r.max)}`,
          x2(r.ratioToBestPeer),
          d.servers.find((x) => x.name === r.server)?.kind === "ceiling" ? "(ceiling)" : x2(r.ratioToCeiling),
          f2(r.p50),
          f2(r.p99),
          int(r.cpuUs),
          r.h2OverH1 == null ? "–" : `${x2(r.h2OverH1)} (${x2(r.h2OverH1Range[0])}–${x2(r.h2OverH1Range[1])})`,
          [r.status !== "ok" ? `${r.status}: ${r.note}` : "", r.tls ?? ""].filter(Boolean).join("; "),
        ]),
      ),
    );
  }
  const node = d.summary.filter((r) => r.server === "simplehttp-node" && r.protocol === "h2" && r.h2OverH1 != null);
  if (node.length) {
    L.push(
      `**Node's HTTP/2 is not slower than its HTTP/1.1 over TLS:** ` +
        node
          .map(
            (r) =>
              `${r.scenario === "1k" ? "1 KiB" : "range"} ${x2(r.h2OverH1)} ` +
              `(${r.h2OverH1 >= 1 ? "met" : "**missed**"})`,
          )
          .join(", ") +
        `, the median over rounds of h2's req/s ÷ HTTP/1.1's on the same server process.`,
      "",
    );
  }
  return L;
}

function idleSection(d) {
  const L = [`## ${int(d.config.connections)} idle keep-alive connections`, ""];
  L.push(
    `Each server (a fresh process on CPU 0, its open-file limit raised as far as this machine allows) ` +
      `gets ${int(d.config.connections)} connections from client processes on CPU 1 (from source addresses ` +
      `of their own in 127/8, so that no ephemeral port range runs out): each sends one GET of the 1 KiB ` +
      `file, reads the answer, then sits idle for ${d.config.idleSeconds} s. **Memory per connection** = ` +
      `the growth of the server's process tree's RSS (/proc/PID/status, summed) ÷ the connections open, ` +
      `from the baseline after 200 requests on 8 connections. Then a **burst**: one request on every open ` +
      `connection at once, each answer checked (200, 1,024 bytes) and counted. Then the **ramp**: more ` +
      `connections in steps, each step followed by a burst, up to ${int(d.config.max)} or the first step ` +
      `where something fails. The clients close with RST, so nothing lingers in TIME_WAIT.`,
    "",
  );
  if (d.hardLimit != null)
    L.push(
      `Open-file limit here: the hard limit is ${int(d.hardLimit)}${d.hardLimitNote ? ` (${d.hardLimitNote})` : ""}.`,
      "",
    );
  L.push(
    ...table(
      [
        "server",
        "fd limit",
        "connections open",
        "RSS before → after (MiB)",
        "KiB per idle connection",
        "closed by the server while idle",
        "burst answered",
        "burst time (ms)",
        "burst p99 (ms)",
      ],
      d.servers.map((s) => {
        const m = s.measure;
        if (!m) return [s.label, int(s.nofile), `fail: ${s.error ?? ""}`, "", "", "", "", "", ""];
        return [
          s.label,
          int(s.nofile),
          `${int(m.open)} of ${int(m.asked)}`,
          `${mib(m.rssBefore)} → ${mib(m.rssAfter)}`,
          kib(m.perConnection),
          m.closedIdle ? `${int(m.closedIdle)} (after ${f1(m.closedIdleAfterS)} s idle)` : "0",
          `${int(m.burst?.ok)} of ${int(m.burst?.sent)}${m.burst?.bad ? `, ${int(m.burst.bad)} wrong` : ""}`,
          int(m.burst?.ms),
          f1(m.burst?.p99),
        ];
      }),
    ),
  );
  L.push(`### Where each server stops`, "");
  for (const s of d.servers) {
    L.push(`- **${s.label}**: ${s.limit ?? "–"}`);
    for (const st of s.ramp ?? []) {
      L.push(
        `  - ${int(st.asked)} asked: ${int(st.open)} open, ${st.failures || "no failures"}; ` +
          `burst ${int(st.burst?.ok)} of ${int(st.burst?.sent)} in ${int(st.burst?.ms)} ms; RSS ${mib(st.rss)} MiB; ` +
          `server CPU while idle ${st.idleCpu == null ? "–" : `${Math.round(st.idleCpu * 100)}%`}` +
          `${st.serverExit ? `; server exited: ${st.serverExit}` : ""}`,
      );
    }
  }
  L.push("");
  return L;
}

function foldersSection(d) {
  const L = [`## Huge folders`, ""];
  L.push(
    `Folders of ${d.config.sizes.map(int).join(" and ")} empty files in the served root. Each server is ` +
      `a fresh process on CPU 0; per size, one listing is requested and thrown away (the kernel's caches, ` +
      `the JIT), then ${d.config.repeats} are timed one after another from CPU 1: **first byte** (of the ` +
      `response, from the request's write) and **total** (last byte), medians; each listing is checked to ` +
      `name every entry. **Peak memory**: the server tree's VmHWM after its high-water mark was reset ` +
      `(\`echo 5 > /proc/PID/clear_refs\`) just before the timed listings, minus its RSS then. **Latency ` +
      `during a listing**: a paced client (CPU 1) asks for the 1 KiB file ${int(d.config.rate)} times a ` +
      `second on up to 32 keep-alive connections for ${d.config.seconds} s, latency counted from when each ` +
      `request was due (so a stalled server shows as queued requests, not fewer ones), first alone, then ` +
      `while another connection asks for the ${int(d.config.latencySize)}-entry listing over and over. ` +
      `**Compressed**: the same, asking with \`Accept-Encoding: gzip\` (each answer must come gzipped, and is ` +
      `unzipped to check its entries); issue 21's target is a compressed listing not slower, to its first ` +
      `byte nor to its last, than the uncompressed one (here: of the same run, the same server process).`,
    "",
  );
  if (d.floor)
    L.push(
      `System-call floor: readdir and ${int(d.floor.entries)} \`lstat\` calls ` +
        `from C take ${f1(d.floor.ms)} ms on the server's CPU (fastest of 50).`,
      "",
    );
  const rows = [];
  for (const s of d.servers) {
    for (const z of s.sizes ?? []) {
      rows.push([
        s.label,
        int(z.size),
        z.error ? `fail: ${z.error}` : f1(z.ttfbMs),
        f1(z.totalMs),
        mib(z.bytes),
        mib(z.peakGrowth),
        mib(z.hwm),
      ]);
    }
    if (s.error && !(s.sizes ?? []).length) rows.push([s.label, "", `fail: ${s.error}`, "", "", "", ""]);
  }
  L.push(
    ...table(
      ["server", "entries", "first byte (ms)", "total (ms)", "listing MiB", "peak RSS growth (MiB)", "VmHWM (MiB)"],
      rows,
    ),
  );
  L.push(...gzipTable(d));
  L.push(`### 1 KiB latency while a ${int(d.config.latencySize)}-entry listing is served`, "");
  L.push(
    ...table(
      [
        "server",
        "alone p50 / p99 / max (ms)",
        "during listings p50 / p99 / max (ms)",
        "answered alone / during",
        "listings done meanwhile",
      ],
      d.servers
        .filter((s) => s.latency)
        .map((s) => {
          const a = s.latency.alone,
            b = s.latency.during;
          return [
            s.label,
            `${f2(a?.p50)} / ${f2(a?.p99)} / ${f1(a?.max)}`,
            `${f2(b?.p50)} / ${f2(b?.p99)} / ${f1(b?.max)}`,
            `${int(a?.ok)}${a?.bad ? ` (+${a.bad} bad)` : ""} / ${int(b?.ok)}${b?.bad ? ` (+${b.bad} bad)` : ""}`,
            int(s.latency.listings),
          ];
        }),
    ),
  );
  return L;
}

/** The listings asked for with gzip, ÷ the same listings uncompressed, with issue 21's "not slower". */
function gzipTable(d) {
  const rows = [];
  for (const s of d.servers) {
    for (const z of s.sizes ?? []) {
      const g = z.gzip;
      if (!g || z.error) continue;
      const first = g.error ? null : g.ttfbMs / z.ttfbMs,
        total = g.error ? null : g.totalMs / z.totalMs;
      rows.push([
        s.label,
        int(z.size),
        g.error ? `fail: ${g.error}` : f1(g.ttfbMs),
        f1(g.totalMs),
        g.bytes == null ? "–" : `${kib(g.bytes)} (${((g.bytes / z.bytes) * 100).toFixed(1)}%)`,
        mib(g.peakGrowth),
        x2(first),
        x2(total),
        first == null ? "–" : first <= 1 && total <= 1 ? "met" : "**missed**",
      ]);
    }
  }
  if (!rows.length) return [];
  return [
    `### Compressed (Accept-Encoding: gzip)`,
    "",
    ...table(
      [
        "server",
        "entries",
        "first byte (ms)",
        "total (ms)",
        "on the wire KiB (of the page's bytes)",
        "peak RSS growth (MiB)",
        "first byte ÷ uncompressed",
        "total ÷ uncompressed",
        "not slower",
      ],
      rows,
    ),
  ];
}

function storageSection(d) {
  const L = [`## Storage: R2 (Miniflare) and S3 (moto)`, ""];
  L.push(
    `simplehttp over object storage, per request: the R2 worker (bench/peers/r2-worker.mjs, bundled with esbuild, ` +
      `in Miniflare ${d.miniflare ?? ""}, pinned to CPU 0 with its workerd) over \`r2FileSystem(bucket)\`; and ` +
      `Node's \`serve({ fs: s3FileSystem(…) })\` (bench/peers/s3-node.mjs, CPU 0) against moto (CPU 1, with wrk). ` +
      `The bucket holds the fixture's 1 KiB file and a 1,000-key folder. wrk with ${d.config.connections} ` +
      `connections, ${d.config.seconds} s runs after a warm-up run, ${d.config.rounds} round(s). **Calls per ` +
      `request** = the storage calls counted by a wrapper around the R2 binding or S3's fetch during the run ÷ the ` +
      `requests the server answered; "one request's calls" are those of the check, made alone before the run.`,
    "",
  );
  const rows = [];
  for (const b of d.backends) {
    for (const s of b.scenarios) {
      rows.push([
        b.label,
        s.title,
        s.median == null ? `fail: ${s.note ?? ""}` : int(s.median),
        s.median == null ? "" : `${int(s.min)}–${int(s.max)}`,
        f2(s.p99),
        f2(s.callsPerRequest),
        (s.calls ?? []).join(", ") || (s.calls ? "none" : "–"),
        int(s.cpuUs),
      ]);
    }
    if (b.error) rows.push([b.label, "", `fail: ${b.error}`, "", "", "", "", ""]);
  }
  L.push(
    ...table(
      [
        "store",
        "scenario",
        "median req/s",
        "min–max",
        "p99 ms",
        "calls per request (under load)",
        "one request's calls",
        "server CPU µs/req",
      ],
      rows,
    ),
  );
  return L;
}
