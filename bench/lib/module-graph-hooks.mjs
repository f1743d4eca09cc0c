// The resolve hook of module-graph-register.mjs: one JSON line `[parentURL, url]` per import resolved,
// in the order the loader asked, written at once (the process is killed once its banner is out).
import { appendFileSync } from "node:fs";

let out = null;

export function initialize(data) {
  out = data.out;
}

export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  if (out) appendFileSync(out, `${JSON.stringify([context.parentURL ?? null, resolved.url])}\n`);
  return resolved;
}
