/**
 * `node --import ./module-log.mjs …`: appends the URL of every module Node loads, one a line, to
 * the file named by SIMPLEHTTP_MODULE_LOG, as it loads it (a module's line is written before it
 * runs), and a mark when the command first writes to stdout (its banner). startup.test.ts reads
 * it to see what the command loaded, what it did not, and what it loaded only after its banner.
 *
 * Node runs loader hooks on a thread of their own: this file registers itself there (the main
 * thread's import), and answers `load` there (the hooks thread's).
 */
import { appendFileSync } from "node:fs";
import { register } from "node:module";
import { isMainThread } from "node:worker_threads";

/** The line written to the log when the command first writes to stdout: its banner. */
export const BANNER_MARK = "(the banner is written)";

if (isMainThread) {
  register(import.meta.url);
  const log = process.env.SIMPLEHTTP_MODULE_LOG;
  const write = process.stdout.write.bind(process.stdout);
  let marked = false;
  process.stdout.write = (...args) => {
    if (!marked && log) appendFileSync(log, `${BANNER_MARK}\n`);
    marked = true;
    return write(...args);
  };
}

/** The hook: log the URL, then load as Node would. */
export async function load(url, context, nextLoad) {
  const log = process.env.SIMPLEHTTP_MODULE_LOG;
  if (log) appendFileSync(log, `${url}\n`);
  return nextLoad(url, context);
}
