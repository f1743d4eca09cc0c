/**
 * @simplehttp/node: simplehttp's core handler on Node.js.
 *
 * @module
 */

export type { RunningServer, ServeOptions } from "@simplehttp/core";
export { type NodeFileSystemOptions, nodeFileSystem } from "./fs.js";
export { serve } from "./serve.js";
