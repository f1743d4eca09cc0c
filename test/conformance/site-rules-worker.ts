/**
 * The rule table's site as an edge worker: a handler per case over the in-memory filesystem, the
 * case chosen by a request header (site-rules.ts).
 */
import { createHandler, type Handler, memoryFileSystem } from "@simplehttp/core";
import { CASE_HEADER, RULE_CASES, RULE_SITE } from "./site-rules-table.ts";

const handlers = new Map<number, Handler>();

function handlerOf(index: number): Handler {
  let handler = handlers.get(index);
  if (handler === undefined) {
    const rule = RULE_CASES[index];
    const files: Record<string, string> = { ...RULE_SITE };
    if (rule?.redirects !== undefined) files._redirects = rule.redirects;
    if (rule?.headers !== undefined) files._headers = rule.headers;
    handler = createHandler({ fs: memoryFileSystem(files), onWarning: () => {} });
    handlers.set(index, handler);
  }
  return handler;
}

export default {
  fetch(request: Request): Promise<Response> {
    return handlerOf(Number(request.headers.get(CASE_HEADER) ?? 0))(request);
  },
};
