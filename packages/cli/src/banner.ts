/**
 * What the command prints once it listens: Python's line first, unchanged in shape, then for a
 * person at a terminal the URLs to open.
 *
 * @module
 */
import { externalAddresses, type Interfaces, isLoopback, isWildcard, urlHost } from "./addresses.js";
import { palette } from "./colour.js";

export interface Listening {
  /** The address bound, as the adapter reports it (`::`, `0.0.0.0`, `127.0.0.1`). */
  hostname: string;
  port: number;
  scheme: "http" | "https";
  /** `Node 20.20.2`, … */
  runtime: string;
}

/**
 * Python's first line (`Serving HTTP on :: port 8000 (http://[::]:8000/) ...`), with the runtime
 * before the dots. Over TLS it says HTTPS and https://, as Python 3.14's `--tls-cert` does.
 */
export function bannerLine({ hostname, port, scheme, runtime }: Listening): string {
  return (
    `Serving ${scheme.toUpperCase()} on ${hostname} port ${port} ` +
    `(${scheme}://${urlHost(hostname)}:${port}/) on ${runtime} ...`
  );
}

/** The URL to open on this machine: localhost for a wildcard bind, else the address bound. */
export function localUrl({ hostname, port, scheme }: Listening): string {
  return `${scheme}://${isWildcard(hostname) ? "localhost" : urlHost(hostname)}:${port}/`;
}

/**
 * The URLs for a terminal: `Local:` where this machine reaches the server, `Network:` for each
 * address other machines may use (every external address for a wildcard bind).
 */
export function urlLines(listening: Listening, interfaces: Interfaces, colour: boolean): string[] {
  const { hostname, port, scheme } = listening;
  const paint = palette(colour);
  const line = (label: string, url: string): string => `  ${label.padEnd(9)}${paint.cyan(url)}`;
  const network = networkUrls(listening, interfaces).map((url) => line("Network:", url));
  if (!isWildcard(hostname))
    return isLoopback(hostname) ? [line("Local:", `${scheme}://${urlHost(hostname)}:${port}/`)] : network;
  return [line("Local:", `${scheme}://localhost:${port}/`), ...network];
}

/** The `Network:` URLs, in order: the address bound, or every external address for a wildcard bind. */
export function networkUrls({ hostname, port, scheme }: Listening, interfaces: Interfaces): string[] {
  if (!isWildcard(hostname)) return isLoopback(hostname) ? [] : [`${scheme}://${urlHost(hostname)}:${port}/`];
  return externalAddresses(interfaces, hostname === "::").map((address) => `${scheme}://${urlHost(address)}:${port}/`);
}

/** `--qr`'s one line when there is no `Network:` URL for a phone to open, saying why. */
export function noNetworkUrl(hostname: string): string {
  const why = isWildcard(hostname)
    ? `this machine has no ${hostname === "0.0.0.0" ? "IPv4 " : ""}address but loopback (is it on a network?)`
    : `${hostname} is reachable from this machine only (--bind 0.0.0.0 lets a phone connect)`;
  return `simplehttp: warning: --qr: no Network URL to show: ${why}`;
}

/** The warning for Basic authentication over plain HTTP beyond loopback: one line, or none. */
export function authWarning(hostname: string, scheme: "http" | "https", auth: boolean): string | undefined {
  if (!auth || scheme === "https" || isLoopback(hostname)) return undefined;
  const where = isWildcard(hostname) ? "all interfaces" : hostname;
  return (
    `simplehttp: warning: --auth over plain HTTP on ${where}: ` +
    "passwords travel in clear text; add --tls, or --bind 127.0.0.1"
  );
}
