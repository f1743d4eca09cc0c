/**
 * The machine's addresses, as URLs a browser can use: the `Network:` lines, the names of a
 * self-signed certificate, and whether an address is loopback.
 *
 * @module
 */
import type { NetworkInterfaceInfo } from "node:os";

/** What `os.networkInterfaces()` returns. */
export type Interfaces = NodeJS.Dict<NetworkInterfaceInfo[]>;

/** Whether a bound address is a wildcard, which takes connections on every interface. */
export function isWildcard(address: string): boolean {
  return address === "::" || address === "0.0.0.0" || address === "";
}

/** Whether an address only this machine can reach: `localhost`, 127.0.0.0/8, `::1`. */
export function isLoopback(address: string): boolean {
  const bare = address.toLowerCase().replace(/^\[|\]$/g, "");
  if (bare === "localhost" || bare.endsWith(".localhost") || bare === "::1") return true;
  return /^(::ffff:)?127\.\d+\.\d+\.\d+$/.test(bare);
}

/** An address as a URL's host: IPv6 in brackets. */
export function urlHost(address: string): string {
  return address.includes(":") ? `[${address}]` : address;
}

/**
 * The non-internal addresses of the machine, in interface order: IPv4 always, IPv6 too when
 * `ipv6` is set (a server bound to `::` takes both; one bound to `0.0.0.0` takes IPv4 only).
 * Link-local IPv6 addresses (fe80::/10) are left out: they need a zone (`%eth0`), which browsers
 * refuse in URLs, and they change with every interface.
 */
export function externalAddresses(interfaces: Interfaces, ipv6: boolean): string[] {
  const found: string[] = [];
  for (const infos of Object.values(interfaces)) {
    for (const info of infos ?? []) {
      if (info.internal) continue;
      const v6 = info.family === "IPv6" || String(info.family) === "6";
      if (v6 && (!ipv6 || /^fe[89ab]/i.test(info.address))) continue;
      if (!found.includes(info.address)) found.push(info.address);
    }
  }
  return found;
}
