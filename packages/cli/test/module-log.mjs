/**
 * `node --import ./module-log.mjs …`: appends the URL of every module Node loads, one a line, to
 * the file named by SIMPLEHTTP_MODULE_LOG, as it loads it (a module's line is written before it
 * runs). startup.test.ts reads it to see what the command loaded, and what it did not.
 *
 * Node runs loader hooks on a thread of their own: this file registers itself there (the main
 * thread's import), and answers `load` there (the hooks thread's).
 */
import { appendFileSync } from "node:fs";
import { register } from "node:module";
import { isMainThread } from "node:worker_threads";

if (isMainThread) register(import.meta.url);

/** The hook: log the URL, then load as Node would. */
export async function load(url, context, nextLoad) {
  const log = process.env.SIMPLEHTTP_MODULE_LOG;
  if (log) appendFileSync(log, `${url}\n`);
  return nextLoad(url, context);
}
