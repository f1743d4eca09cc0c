/**
 * Which runtime runs the command, and that runtime's adapter: the one `simplehttp` bin starts the
 * same core on Node, Bun or Deno.
 *
 * @module
 */
import type { RunningServer, ServeOptions } from "@simplehttp/core";

export type Serve = (options: ServeOptions) => Promise<RunningServer>;

export interface Runtime {
  name: "node" | "bun" | "deno";
  /** For the banner: `Node 20.20.2`, `Bun 1.4.5`, `Deno 2.9.6`. */
  label: string;
  /** Loads only this runtime's adapter: Node never parses the Bun or Deno one. */
  loadServe(): Promise<Serve>;
}

/** Detects the runtime from its globals (Bun and Deno both also provide `process`). */
export function detectRuntime(): Runtime {
  const versions = process.versions as NodeJS.ProcessVersions & { bun?: string; deno?: string };
  if ("Bun" in globalThis)
    return {
      name: "bun",
      label: `Bun ${versions.bun}`,
      loadServe: async () => (await import("@simplehttp/bun")).serve,
    };
  if ("Deno" in globalThis)
    return {
      name: "deno",
      label: `Deno ${versions.deno}`,
      loadServe: async () => (await import("@simplehttp/deno")).serve,
    };
  return {
    name: "node",
    label: `Node ${versions.node}`,
    loadServe: async () => (await import("@simplehttp/node")).serve,
  };
}
