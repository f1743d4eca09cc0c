/**
 * The rule table (site-rules-table.ts) against the platform itself: Miniflare runs Cloudflare's
 * asset worker over each case's files, with the rules parsed by wrangler's own parseRedirects and
 * parseHeaders (bundled in Miniflare, which logs the lines they skip). Every answer the table
 * states must be the platform's (but where the table says why it differs) and our handler's, and
 * the lines the platform warns about must be lines we warn about.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { createHandler, memoryFileSystem, type RuleWarning } from "@simplehttp/core";
import { Log, LogLevel, Miniflare } from "miniflare";
import { afterAll, describe, expect, it } from "vitest";
import { RULE_CASES, RULE_SITE, type RuleCase, type RuleRequest } from "./site-rules-table.ts";

/** What one side answered, as the table states answers. */
interface Answer {
  status: number;
  location: string | null;
  headers: Record<string, string | null>;
  body: string;
}

/** Miniflare's log, kept: the parser's warnings are among its lines. */
class KeptLog extends Log {
  readonly lines: string[] = [];
  constructor() {
    super(LogLevel.WARN);
  }
  override logWithLevel(level: LogLevel, message: string): void {
    if (level <= LogLevel.WARN) this.lines.push(message);
  }
}

/** The warnings of one file in the log: each `▶︎ message`, with its line's text when it names one. */
function platformWarnings(log: readonly string[], kind: "redirect" | "header"): { texts: string[]; count: number } {
  const block = log.find((line) => new RegExp(`^Found \\d+ invalid ${kind} rules?:`).test(line));
  if (block === undefined) return { texts: [], count: 0 };
  const entries = block.split("▶︎ ").slice(1);
  const texts = entries.flatMap((entry) => /^ {4}at .*? \| (.*)$/m.exec(entry)?.[1] ?? []);
  return { texts, count: entries.length };
}

const folders: string[] = [];
afterAll(() => {
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

function ruleFiles(rule: RuleCase): Record<string, string> {
  return {
    ...RULE_SITE,
    ...(rule.redirects === undefined ? {} : { _redirects: rule.redirects }),
    ...(rule.headers === undefined ? {} : { _headers: rule.headers }),
  };
}

async function platform(
  rule: RuleCase,
): Promise<{ answer(path: string): Promise<Answer>; log: KeptLog; stop(): Promise<void> }> {
  const folder = mkdtempSync(join(tmpdir(), "simplehttp-rules-"));
  folders.push(folder);
  for (const [name, content] of Object.entries(ruleFiles(rule))) {
    mkdirSync(dirname(join(folder, name)), { recursive: true });
    writeFileSync(join(folder, name), content);
  }
  const log = new KeptLog();
  const mf = new Miniflare({
    modules: true,
    // Never reached: with no user worker bound, the asset worker answers every request itself.
    script: "export default { fetch: () => new Response(null, { status: 599 }) }",
    assets: { directory: folder },
    compatibilityDate: "2025-01-01",
    cf: false,
    log,
  });
  await mf.ready;
  return {
    log,
    answer: async (path) => answerOf(await mf.dispatchFetch(`http://localhost${path}`, { redirect: "manual" })),
    stop: () => mf.dispose(),
  };
}

async function answerOf(response: { status: number; headers: Headers; text(): Promise<string> }): Promise<Answer> {
  const headers: Record<string, string | null> = {};
  response.headers.forEach((value, name) => {
    headers[name] = value;
  });
  return { status: response.status, location: response.headers.get("location"), headers, body: await response.text() };
}

function ours(rule: RuleCase): { answer(path: string): Promise<Answer>; warnings: RuleWarning[] } {
  const warnings: RuleWarning[] = [];
  const handler = createHandler({ fs: memoryFileSystem(ruleFiles(rule)), onWarning: (w) => warnings.push(w) });
  return { warnings, answer: async (path) => answerOf(await handler(new Request(`http://localhost${path}`))) };
}

/** Checks `got` against what the table states of it (only what it states). */
function expectAnswer(got: Answer, expected: RuleRequest, who: string): void {
  const where = `${who} ${expected.path}`;
  expect(got.status, where).toBe(expected.status);
  if (expected.location !== undefined) expect(got.location, where).toBe(expected.location);
  for (const [name, value] of Object.entries(expected.headers ?? {}))
    expect(got.headers[name] ?? null, `${where} ${name}`).toBe(value);
  if (expected.body !== undefined) expect(got.body, where).toBe(expected.body);
}

describe("the rule table agrees with Cloudflare's parser and asset worker (Miniflare)", () => {
  for (const rule of RULE_CASES) {
    it(rule.name, async () => {
      const cloudflare = await platform(rule);
      const simplehttp = ours(rule);
      try {
        for (const request of rule.requests) {
          expectAnswer(await simplehttp.answer(request.path), request, "simplehttp");
          const differs = rule.platform?.answers?.[request.path];
          expectAnswer(await cloudflare.answer(request.path), { ...request, ...differs }, "cloudflare");
        }
      } finally {
        await cloudflare.stop();
      }
      const silent = new Set(rule.platform?.silentOn ?? []);
      for (const [file, kind] of [
        ["_redirects", "redirect"],
        ["_headers", "header"],
      ] as const) {
        const mine = simplehttp.warnings.filter((warning) => warning.file === file);
        expect(
          mine.map((warning) => warning.line),
          file,
        ).toEqual(rule.skipped[file === "_redirects" ? "redirects" : "headers"] ?? []);
        const theirs = platformWarnings(cloudflare.log.lines, kind);
        const shared = mine.filter((warning) => !silent.has(warning.text));
        const also = (rule.platform?.alsoWarns ?? []).filter((text) => theirs.texts.includes(text));
        expect(theirs.count, `${file}: ${cloudflare.log.lines.join("\n")}`).toBe(shared.length + also.length);
        const texts = [...shared.map((warning) => warning.text), ...also];
        for (const text of theirs.texts) expect(texts, file).toContain(text);
      }
    });
  }
});
