/**
 * @simplehttp/bun: simplehttp's core handler on Bun, with file bodies Bun sends by sendfile.
 *
 * @module
 */
export { bunFileSystem, type BunFileSystemOptions } from "./fs.js";
export { serve } from "./serve.js";
export type { RunningServer, ServeOptions } from "@simplehttp/core";
