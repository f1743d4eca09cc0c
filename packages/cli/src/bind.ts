/**
 * `--bind ADDR`, checked before listening: each runtime words a bad address its own way (Node
 * "not an address", Bun "EINVAL: invalid argument, listen", Deno "failed to lookup address
 * information"), so the command decides first, and says the same on all of them.
 *
 * @module
 */
import { lookup } from "node:dns/promises";
import { isIP } from "node:net";
import type { Interfaces } from "./addresses.js";
import { quoted, UsageError } from "./errors.js";

// A host name as RFC 1123 §2.1 has it: dot-separated labels of letters, digits and hyphens, none
// starting or ending with a hyphen, at most 63 characters each and 253 in all; a trailing dot
// (the root) allowed. Underscores too, as local resolvers accept them in service and container names.
const LABEL = "[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?";
const HOST_NAME = new RegExp(`^(?=.{1,253}\\.?$)${LABEL}(?:\\.${LABEL})*\\.?$`, "i");

// A last label that is a number makes the whole an IPv4 address, never a name (the URL Standard's
// host parser, §3.5 "ends in a number"), so `999.1.1.1` is a bad address, not a host to look up.
const ENDS_IN_A_NUMBER = /(?:^|\.)(?:\d+|0x[0-9a-f]*)\.?$/i;

/**
 * The address `--bind` names, as the socket wants it: an IP address (IPv6 without the brackets a
 * URL puts around it; IPv4 in its dotted form, `127.1` read as 127.0.0.1, as the URL Standard and
 * `inet_aton` read it), or a host name. Throws a {@linkcode UsageError} for anything else.
 *
 * @example
 * ```ts
 * parseBind("[::1]");     // "::1"
 * parseBind("127.1");     // "127.0.0.1"
 * parseBind("999.1.1.1"); // throws: invalid --bind '999.1.1.1': expected an IP address or a host name
 * ```
 */
export function parseBind(text: string): string {
  const bare = text.startsWith("[") && text.endsWith("]") ? text.slice(1, -1) : text;
  if (isIP(bare) !== 0) return bare;
  if (ENDS_IN_A_NUMBER.test(bare)) {
    const address = ipv4(bare);
    if (address !== undefined) return address;
  } else if (HOST_NAME.test(bare)) {
    return bare;
  }
  throw new UsageError(`invalid --bind ${quoted(text)}: expected an IP address or a host name`);
}

/** The dotted form of an IPv4 address in any form the URL Standard reads (`127.1`, `0x7f.1`). */
function ipv4(text: string): string | undefined {
  try {
    const host = new URL(`http://${text}/`).hostname;
    return isIP(host) === 4 ? host : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Checks that an address from {@linkcode parseBind} can be listened on as far as can be known
 * before trying: a host name must resolve, and an IPv6 zone (`fe80::1%eth0`) must name an
 * interface of this machine. Throws a {@linkcode UsageError} naming the address otherwise; an
 * address that resolves but is not this machine's fails when listening, with the same words.
 */
export async function checkBindable(bind: string, interfaces: Interfaces): Promise<void> {
  if (isIP(bind) === 0) {
    await lookup(bind).catch(() => {
      throw new UsageError(`${cannotBind(bind)}: no such host`);
    });
    return;
  }
  const zone = bind.includes("%") ? bind.slice(bind.indexOf("%") + 1) : undefined;
  if (zone !== undefined && !/^\d+$/.test(zone) && interfaces[zone] === undefined)
    throw new UsageError(`${notThisMachine(bind)} (no network interface ${quoted(zone)})`);
}

/** `cannot bind to '…'`, the start of every line about an address that cannot be listened on. */
export function cannotBind(bind: string): string {
  return `cannot bind to ${quoted(bind)}`;
}

/** The line for an address that is not one of this machine's. */
export function notThisMachine(bind: string): string {
  return `${cannotBind(bind)}: not an address of this machine`;
}
