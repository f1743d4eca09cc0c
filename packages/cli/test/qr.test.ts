/**
 * `--qr`: the code the command prints is read back as a camera would, from the half blocks to a
 * bitmap to jsQR, and must decode to the exact Network URL, on Node, Bun and Deno, on a terminal
 * and into a pipe; with no Network URL, one line says why.
 */
import { networkInterfaces } from "node:os";
import jsqr from "jsqr";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { platformSkip } from "../../../test/setup/skip-reporter.ts";
import { toolPath } from "../../../test/setup/system-packages.ts";
import { networkUrls, noNetworkUrl } from "../src/banner.js";
import { qrCode } from "../src/qr.js";
import {
  banner,
  cliCommand,
  inTerminal,
  killAll,
  lines,
  RUNTIME_NAMES,
  run,
  stop,
  stopInTerminal,
  tempSite,
  waitUntil,
} from "./run.ts";

const ESC = "\x1b";
const PAINTED = /^ {2}\x1b\[38;5;231;48;5;16m([█▀▄ ]+)\x1b\[39;49m$/;
const PLAIN = /^ {2}([█▀▄ ]+)$/;
/** Each glyph's two modules, top then bottom, true for light: the glyph is what is drawn light. */
const GLYPHS: Record<string, [boolean, boolean]> = {
  "█": [true, true],
  "▀": [true, false],
  "▄": [false, true],
  " ": [false, false],
};
/** Pixels a module, as a camera's picture has several. */
const SCALE = 4;
/** jsQR is CommonJS: its function is module.exports, which also holds it as `default` for TypeScript's view. */
const jsQR = jsqr.default;

let site: ReturnType<typeof tempSite>;
beforeAll(() => (site = tempSite({ "a.txt": "hello\n" })));
afterEach(killAll);
afterAll(() => site?.remove());

/** The modules of the code in `text`, light as `true`, from the lines `line` matches. */
function modules(text: string, line: RegExp): boolean[][] {
  const rows: boolean[][] = [];
  for (const shown of lines(text)) {
    const glyphs = line.exec(shown)?.[1];
    if (glyphs === undefined) continue;
    const pairs = [...glyphs].map((glyph): [boolean, boolean] => GLYPHS[glyph] ?? [false, false]);
    rows.push(
      pairs.map(([top]) => top),
      pairs.map(([, bottom]) => bottom),
    );
  }
  return rows;
}

/** What a camera reads in the modules, dark on light only (no inverted reading): or `undefined`. */
function decode(rows: readonly boolean[][]): string | undefined {
  const width = (rows[0]?.length ?? 0) * SCALE;
  const height = rows.length * SCALE;
  if (width === 0) return undefined;
  const pixels = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const value = rows[Math.floor(y / SCALE)]?.[Math.floor(x / SCALE)] ? 255 : 0;
      pixels.fill(value, (y * width + x) * 4, (y * width + x) * 4 + 3);
      pixels[(y * width + x) * 4 + 3] = 255;
    }
  }
  return jsQR(pixels, width, height, { inversionAttempts: "dontInvert" })?.data;
}

/** The first address other machines may use, as the first Network line should show it. */
function firstNetworkAddress(ipv6: boolean): string | undefined {
  const info = Object.values(networkInterfaces())
    .flat()
    .find(
      (info) =>
        info !== undefined &&
        !info.internal &&
        (info.family === "IPv4" || (ipv6 && !info.address.toLowerCase().startsWith("fe80"))),
    );
  return info === undefined ? undefined : info.family === "IPv4" ? info.address : `[${info.address}]`;
}

describe("the code", () => {
  const urls = [
    "http://192.168.1.20:8000/",
    "https://[2001:db8::20]:65535/",
    "http://[fd12:3456:789a:1:1234:5678:9abc:def0]:8000/",
  ];

  it.each(urls)("decodes to %s, painted white on black", (url) => {
    const { lines: shown } = qrCode(url, true);
    expect(shown.every((line) => PAINTED.test(line))).toBe(true);
    expect(decode(modules(shown.join("\n"), PAINTED))).toBe(url);
  });

  it("is square, with a quiet zone of at least 4 light modules on every side", () => {
    const { lines: shown, columns } = qrCode(urls[0] ?? "", false);
    const rows = modules(shown.join("\n"), PLAIN);
    const side = rows[0]?.length ?? 0;
    expect(shown.every((line) => line.length === columns)).toBe(true);
    expect(columns).toBe(side + 2);
    // The side is odd, so the last half row is one more of quiet zone.
    expect(rows).toHaveLength(side + 1);
    const light = (row: readonly boolean[] | undefined) => row?.every(Boolean);
    for (const row of [...rows.slice(0, 4), ...rows.slice(-5)]) expect(light(row)).toBe(true);
    for (const row of rows) expect(light([...row.slice(0, 4), ...row.slice(-4)])).toBe(true);
    // A finder pattern's dark corner just inside the quiet zone: the code starts there.
    expect(rows[4]?.[4]).toBe(false);
    expect(decode(rows)).toBe(urls[0]);
  });

  it("without colour, draws the same glyphs with no escape sequence", () => {
    const painted = qrCode(urls[0] ?? "", true).lines.map((line) => PAINTED.exec(line)?.[1]);
    expect(qrCode(urls[0] ?? "", false).lines).toEqual(painted.map((glyphs) => `  ${glyphs}`));
  });
});

describe("the URL it holds", () => {
  const listening = (hostname: string) => ({ hostname, port: 8000, scheme: "http" as const, runtime: "Node 20.0.0" });
  const eth0 = [
    { address: "192.0.2.7", netmask: "255.255.255.0", family: "IPv4", mac: "", internal: false, cidr: null },
    { address: "2001:db8::7", netmask: "ffff::", family: "IPv6", mac: "", internal: false, cidr: null, scopeid: 0 },
  ] as const;
  const interfaces = { eth0: eth0.map((info) => ({ ...info })) };

  it("is the first Network URL: the address bound, or the machine's first for a wildcard", () => {
    expect(networkUrls(listening("::"), interfaces)[0]).toBe("http://192.0.2.7:8000/");
    expect(networkUrls(listening("2001:db8::7"), interfaces)).toEqual(["http://[2001:db8::7]:8000/"]);
    expect(networkUrls(listening("127.0.0.1"), interfaces)).toEqual([]);
    expect(networkUrls(listening("0.0.0.0"), {})).toEqual([]);
  });

  it("is missing on loopback or off the network, each said in one line", () => {
    expect(noNetworkUrl("127.0.0.1")).toBe(
      "simplehttp: warning: --qr: no Network URL to show: 127.0.0.1 is reachable from this machine only " +
        "(--bind 0.0.0.0 lets a phone connect)",
    );
    expect(noNetworkUrl("::")).toMatch(/^simplehttp: warning: --qr: no Network URL to show: this machine has no/);
  });
});

describe("simplehttp --qr", () => {
  it.for(RUNTIME_NAMES)(
    "on %s in a terminal: under the URLs, a code of the first Network URL",
    async (runtime, ctx) => {
      // All interfaces, for a Network URL; the test never connects.
      const running = inTerminal(cliCommand(["0", "--qr", "--directory", site.dir], runtime));
      const { hostname, port } = await banner(running);
      const address = firstNetworkAddress(hostname === "::");
      ctx.skip(address === undefined, platformSkip("no network interface but loopback, so no Network URL"));
      const url = `http://${address}:${port}/`;
      const read = () => decode(modules(running.stdout(), PAINTED));
      expect(await waitUntil(running, read, 5000, "a code that decodes")).toBe(url);
      const shown = lines(running.stdout());
      expect(shown[2]).toBe(`  Network: ${ESC}[36m${url}${ESC}[39m`);
      const first = shown.findIndex((line) => PAINTED.test(line));
      expect(shown.slice(1, first).every((line) => /^ {2}(Local|Network): /.test(line))).toBe(true);
      await stopInTerminal(running);
    },
  );

  it.for(RUNTIME_NAMES)("on %s into a pipe: the banner, the URL and the code, uncoloured", async (runtime, ctx) => {
    const running = run(["0", "--qr", "--directory", site.dir], { runtime });
    const { hostname, port } = await banner(running);
    const address = firstNetworkAddress(hostname === "::");
    ctx.skip(address === undefined, platformSkip("no network interface but loopback, so no Network URL"));
    const url = `http://${address}:${port}/`;
    const read = () => decode(modules(running.stdout(), PLAIN));
    expect(await waitUntil(running, read, 5000, "a code that decodes")).toBe(url);
    const shown = lines(running.stdout());
    expect(shown[1]).toBe(`  Network: ${url}`);
    expect(shown.slice(2).every((line) => PLAIN.test(line))).toBe(true);
    expect(running.stdout() + running.stderr()).not.toContain(ESC);
    await stop(running);
  });

  it("bound to 127.0.0.1: no code, and one line saying why", async () => {
    const running = run(["0", "--qr", "--bind", "127.0.0.1", "--directory", site.dir]);
    await banner(running);
    expect(lines(running.stdout())).toHaveLength(1);
    expect(lines(running.stderr())).toEqual([noNetworkUrl("127.0.0.1")]);
    await stop(running);
  });

  it.for(RUNTIME_NAMES)(
    "on %s in a terminal narrower than the code: the code, and one line saying so",
    async (runtime, ctx) => {
      ctx.skip(firstNetworkAddress(true) === undefined, platformSkip("no network interface but loopback"));
      const words = cliCommand(["0", "--qr", "--directory", site.dir], runtime).map(
        (word) => `'${word.replace(/'/g, `'\\''`)}'`,
      );
      const line = `stty cols 20 && exec ${words.join(" ")}`;
      const running = run([], { raw: { command: toolPath("script"), args: ["-q", "-e", "-c", line, "/dev/null"] } });
      await banner(running);
      // The whole code, which comes after the warning (written first, to stderr, on the same terminal).
      const read = () => decode(modules(running.stdout(), PAINTED));
      expect(await waitUntil(running, read, 5000, "a code that decodes")).toMatch(/^http:\/\//);
      const warning = /^simplehttp: warning: --qr: .*$/m;
      expect(warning.exec(lines(running.stdout()).join("\n"))?.[0]).toMatch(
        /^simplehttp: warning: --qr: the code takes \d+ columns, the terminal has 20$/,
      );
      await stopInTerminal(running);
    },
  );
});
