// The start-up section of results/floors.md, results/startup.md and the full run's latest.md: the
// times from the command to its banner (startup.mjs) and, for simplehttp on Node, where they go
// (startup-modules.mjs).
import { f1, int, table } from "./md.mjs";
import { NOT_A_USERS } from "./startup.mjs";

const range = (r) => (r.min == null ? "" : `${f1(r.min)}–${f1(r.max)}`);
const verdict = (r) => (r.target == null || r.median == null ? "" : r.median <= r.target ? "met" : "**missed**");

/** The table of start-up times, with issue 21's targets and its own measurements beside them. */
function timesTable(m) {
  const rows = m.commands.map((r) => [
    r.group === "simplehttp" ? `**${r.label}**` : r.label,
    r.median == null ? "fail" : f1(r.median),
    range(r),
    String(r.ms.length),
    r.issue == null ? "" : int(r.issue),
    r.target == null ? "" : `≤ ${r.target}`,
    verdict(r),
    r.errors.length ? `${r.errors.length} failed: ${r.errors[0]}` : (r.line ?? ""),
  ]);
  return table(
    ["command", "median ms", "min–max", "runs", "issue 21 measured", "target", "", "its ready line (or why not)"],
    rows,
  );
}

/** simplehttp on Node: Node itself, the loader, the modules (by package), and the command's own work. */
function breakdownTables(b, m) {
  const total = (name) => m.commands.find((c) => c.name === name)?.median ?? null;
  const node = total("node-alone");
  const cols = [
    ["plain", b.plain, total("simplehttp-node")],
    ["--tls", b.tls, total("simplehttp-node-tls")],
  ].filter(([, x]) => x);
  const rest = (x, t) => (t == null || node == null ? null : t - node - x.allMs);
  const L = [
    ...table(
      ["", ...cols.map(([name]) => `${name} (ms)`)],
      [
        ["from the command to the banner (above)", ...cols.map(([, , t]) => f1(t))],
        ["Node itself, to a first line printed (above)", ...cols.map(() => f1(node))],
        [
          "the command's modules, loaded together as it loads them",
          ...cols.map(([, x]) => `${f1(x.allMs)} (${x.modules.length} modules)`),
        ],
        [
          "the rest: the command's own work (arguments, the folder, the address, the certificate, listen)",
          ...cols.map(([, x, t]) => f1(rest(x, t))),
        ],
      ],
    ),
    `Each module imported alone (each after what it imports, so its own load, link and run), by package. ` +
      `An import of an empty module costs ${cols.map(([n, x]) => `${x.importMs.toFixed(2)} ms (${n})`).join(", ")} ` +
      `here, taken off each module's time; what is left adds up to ` +
      `${cols.map(([n, x]) => `${f1(x.sumMs)} ms (${n})`).join(", ")}: loaded one by one, files cost more ` +
      `than together, so these say where the time goes, not how much of the total each would save.`,
    "",
  ];
  const pkgs = [...new Set(cols.flatMap(([, x]) => x.packages.map((p) => p.pkg)))];
  const of = (x, pkg) => x.packages.find((p) => p.pkg === pkg);
  const weight = (pkg) => Math.max(...cols.map(([, x]) => of(x, pkg)?.ms ?? 0));
  L.push(
    ...table(
      ["package", ...cols.flatMap(([name]) => [`modules (${name})`, `own ms (${name})`])],
      pkgs
        .sort((p, q) => weight(q) - weight(p))
        .map((pkg) => [
          pkg,
          ...cols.flatMap(([, x]) => [String(of(x, pkg)?.modules ?? "–"), f1(of(x, pkg)?.ms ?? null)]),
        ]),
    ),
  );
  const urls = new Map();
  for (const [name, x] of cols)
    for (const mod of x.modules) urls.set(mod.name, { ...urls.get(mod.name), [name]: mod.ms });
  const top = [...urls.entries()]
    .map(([name, byCol]) => [name, byCol, Math.max(...Object.values(byCol))])
    .filter(([, , ms]) => ms >= 1)
    .sort((p, q) => q[2] - p[2]);
  L.push(
    `The modules whose own work is 1 ms or more (imported one by one, each after what it imports):`,
    "",
    ...table(
      ["module", ...cols.map(([name]) => `own ms (${name})`)],
      top.map(([name, byCol]) => [name, ...cols.map(([c]) => (byCol[c] == null ? "not loaded" : f1(byCol[c])))]),
    ),
  );
  return L;
}

/** The start-up section: `data` = { measure: measureStartup()'s, breakdown: { plain, tls } }. */
export function startupSection(data, { heading = "##" } = {}) {
  const m = data.measure;
  const L = [`${heading} Start-up: from the command to its banner`, ""];
  const extended = m.extended.length
    ? ` (${m.runs * 2} for ${m.extended.join(", ")}, whose runs spread over 30% of their median)`
    : "";
  L.push(
    `Each command spawned with its output piped (not a TTY), \`--bind 127.0.0.1\` (or its own flag) and port 0 ` +
      `(http-server, which reads 0 as 8080, a free port), in the fixture's folder, free to run on both CPUs; ` +
      `the time is from just before the spawn to the arrival of the line naming its address, and the server ` +
      `must then answer the 1 KiB file with its bytes. One start of each is thrown away (caches), then the ` +
      `commands take turns in a rotating order, ${m.runs} runs each${extended}` +
      `. Started without ${NOT_A_USERS.join(", ")}, which this machine's environment sets and a person's ` +
      `would not (the row with it shows what it costs Node); Python with PYTHONUNBUFFERED=1 (piped, it holds ` +
      `its banner until exit otherwise); serve with NO_UPDATE_CHECK=1 (else it asks the npm registry).`,
    "",
    ...timesTable(m),
  );
  if (data.breakdown?.plain) {
    L.push(
      `${heading}# Where simplehttp on Node spends its start-up`,
      "",
      `The modules the command loads up to its banner, recorded by a resolve hook (static and dynamic imports: ` +
        `the adapter, the certificate code), then loaded in fresh processes, all together by one module that ` +
        `imports them, and one by one (bench/lib/startup-modules.mjs; median of ` +
        `${data.breakdown.runs} processes each way). The rest is the start-up that is not Node's own nor ` +
        `loading modules; it also carries the spread of the measurements above.`,
      "",
      ...breakdownTables(data.breakdown, m),
    );
  }
  return L;
}
