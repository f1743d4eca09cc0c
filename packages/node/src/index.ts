/**
 * @simplehttp/node: simplehttp's core handler on Node.js.
 *
 * @module
 */
export { nodeFileSystem, type NodeFileSystemOptions } from "./fs.js";
export { serve } from "./serve.js";
export type { RunningServer, ServeOptions } from "@simplehttp/core";
