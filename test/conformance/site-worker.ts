/** The conformance fixture with the site options (SITE_OPTIONS), as an edge worker: see worker.ts. */
import { createHandler, type Handler, memoryFileSystem } from "@simplehttp/core";
import { fixtureFiles, gzipText, MTIME, SITE_OPTIONS } from "./fixture.ts";

let handler: Promise<Handler> | undefined;
const build = async (): Promise<Handler> =>
  createHandler({ ...SITE_OPTIONS, fs: memoryFileSystem(fixtureFiles(await gzipText()), { mtime: MTIME }) });

export default {
  async fetch(request: Request): Promise<Response> {
    handler ??= build();
    return (await handler)(request);
  },
};
