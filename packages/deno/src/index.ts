/**
 * @simplehttp/deno: simplehttp's core handler on Deno.
 *
 * @module
 */

export type { RunningServer, ServeOptions } from "@simplehttp/core";
export { type DenoFileSystemOptions, denoFileSystem } from "./fs.ts";
export { serve } from "./serve.ts";
