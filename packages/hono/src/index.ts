/**
 * @simplehttp/hono: simplehttp as a Hono middleware. It takes its mount point from the route it is
 * registered on, and passes a request on to the next route when it has no file for it.
 *
 * @module
 */
export { type SimplehttpOptions, simplehttp } from "./middleware.js";
