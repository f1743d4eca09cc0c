// How fast each CPU runs right now. This machine is a VM whose two vCPUs are scheduled by a host:
// measured here, a memory-bound loop ran 2.3–3× slower on one vCPU for seconds at a time while the
// other ran at full speed, and which vCPU was slow changed from minute to minute (the guest sees
// no steal time to tell). A server measured in such a spell runs at half speed for reasons of its
// own, so each measured run is framed by a probe on both CPUs, and a run made while either was
// slow is made again (see gatedRun).
//
// As a script: `node cpu-speed.mjs` prints the milliseconds of its fastest probe pass.
import { fileURLToPath } from "node:url";
import { pinned, run } from "./proc.mjs";

const SELF = fileURLToPath(import.meta.url);
export const SLOW_CPU = 1.3; // a probe this much slower than the fastest seen on its CPU marks the CPU slow
const MAX_WAIT_MS = 15_000;
const MAX_REDOS = 1;

/** One probe pass: strided reads and writes over 4 MiB, the kind of work a server's CPU does. */
function probePass(bytes) {
  const t = performance.now();
  let h = 0;
  for (let r = 0; r < 4; r++) {
    for (let i = 0; i < bytes.length; i += 64) {
      h = (h * 31 + bytes[(i * 7919) % bytes.length]) | 0;
      bytes[i] ^= h;
    }
  }
  return performance.now() - t;
}

/** Milliseconds of the fastest of seven passes (the first ones warm the JIT). */
async function probeOn(cpu) {
  const r = await run(...pinned(cpu, process.execPath, [SELF]), { timeoutMs: 20_000 });
  const ms = Number(r.out.trim());
  if (!Number.isFinite(ms)) throw new Error(`cpu probe failed: ${r.err}`.slice(0, 300));
  return ms;
}

/**
 * Tracks the fastest probe seen on each CPU. `speeds()` probes both CPUs at once and returns each
 * as a slowdown factor (1 = as fast as ever seen here).
 */
export function cpuSpeedGate(cpus) {
  const best = new Map();
  const speeds = async () => {
    const times = await Promise.all(cpus.map(probeOn));
    return cpus.map((cpu, i) => {
      const ms = times[i];
      if (!best.has(cpu) || ms < best.get(cpu)) best.set(cpu, ms);
      return ms / best.get(cpu);
    });
  };
  const steady = (factors) => factors.every((f) => f <= SLOW_CPU);

  return {
    /** Seeds the fastest-seen figures: a few probes at start-up. */
    async seed(times = 4) {
      for (let i = 0; i < times; i++) await speeds();
    },
    /**
     * Runs `measure` with both CPUs at speed: waits (at most 15 s) for the probes to agree, measures,
     * probes again, and measures once more when a CPU slowed down meanwhile.
     * Returns measure()'s result with `speed: { before, after, redone, waitedMs }`.
     */
    async gatedRun(measure) {
      let redone = 0;
      const t0 = Date.now();
      for (;;) {
        let before = await speeds();
        while (!steady(before) && Date.now() - t0 < MAX_WAIT_MS) {
          await new Promise((r) => setTimeout(r, 1000));
          before = await speeds();
        }
        const result = await measure();
        const after = await speeds();
        const speed = { before: round(before), after: round(after), redone, waitedMs: Date.now() - t0 };
        if ((steady(before) && steady(after)) || redone >= MAX_REDOS || Date.now() - t0 >= MAX_WAIT_MS)
          return { ...result, speed };
        redone++;
      }
    },
  };
}

const round = (factors) => factors.map((f) => Math.round(f * 100) / 100);

if (process.argv[1] === SELF) {
  const bytes = new Uint8Array(4 << 20).fill(1);
  let fastest = Infinity;
  for (let i = 0; i < 7; i++) fastest = Math.min(fastest, probePass(bytes));
  console.log(fastest.toFixed(3));
}
