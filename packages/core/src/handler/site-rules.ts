/**
 * The site's `_redirects` and `_headers` in the request's path (rules/ parses and matches them):
 * the rules are checked as the request starts, a redirect or a rewrite applies before any file is
 * looked up (as on Cloudflare), and the headers go on the final reply, whatever it is.
 *
 * @module
 */
import { type Refusal, type ResolvedPath, resolvePath } from "../fs/resolve.js";
import { type Reply, reply } from "../http/reply.js";
import { sentPath, splitTarget, stripPrefix } from "../http/target.js";
import { applyHeaderRules, redirectOf } from "../rules/apply.js";
import { type RuleSet, siteRules } from "../rules/site-rules.js";
import type { Site } from "./site.js";

/** The steps the site's rules add to a request; see {@link ruleSteps}. */
export interface RuleSteps {
  /** The rules as the files are now, checked for this request; `null` when that takes a wait. */
  atOnce(): RuleSet | null;
  /** The rules as the files are now, checked for this request. */
  load(): Promise<RuleSet>;
  /**
   * What `_redirects` does with a GET or HEAD of `local` (its path under the mount point, checked):
   * a redirect's reply, the path a rewrite serves instead (or the status that path is refused
   * with), or `null` when no rule matches.
   */
  redirect(request: Request, local: string, search: string, rules: RuleSet): Reply | ResolvedPath | Refusal | null;
  /** `reply` with the headers `_headers` gives the request. */
  finish(request: Request, target: string | undefined, rules: RuleSet, reply: Reply): Reply;
}

/**
 * The rule steps of a handler, or `null` when it does not follow the site's rules.
 *
 * @param site the handler's shared parts
 * @returns the steps
 * @example
 * ```ts
 * const steps = ruleSteps(site);
 * const rules = steps === null ? null : (steps.atOnce() ?? (await steps.load()));
 * ```
 */
export function ruleSteps(site: Site): RuleSteps | null {
  const { config } = site;
  if (config.rulesFs === null) return null;
  const rules = siteRules(config.rulesFs, config.onWarning);
  return {
    atOnce: () => rules.atOnce(),
    load: () => rules.current(),
    redirect(request, local, search, { redirects }) {
      if (redirects === null) return null;
      const redirected = redirectOf(redirects, local, search, config.prefix, () => new URL(request.url).origin);
      if (redirected === null) return null;
      // A rewrite's path passes the same checks as a request's: it may not reach a hidden file.
      if ("rewrite" in redirected) return resolvePath(redirected.rewrite, config.dotfiles);
      const headers = site.headers();
      headers.set("location", redirected.location);
      return reply(redirected.status, headers);
    },
    finish(request, target, { headers }, answered) {
      if (headers.length === 0) return answered;
      const local = stripPrefix((sentPath(target) ?? splitTarget(request.url)).pathname, config.prefix);
      if (local !== undefined) {
        applyHeaderRules(headers, () => new URL(request.url).hostname, local, answered.headers);
      }
      return answered;
    },
  };
}
