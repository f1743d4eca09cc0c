// Where a request's CPU goes (issue 21): a V8 .cpuprofile (Node's --cpu-prof, Bun's --cpu-prof, Deno's
// through its inspector) cut into stages by each sample's own function, as microseconds per request.
// The rules go by the function's script and name; what no rule takes is "other" (V8's "(program)":
// native code the profiler cannot name, which on Bun includes its HTTP server).
import { readFileSync } from "node:fs";

// Native calls the profilers name by the call: Node by the libuv binding, Bun by the node:fs function.
const FILE_CALLS = new Set(["open", "fstat", "stat", "lstat", "readlink", "close", "read", "realpath", "statx"]);
const BUN_FILE_CALLS = /^(open|fstat|stat|lstat|readlink|close|read|realpath|exists)Sync$|^exists$/;
// Deno names each native call by its op: the file calls of Deno.* and of its node:fs.
const DENO_FILE_CALLS = /^op_(fs|node)_\w*(open|stat|read_link|realpath|read|close|seek)\w*$/;
const SOCKET_WRITES = new Set(["writev", "writeLatin1String", "writeUtf8String", "writeBuffer"]);
const NODE_HTTP =
  /node:(_http_server|_http_common|_http_incoming|events|internal\/streams|internal\/timers|internal\/process)/;
const TICKS = ["runMicrotasks", "processTicksAndRejections", "asyncFunctionDrive", "serve"];

/** [stage, test on { functionName, url }], first match wins. */
export const STAGES = [
  ["idle", (f) => f.functionName === "(idle)"],
  ["start-up (compiling, loading)", (f) => /compile|node:internal\/modules|node:internal\/bootstrap/.test(f.url)],
  [
    "system calls on files",
    (f) =>
      !f.url &&
      (FILE_CALLS.has(f.functionName) || BUN_FILE_CALLS.test(f.functionName) || DENO_FILE_CALLS.test(f.functionName)),
  ],
  [
    "socket writes",
    (f) =>
      (!f.url && SOCKET_WRITES.has(f.functionName)) ||
      /node:(_http_outgoing|net|internal\/stream_base_commons|internal\/streams\/writable)|send-file\.js/.test(f.url),
  ],
  [
    "runtime HTTP (parsing, events, ticks)",
    (f) =>
      NODE_HTTP.test(f.url) ||
      TICKS.includes(f.functionName) ||
      /^ext:deno_http\//.test(f.url) ||
      (!f.url && f.functionName.startsWith("op_http_")),
  ],
  ["request object (hono, undici)", (f) => /@hono\/node-server|undici|^ext:deno_fetch\/23_request/.test(f.url)],
  [
    "Response object",
    (f) => (!f.url && ["Response", "Headers"].includes(f.functionName)) || /^ext:deno_(fetch|webidl)\//.test(f.url),
  ],
  [
    "path checks (target, segments, containment)",
    (f) =>
      /core\/dist\/(fs\/resolve|http\/target)|bun\/dist\/targets|(disk|deno)\/dist\/(open|containment|names)/.test(
        f.url,
      ),
  ],
  ["headers and validators", (f) => /core\/dist\/http\/|core\/dist\/handler\/(file-response|site)/.test(f.url)],
  [
    "handler and file system (the rest of ours)",
    (f) => /packages\/(core|disk|node|bun|deno)\/dist\//.test(f.url) || /\/node_modules\/@simplehttp\//.test(f.url),
  ],
  ["the floor's own code", (f) => /bench\/peers\//.test(f.url)],
  ["garbage collection", (f) => f.functionName === "(garbage collector)"],
];
const OTHER = "other (native, unnamed)";

/**
 * Microseconds per request by stage in the profile at `file`, `requests` answered over its life.
 *
 * @returns {{ stages: Map<string, number>, busy: number }} µs per request by stage, and their sum
 *   (idle and start-up left out)
 */
export function stagesOf(file, requests) {
  const profile = JSON.parse(readFileSync(file, "utf8"));
  const byId = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
  const stageOf = new Map();
  for (const [id, frame] of byId) stageOf.set(id, STAGES.find(([, test]) => test(frame))?.[0] ?? OTHER);
  const us = new Map();
  // timeDeltas[i] is the time before sample i: the time up to the next sample is sample i's.
  const { samples, timeDeltas } = profile;
  for (let i = 0; i < samples.length; i++) {
    const stage = stageOf.get(samples[i]);
    us.set(stage, (us.get(stage) ?? 0) + (timeDeltas[i + 1] ?? 0));
  }
  const stages = new Map();
  let busy = 0;
  for (const [stage, total] of us) {
    if (stage === "idle" || stage.startsWith("start-up")) continue;
    stages.set(stage, total / requests);
    busy += total / requests;
  }
  return { stages, busy };
}
