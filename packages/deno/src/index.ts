/**
 * @simplehttp/deno: simplehttp's core handler on Deno.
 *
 * @module
 */
export { denoFileSystem, type DenoFileSystemOptions } from "./fs.ts";
export { serve } from "./serve.ts";
export type { RunningServer, ServeOptions } from "@simplehttp/core";
