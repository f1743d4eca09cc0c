import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { spawnServer } from "../support/spawn-server.ts";
import { startWorker } from "../support/workerd.ts";
import { CASE_HEADER, type RulesTarget, siteRulesSuite } from "./site-rules.ts";
import { RULE_CASES, RULE_SITE } from "./site-rules-table.ts";
import { RUNTIME_COMMANDS } from "./targets.ts";

/**
 * The rule site in a fresh folder, served by `runtime`'s adapter (server.ts): each case writes its
 * rule files over the last one's, or removes them, and the server must follow on the next request.
 */
async function startRulesDisk(runtime: keyof typeof RUNTIME_COMMANDS): Promise<RulesTarget> {
  const root = mkdtempSync(join(tmpdir(), "simplehttp-rules-"));
  for (const [name, content] of Object.entries(RULE_SITE)) {
    mkdirSync(dirname(join(root, name)), { recursive: true });
    writeFileSync(join(root, name), content);
  }
  const [command, ...args] = RUNTIME_COMMANDS[runtime];
  const server = await spawnServer(command, [...args, root]);
  const put = (name: string, content: string | undefined) =>
    content === undefined ? rmSync(join(root, name), { force: true }) : writeFileSync(join(root, name), content);
  return {
    url: server.url,
    async useCase(index) {
      put("_redirects", RULE_CASES[index]?.redirects);
      put("_headers", RULE_CASES[index]?.headers);
      // The root's time set back, a time of its own for each case, as a served folder's usually is:
      // so a case without rule files is answered from the record of names missing under the root.
      const settled = new Date(Date.now() - 60_000 - index * 1000);
      utimesSync(root, settled, settled);
    },
    caseHeaders: () => ({}),
    async stop() {
      await server.stop();
      rmSync(root, { recursive: true, force: true });
    },
  };
}

async function startRulesWorker(): Promise<RulesTarget> {
  const worker = await startWorker("test/conformance/site-rules-worker.ts");
  let current = 0;
  return {
    url: worker.url,
    async useCase(index) {
      current = index;
    },
    caseHeaders: () => ({ [CASE_HEADER]: String(current) }),
    stop: () => worker.stop(),
  };
}

siteRulesSuite("node", () => startRulesDisk("node"));
siteRulesSuite("bun", () => startRulesDisk("bun"));
siteRulesSuite("deno", () => startRulesDisk("deno"));
siteRulesSuite("workerd", startRulesWorker);
