/**
 * HTTP Basic authentication (RFC 7617): who may read, checked before anything is looked up.
 *
 * Passwords are never kept as given: each is held as its SHA-256, and a request's password is
 * hashed and compared in constant time, so neither the comparison's time nor a heap dump tells a
 * password. (Basic sends the password itself on every request: over plain HTTP anyone on the path
 * reads it, which is why the command warns when it serves HTTP beyond loopback.)
 *
 * @module
 */

/** One user: a password, or the SHA-256 of one (hex), which keeps it out of shell history. */
export type AuthUser = { user: string; password: string } | { user: string; sha256: string };

/** Basic authentication options. */
export interface AuthOptions {
  /**
   * Who may read. User names and passwords are UTF-8 (RFC 7617 §2.1, `charset="UTF-8"`).
   * @example [{ user: "ana", password: "s3cret" }, { user: "bo", sha256: "9f86d0…" }]
   */
  users: readonly AuthUser[];
  /**
   * The protection space shown by the browser's prompt.
   * @default "simplehttp"
   * @example "Team files"
   */
  realm?: string;
  /**
   * Let anyone read; ask for a password only to write (`PUT`, `DELETE`, …; see the `write` option).
   * @default false
   * @example true
   */
  publicRead?: boolean;
}

/** Checks a request's `Authorization` against the users. */
export interface Authenticator {
  /** The `WWW-Authenticate` challenge of a 401 (RFC 7617 §2). */
  challenge: string;
  /** Reads need no password (`publicRead`): only writes are checked. */
  publicRead: boolean;
  /** The user the request's credentials name, when they are valid; `null` otherwise. */
  verify(authorization: string | null): Promise<string | null>;
}

const utf8 = new TextEncoder();
const fatalUtf8 = new TextDecoder("utf-8", { fatal: true });

async function sha256(text: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest("SHA-256", utf8.encode(text)));
}

/** Equal bytes, in a time that depends on their length only. */
function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let i = 0; i < a.length; i++) difference |= (a[i] ?? 0) ^ (b[i] ?? 0);
  return difference === 0;
}

function fromHex(hex: string): Uint8Array {
  return Uint8Array.from(hex.match(/../g) ?? [], (byte) => parseInt(byte, 16));
}

/**
 * Settles the options once: validates them (throwing a TypeError naming the bad entry) and hashes
 * the passwords given in clear.
 *
 * @example
 * ```ts
 * const auth = createAuthenticator({ users: [{ user: "ana", password: "s3cret" }] });
 * await auth.verify("Basic YW5hOnMzY3JldA=="); // "ana"
 * ```
 */
export function createAuthenticator(options: AuthOptions): Authenticator {
  const realm = options.realm ?? "simplehttp";
  if (/["\\\r\n]/.test(realm)) throw new TypeError(`invalid auth realm: ${JSON.stringify(realm)}`);
  if (options.users.length === 0) throw new TypeError("auth needs at least one user");
  const users = options.users.map((entry, i) => {
    if (entry.user === "" || entry.user.includes(":"))
      throw new TypeError(`auth user ${i + 1}: a user name cannot be empty or hold ":" (RFC 7617 §2)`);
    if ("sha256" in entry && !/^[0-9a-f]{64}$/i.test(entry.sha256))
      throw new TypeError(`auth user ${JSON.stringify(entry.user)}: sha256 must be 64 hex digits`);
    return {
      user: utf8.encode(entry.user),
      name: entry.user,
      hash: "sha256" in entry ? Promise.resolve(fromHex(entry.sha256)) : sha256(entry.password),
    };
  });
  return {
    challenge: `Basic realm="${realm}", charset="UTF-8"`,
    publicRead: Boolean(options.publicRead),
    async verify(authorization) {
      const credentials = decodeBasic(authorization);
      if (credentials === null) return null;
      const name = utf8.encode(credentials.user);
      const hash = await sha256(credentials.password);
      // Every user is compared, whatever matched: the time does not tell which names exist.
      let found: string | null = null;
      for (const candidate of users) {
        // Both compared, always: `&&` would skip the hash (and its await) for every other name.
        const sameUser = sameBytes(candidate.user, name);
        const samePassword = sameBytes(await candidate.hash, hash);
        const matches = sameUser && samePassword;
        if (matches) found = candidate.name;
      }
      return found;
    },
  };
}

/** `Basic <base64(user:password)>` (RFC 7617 §2) as UTF-8 text, or null when malformed. */
function decodeBasic(authorization: string | null): { user: string; password: string } | null {
  const match = /^Basic +([A-Za-z0-9+/]+=*) *$/i.exec(authorization ?? "");
  if (!match?.[1]) return null;
  let text: string;
  try {
    text = fatalUtf8.decode(Uint8Array.from(atob(match[1]), (char) => char.charCodeAt(0)));
  } catch {
    return null; // not base64, or not UTF-8
  }
  const colon = text.indexOf(":");
  return colon < 0 ? null : { user: text.slice(0, colon), password: text.slice(colon + 1) };
}
