/**
 * Real Chromium for the browser tests: Debian's build (installed by test/setup/system-packages.ts,
 * never by `playwright install`), driven by playwright-core. Every page a test opens is watched
 * for console errors, CSP violations and the requests it makes, so any test can check that the
 * page did nothing it should not.
 *
 * @module
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type { AxeResults } from "axe-core";
import { type Browser, type BrowserContext, type BrowserContextOptions, chromium, type Page } from "playwright-core";
import { toolPath } from "../setup/system-packages.ts";

/** The longest a launch, a navigation or a wait may take before the test fails instead of hanging. */
export const WAIT_MS = 10_000;

// Flags for a quiet, self-contained headless run: no sandbox (the tests may run as root, in a
// container), no GPU, and nothing that phones home or updates itself while a test runs.
const ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-dev-shm-usage",
];

/** A page, and what it did since it opened. */
export interface WatchedPage {
  page: Page;
  /** Console errors and warnings, uncaught exceptions, CSP violations: each should never happen. */
  problems: string[];
  /** `<resource type> <URL>` of every request, in order. */
  requests: string[];
}

/** The name under which the page reports CSP violations to the test. */
const REPORT = "reportCspViolation";

/** One Chromium for a test file, and the contexts its tests open in it. */
export class BrowserSession {
  private contexts: BrowserContext[] = [];
  private pages: WatchedPage[] = [];

  private constructor(private readonly browser: Browser) {}

  static async launch(): Promise<BrowserSession> {
    return new BrowserSession(
      await chromium.launch({ executablePath: toolPath("chromium"), args: ARGS, timeout: WAIT_MS }),
    );
  }

  /**
   * Opens `url` in a new context (so emulation options and cookies never leak between tests),
   * watched from before the first byte of the document.
   */
  async open(url: string, options: BrowserContextOptions = {}): Promise<WatchedPage> {
    const context = await this.browser.newContext({ timezoneId: "UTC", ...options });
    this.contexts.push(context);
    context.setDefaultTimeout(WAIT_MS);
    context.setDefaultNavigationTimeout(WAIT_MS);
    const page = await context.newPage();
    const watched: WatchedPage = { page, problems: [], requests: [] };
    this.pages.push(watched);
    page.on("console", (message) => {
      if (message.type() === "error" || message.type() === "warning")
        watched.problems.push(`console ${message.type()}: ${message.text()} (${page.url()})`);
    });
    page.on("pageerror", (error) => watched.problems.push(`uncaught: ${error.message} (${page.url()})`));
    page.on("request", (request) => watched.requests.push(`${request.resourceType()} ${request.url()}`));
    if (options.javaScriptEnabled !== false) {
      // Chromium also logs a violation to the console, but the event is what the page itself
      // sees (and what a report-uri would send); the binding runs outside the page's CSP.
      await page.exposeFunction(REPORT, (text: string) =>
        watched.problems.push(`CSP violation: ${text} (${page.url()})`),
      );
      await page.addInitScript((name) => {
        document.addEventListener("securitypolicyviolation", (event) => {
          const report = (window as unknown as Record<string, (text: string) => void>)[name];
          report?.(
            `${event.effectiveDirective} blocked ${event.blockedURI || "inline"} ` +
              `at ${event.sourceFile}:${event.lineNumber}`,
          );
        });
      }, REPORT);
    }
    await page.goto(url, { waitUntil: "load" });
    return watched;
  }

  /** Closes every context the last test opened; returns its pages, for {@link misbehaviour}. */
  async closeContexts(): Promise<WatchedPage[]> {
    const contexts = this.contexts.splice(0);
    const pages = this.pages.splice(0);
    await Promise.all(contexts.map((context) => context.close()));
    return pages;
  }

  async close(): Promise<void> {
    await this.closeContexts();
    await this.browser.close();
  }
}

/**
 * What the pages did that a listing page never should: every problem, and every request but a
 * document from `origin` (`http://host:port/`), one of the gallery's `images` (their names), or,
 * of a writable page, a request of its script to the share (`kinds`: `["xhr", "fetch"]`).
 */
export function misbehaviour(
  pages: readonly WatchedPage[],
  origin: string,
  images: readonly string[],
  kinds: readonly string[] = [],
): string[] {
  const allowed = new Set(images.map((name) => `image ${origin}${encodeURIComponent(name)}`));
  const ours = ["document", ...kinds].map((kind) => `${kind} ${origin}`);
  const unexpected = pages
    .flatMap((watched) => watched.requests)
    .filter((request) => !ours.some((start) => request.startsWith(start)) && !allowed.has(request));
  return [
    ...pages.flatMap((watched) => watched.problems),
    ...unexpected.map((request) => `unexpected request: ${request}`),
  ];
}

let axeSource: string | undefined;

/** axe-core's browser build, read from the installed package. */
function axeScript(): string {
  if (axeSource === undefined) {
    const require = createRequire(import.meta.url);
    axeSource = readFileSync(join(dirname(require.resolve("axe-core")), "axe.min.js"), "utf8");
  }
  return axeSource;
}

/**
 * Runs axe-core on the page and returns its violations, one readable paragraph each (rule,
 * impact, help and every offending element), or `[]`. axe is evaluated through the DevTools
 * protocol: a `<script>` tag would be refused by the page's CSP, as it should be.
 */
export async function axeViolations(page: Page): Promise<string[]> {
  await page.evaluate(axeScript());
  const violations = await page.evaluate(async () => {
    const { axe } = window as unknown as { axe: { run(context: Document, options: object): Promise<AxeResults> } };
    const results = await axe.run(document, { resultTypes: ["violations"] });
    return results.violations.map((violation) => ({
      id: violation.id,
      impact: violation.impact ?? "",
      help: violation.help,
      nodes: violation.nodes.map((node) =>
        `${node.target.join(" ")}: ${node.failureSummary ?? ""}`.replaceAll("\n", " "),
      ),
    }));
  });
  return violations.map(({ id, impact, help, nodes }) =>
    [`${id} (${impact}): ${help}`, ...nodes.map((node) => `  - ${node}`)].join("\n"),
  );
}
