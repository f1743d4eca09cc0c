/**
 * @simplehttp/deno: simplehttp's core handler on Deno.
 *
 * @module
 */
export { denoFileSystem } from "./fs.ts";
export { serve } from "./serve.ts";
export type { RunningServer, ServeOptions } from "@simplehttp/core";
