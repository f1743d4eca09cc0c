/**
 * @simplehttp/node: simplehttp's core handler on Node.js.
 *
 * @module
 */
export { nodeFileSystem } from "./fs.js";
export { serve, type RunningServer, type ServeOptions } from "./serve.js";
