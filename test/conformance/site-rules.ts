/**
 * The rule table (site-rules-table.ts) on every target: each case's `_redirects` and `_headers`
 * are put in place (written to the served folder of a disk target, which must see them on the
 * next request; chosen by a header in the worker, which holds every case in memory), then every
 * request of the case must get the answer the table states, which the platform's own asset worker
 * gives too (site-rules-reference.test.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RULE_CASES, type RuleRequest } from "./site-rules-table.ts";

export { CASE_HEADER } from "./site-rules-table.ts";

/** A server of the rule site, which can be switched from one case of the table to another. */
export interface RulesTarget {
  url: string;
  /** Puts case `index`'s rule files in place. */
  useCase(index: number): Promise<void>;
  /** Headers every request of the current case carries. */
  caseHeaders(): Record<string, string>;
  stop(): Promise<void>;
}

export function siteRulesSuite(name: string, start: () => Promise<RulesTarget>): void {
  describe(`site rules: ${name}`, () => {
    let target: RulesTarget;
    beforeAll(async () => {
      target = await start();
    }, 60_000);
    afterAll(async () => {
      await target?.stop();
    });

    RULE_CASES.forEach((rule, index) => {
      it(rule.name, async () => {
        await target.useCase(index);
        for (const request of rule.requests) await expectAnswer(target, request);
      });
    });
  });
}

async function expectAnswer(target: RulesTarget, expected: RuleRequest): Promise<void> {
  const response = await fetch(new URL(expected.path, target.url), {
    redirect: "manual",
    headers: target.caseHeaders(),
  });
  const where = expected.path;
  expect(response.status, where).toBe(expected.status);
  if (expected.location !== undefined) expect(response.headers.get("location"), where).toBe(expected.location);
  for (const [name, value] of Object.entries(expected.headers ?? {})) {
    expect(response.headers.get(name), `${where} ${name}`).toBe(value);
  }
  const body = await response.text();
  if (expected.body !== undefined) expect(body, where).toBe(expected.body);
}
