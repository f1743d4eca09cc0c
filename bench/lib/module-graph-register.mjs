// `node --import ./module-graph-register.mjs app.js`: records every module app.js loads, static and
// dynamic, as `[parentURL, url]` lines in the file MODULE_GRAPH_OUT names (startup-modules.mjs reads
// them). The hooks run on Node's loader thread (node:module `register`, Node ≥ 20.6).
import { register } from "node:module";

register("./module-graph-hooks.mjs", import.meta.url, { data: { out: process.env.MODULE_GRAPH_OUT } });
