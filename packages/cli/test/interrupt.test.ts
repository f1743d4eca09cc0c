/**
 * Ctrl-C ends the command with exit code 0 and Python's line, however it was started. A terminal
 * sends SIGINT to every process of its foreground group, and a launcher that also relays signals
 * to its child (`bun x` does) makes the command see the same Ctrl-C twice: the second must not
 * kill it while it closes.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { BUN } from "../../../test/support/spawn-server.ts";
import {
  banner,
  inTerminal,
  killAll,
  pressCtrlC,
  RUNTIME_NAMES,
  type Run,
  startServing,
  tempSite,
  waitUntil,
  withTimeout,
} from "./run.ts";

const INTERRUPTED = "Keyboard interrupt received, exiting.";

let site: ReturnType<typeof tempSite>;
beforeAll(() => (site = tempSite({ "a.txt": "hello\n" })));
afterEach(killAll);
afterAll(() => site?.remove());

const said = (running: Run): string => running.stdout() + running.stderr();
const timesSaid = (running: Run): number => said(running).split(INTERRUPTED).length - 1;

describe("a second signal while it closes", () => {
  it.each(RUNTIME_NAMES)("on %s: still exit 0, with the line once", async (runtime) => {
    // The second SIGINT is sent once the first has been handled (the line is out): with a listener
    // that went away after the first, the runtime's default action would kill the process.
    for (let round = 0; round < 4; round++) {
      const { running } = await startServing(site.dir, [], { runtime });
      running.child.kill("SIGINT");
      await waitUntil(running, () => (timesSaid(running) > 0 ? true : undefined), 5000, "the interrupt line");
      running.child.kill("SIGINT");
      expect(await withTimeout(running.exited, 5000, "exit"), `round ${round}`).toEqual({ code: 0, signal: null });
      expect(timesSaid(running)).toBe(1);
    }
  });
});

describe("bun x --bun simplehttp in a terminal", () => {
  it("Ctrl-C exits 0 with Python's line, every time (bun x relays the terminal's SIGINT)", async () => {
    // `bun x --bun` finds node_modules/.bin/simplehttp (the repository root is the cwd) and runs it
    // under Bun as its child, in the terminal's foreground group. Several rounds: the relayed
    // signal races the first one, and lost the race in about one Ctrl-C of three.
    for (let round = 0; round < 8; round++) {
      const running = inTerminal([BUN, "x", "--bun", "simplehttp", "0", "--bind", "127.0.0.1", "-d", site.dir]);
      expect((await banner(running)).runtime).toBe("Bun");
      pressCtrlC(running);
      const exit = await withTimeout(running.exited, 5000, "exit after Ctrl-C");
      expect({ exit, said: timesSaid(running) }, `round ${round}: ${said(running)}`).toEqual({
        exit: { code: 0, signal: null },
        said: 1,
      });
    }
  });
});
