/**
 * The conformance fixture as an edge worker: the core handler over the in-memory filesystem,
 * bundled with esbuild (--platform=neutral) and run in workerd through Miniflare.
 */
import { createHandler, type Handler, memoryFileSystem } from "@simplehttp/core";
import { fixtureFiles, gzipText, MTIME, SERVER_OPTIONS } from "./fixture.ts";

// Built on the first request: a worker may not do asynchronous work in its global scope.
let handler: Promise<Handler> | undefined;
const build = async (): Promise<Handler> =>
  createHandler({ ...SERVER_OPTIONS, fs: memoryFileSystem(fixtureFiles(await gzipText()), { mtime: MTIME }) });

export default {
  async fetch(request: Request): Promise<Response> {
    handler ??= build();
    return (await handler)(request);
  },
};
