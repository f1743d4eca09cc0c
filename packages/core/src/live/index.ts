/**
 * `@simplehttp/core/live`: what an adapter needs to feed live reload (the handler's `liveReload`
 * option): the batched feed of changes and the tree watch its runtime's folder watcher plugs into.
 * A subpath of its own, so a server without live reload never loads it.
 *
 * @module
 */
export {
  type ChangeFeed,
  type ChangeSource,
  type Changes,
  changeFeed,
  type FeedTiming,
  ignoredByDefault,
} from "./feed.js";
export type { LiveReloadOptions } from "./live.js";
export { type FolderWatcher, type TreeWatch, watchedChanges, watchFailure, watchTree } from "./tree.js";
