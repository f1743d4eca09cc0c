/**
 * The command as a person sees it: under a pseudo-terminal (util-linux `script`) it adds the URLs
 * to open and colours its log; piped, it prints Python's lines only. NO_COLOR and FORCE_COLOR
 * change the colours, never the piped format's shape.
 */
import { networkInterfaces } from "node:os";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { authWarning, bannerLine, urlLines } from "../src/banner.js";
import {
  banner,
  cliCommand,
  get,
  inTerminal,
  killAll,
  lines,
  plainEnv,
  RUNTIME_NAMES,
  type Run,
  run,
  stop,
  stopInTerminal,
  tempSite,
  waitUntil,
} from "./run.ts";

const ESC = "\x1b";
const GREEN_200 =
  /\x1b\[2m\d\d:\d\d:\d\d\x1b\[22m 127\.0\.0\.1 \x1b\[32mGET \/a\.txt 200\x1b\[39m \x1b\[2m\d+(\.\d)? ms\x1b\[22m/;
const YELLOW_404 =
  /\x1b\[2m\d\d:\d\d:\d\d\x1b\[22m 127\.0\.0\.1 \x1b\[33mGET \/missing 404\x1b\[39m \x1b\[2m\d+(\.\d)? ms\x1b\[22m/;
const PLAIN_200 = /^\d\d:\d\d:\d\d 127\.0\.0\.1 GET \/a\.txt 200 \d+(\.\d)? ms$/m;
const PYTHON_200 = /^127\.0\.0\.1 - - \[\d\d\/[A-Z][a-z]{2}\/\d{4} \d\d:\d\d:\d\d\] "GET \/a\.txt HTTP\/1\.1" 200 -$/m;

let site: ReturnType<typeof tempSite>;
beforeAll(() => (site = tempSite({ "a.txt": "hello\n" })));
afterEach(killAll);
afterAll(() => site?.remove());

/** Fetches a file and a missing path, then waits until both are logged. */
async function twoRequests(running: Run, port: number): Promise<void> {
  expect((await get(`http://127.0.0.1:${port}/a.txt`)).status).toBe(200);
  expect((await get(`http://127.0.0.1:${port}/missing`)).status).toBe(404);
  await waitUntil(
    running,
    () => (/missing/.test(running.stderr() + running.stdout()) ? true : undefined),
    5000,
    "the second log line",
  );
}

/** The addresses other machines may use, as the Network lines should list them. */
function expectedNetwork(ipv6: boolean): string[] {
  const found: string[] = [];
  for (const info of Object.values(networkInterfaces()).flat()) {
    if (
      info === undefined ||
      info.internal ||
      (info.family === "IPv6" && (!ipv6 || info.address.toLowerCase().startsWith("fe80")))
    )
      continue;
    if (!found.includes(info.address)) found.push(info.address);
  }
  return found;
}

describe("in a terminal", () => {
  it.each(RUNTIME_NAMES)(
    "on %s: Python's first line, then Local and Network URLs, and a coloured log with durations",
    async (runtime) => {
      // All interfaces, for the Network lines; the test only ever connects to 127.0.0.1.
      const running = inTerminal(cliCommand(["0", "--directory", site.dir], runtime));
      const { hostname, port } = await banner(running);
      const shown = lines(running.stdout());
      const host = hostname.includes(":") ? `[${hostname}]` : hostname;
      expect(shown[0]?.replace(/ on \w+ \d+\.\d+\.\d+ \.\.\.$/, " ...")).toBe(
        `Serving HTTP on ${hostname} port ${port} (http://${host}:${port}/) ...`,
      );
      expect(shown[0]).toMatch(new RegExp(` on ${runtime} \\d+\\.\\d+\\.\\d+ \\.\\.\\.$`));
      const network = expectedNetwork(hostname === "::").map(
        (address) =>
          `  Network: ${ESC}[36mhttp://${address.includes(":") ? `[${address}]` : address}:${port}/${ESC}[39m`,
      );
      expect(shown.slice(1, 2 + network.length)).toEqual([
        `  Local:   ${ESC}[36mhttp://localhost:${port}/${ESC}[39m`,
        ...network,
      ]);
      await twoRequests(running, port);
      expect(running.stdout()).toMatch(GREEN_200);
      expect(running.stdout()).toMatch(YELLOW_404);
      await stopInTerminal(running);
    },
  );

  it("with --bind 127.0.0.1, one Local line for that address", async () => {
    const running = inTerminal(cliCommand(["0", "--bind", "127.0.0.1", "--directory", site.dir]));
    const { port } = await banner(running);
    expect(lines(running.stdout()).slice(1)).toEqual([`  Local:   ${ESC}[36mhttp://127.0.0.1:${port}/${ESC}[39m`]);
    await stopInTerminal(running);
  });

  it("NO_COLOR (any value but empty) keeps the lines and drops the colours", async () => {
    const running = inTerminal(
      cliCommand(["0", "--bind", "127.0.0.1", "--directory", site.dir]),
      plainEnv({ NO_COLOR: "1" }),
    );
    const { port } = await banner(running);
    await twoRequests(running, port);
    expect(running.stdout()).toContain(`  Local:   http://127.0.0.1:${port}/`);
    expect(running.stdout()).toMatch(PLAIN_200);
    expect(running.stdout()).not.toContain(ESC);
    await stopInTerminal(running);
  });

  it("an empty NO_COLOR does not count, and FORCE_COLOR=0 turns colours off", async () => {
    const empty = inTerminal(
      cliCommand(["0", "--bind", "127.0.0.1", "--directory", site.dir]),
      plainEnv({ NO_COLOR: "" }),
    );
    await banner(empty);
    expect(empty.stdout()).toContain(`${ESC}[36m`);
    await stopInTerminal(empty);
    const off = inTerminal(
      cliCommand(["0", "--bind", "127.0.0.1", "--directory", site.dir]),
      plainEnv({ FORCE_COLOR: "0" }),
    );
    const { port } = await banner(off);
    await twoRequests(off, port);
    expect(off.stdout()).toMatch(PLAIN_200);
    expect(off.stdout()).not.toContain(ESC);
    await stopInTerminal(off);
  });
});

describe("piped", () => {
  it("the same run prints Python's banner and log lines only, without colour", async () => {
    const running = run(["0", "--directory", site.dir]);
    const { port } = await banner(running);
    await twoRequests(running, port);
    expect(lines(running.stdout())).toEqual([
      expect.stringMatching(/^Serving HTTP on \S+ port \d+ \(http:\/\/\S+:\d+\/\) on Node \S+ \.\.\.$/),
    ]);
    expect(running.stderr()).toMatch(PYTHON_200);
    expect(running.stdout() + running.stderr()).not.toContain(ESC);
    await stop(running);
  });

  it("FORCE_COLOR colours the log even into a pipe; the banner stays Python's alone", async () => {
    const running = run(["0", "--bind", "127.0.0.1", "--directory", site.dir], {
      env: plainEnv({ FORCE_COLOR: "1", NO_COLOR: "1" }),
    });
    const { port } = await banner(running);
    await twoRequests(running, port);
    expect(lines(running.stdout())).toHaveLength(1);
    expect(running.stderr()).toMatch(GREEN_200);
    await stop(running);
  });
});

describe("the URL lines", () => {
  const interfaces = {
    lo: [
      {
        address: "127.0.0.1",
        netmask: "255.0.0.0",
        family: "IPv4",
        mac: "00:00:00:00:00:00",
        internal: true,
        cidr: "127.0.0.1/8",
      },
    ],
    eth0: [
      {
        address: "192.0.2.7",
        netmask: "255.255.255.0",
        family: "IPv4",
        mac: "02:00:00:00:00:01",
        internal: false,
        cidr: "192.0.2.7/24",
      },
      {
        address: "2001:db8::7",
        netmask: "ffff:ffff:ffff:ffff::",
        family: "IPv6",
        mac: "02:00:00:00:00:01",
        internal: false,
        cidr: "2001:db8::7/64",
        scopeid: 0,
      },
      {
        address: "fe80::1",
        netmask: "ffff:ffff:ffff:ffff::",
        family: "IPv6",
        mac: "02:00:00:00:00:01",
        internal: false,
        cidr: "fe80::1/64",
        scopeid: 2,
      },
    ],
  } as const;
  const listening = (hostname: string) => ({ hostname, port: 8000, scheme: "http" as const, runtime: "Node 20.0.0" });
  const mutable = JSON.parse(JSON.stringify(interfaces)) as Parameters<typeof urlLines>[1];

  it("on ::, localhost and every external address, IPv6 in brackets, link-local left out", () => {
    expect(urlLines(listening("::"), mutable, false)).toEqual([
      "  Local:   http://localhost:8000/",
      "  Network: http://192.0.2.7:8000/",
      "  Network: http://[2001:db8::7]:8000/",
    ]);
  });

  it("on 0.0.0.0, the IPv4 addresses only", () => {
    expect(urlLines(listening("0.0.0.0"), mutable, false)).toEqual([
      "  Local:   http://localhost:8000/",
      "  Network: http://192.0.2.7:8000/",
    ]);
  });

  it("over TLS, the banner keeps Python's shape and every URL says https", () => {
    const secure = { ...listening("::"), scheme: "https" as const };
    expect(bannerLine(secure)).toBe("Serving HTTPS on :: port 8000 (https://[::]:8000/) on Node 20.0.0 ...");
    expect(urlLines(secure, mutable, false)).toEqual([
      "  Local:   https://localhost:8000/",
      "  Network: https://192.0.2.7:8000/",
      "  Network: https://[2001:db8::7]:8000/",
    ]);
  });

  it("--auth warns over plain HTTP beyond loopback only", () => {
    expect(authWarning("::", "http", true)).toMatch(
      /^simplehttp: warning: --auth over plain HTTP on all interfaces: passwords travel in clear text/,
    );
    expect(authWarning("192.0.2.7", "http", true)).toMatch(/on 192\.0\.2\.7:/);
    for (const [host, scheme, auth] of [
      ["127.0.0.1", "http", true],
      ["::1", "http", true],
      ["::", "https", true],
      ["::", "http", false],
    ] as const) {
      expect(authWarning(host, scheme, auth), `${host} ${scheme} ${auth}`).toBeUndefined();
    }
  });

  it("on one address: Local for loopback, Network for any other", () => {
    expect(urlLines(listening("::1"), mutable, false)).toEqual(["  Local:   http://[::1]:8000/"]);
    expect(urlLines(listening("192.0.2.7"), mutable, false)).toEqual(["  Network: http://192.0.2.7:8000/"]);
  });
});
