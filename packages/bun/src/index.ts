/**
 * @simplehttp/bun: simplehttp's core handler on Bun, with file bodies Bun sends by sendfile.
 *
 * @module
 */

export type { RunningServer, ServeOptions } from "@simplehttp/core";
export { type BunFileSystemOptions, bunFileSystem } from "./fs.js";
export { serve } from "./serve.js";
