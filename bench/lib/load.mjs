// Load generators, pinned to CPU 1: wrk when installed, else autocannon (from the bench devDependencies).
import { join } from "node:path";
import { hasCommand, pinned, run } from "./proc.mjs";

export const CLIENT_CPU = 1;

export function pickLoadgen(bench) {
  const forced = process.env.BENCH_LOADGEN;
  if (forced !== "autocannon" && hasCommand("wrk")) return { name: "wrk", run: (o) => runWrk(o) };
  return { name: "autocannon", run: (o) => runAutocannon(bench, o) };
}

const toMs = (v, unit) => Number(v) * ({ us: 0.001, ms: 1, s: 1000, m: 60000 }[unit] ?? NaN);

/** { url, connections, seconds, headers } -> { rps, p99, requests, bad, socketErrors } */
async function runWrk({ url, connections, seconds, headers = {} }) {
  // wrk takes whole seconds only.
  const args = ["-t1", `-c${connections}`, `-d${Math.max(1, Math.round(seconds))}s`, "--timeout", "5s", "--latency"];
  for (const [k, v] of Object.entries(headers)) args.push("-H", `${k}: ${v}`);
  args.push(url);
  const r = await run(...pinned(CLIENT_CPU, "wrk", args), { timeoutMs: (seconds + 20) * 1000 });
  const o = r.out;
  const rps = Number(o.match(/Requests\/sec:\s+([\d.]+)/)?.[1]);
  const lat = o.match(/^\s+99(?:\.000)?%\s+([\d.]+)(us|ms|s|m)\s*$/m);
  const se = o.match(/Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/);
  if (!Number.isFinite(rps)) throw new Error(`wrk gave no result: ${o} ${r.err}`.slice(0, 400));
  return {
    rps,
    p99: lat ? toMs(lat[1], lat[2]) : null,
    requests: Number(o.match(/(\d+) requests in/)?.[1] ?? 0),
    bad: Number(o.match(/Non-2xx or 3xx responses: (\d+)/)?.[1] ?? 0),
    socketErrors: se ? se.slice(1).reduce((a, b) => a + Number(b), 0) : 0,
  };
}

async function runAutocannon(bench, { url, connections, seconds, headers = {} }) {
  const args = [
    join(bench, "node_modules/autocannon/autocannon.js"),
    "-j",
    "-c",
    String(connections),
    "-d",
    String(seconds),
  ];
  for (const [k, v] of Object.entries(headers)) args.push("-H", `${k}=${v}`);
  args.push(url);
  const r = await run(...pinned(CLIENT_CPU, process.execPath, args), { timeoutMs: (seconds + 30) * 1000 });
  let j;
  try {
    j = JSON.parse(r.out.trim().split("\n").pop());
  } catch {
    throw new Error(`autocannon gave no result: ${r.err}`.slice(0, 400));
  }
  const total = j.requests.total ?? 0;
  return {
    rps: total / (j.duration || seconds),
    p99: j.latency?.p99 ?? null,
    requests: total,
    bad: (j["4xx"] ?? 0) + (j["5xx"] ?? 0),
    socketErrors: (j.errors ?? 0) + (j.timeouts ?? 0),
  };
}
