/**
 * @simplehttp/disk: the disk layer that @simplehttp/node and @simplehttp/bun share, on `node:fs`:
 * symlink containment, the verified open (open.ts holds the rule every disk adapter follows,
 * Deno's included), positional reads, listings, and the `FileSystem` built from them, into which
 * each adapter plugs how an opened file becomes a body. Internal: its API follows the adapters'
 * needs from one release to the next; use @simplehttp/node or @simplehttp/bun. With `writable`, the
 * filesystem also takes writes (writes.ts), and clears what a crashed writer left (cleanup.ts).
 *
 * @module
 */
export { removeStaleTemps } from "./cleanup.js";
export { type Containment, containment, lossy } from "./containment.js";
export { type BodyHook, type DiskFileSystemOptions, diskFileSystem } from "./fs.js";
export { type RootPaths, rootPaths } from "./names.js";
export { openVerified, type VerifiedFile } from "./open.js";
export { readAndClose, readAt } from "./read.js";
export { diskWrites } from "./writes.js";
