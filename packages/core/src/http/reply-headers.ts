/**
 * The headers of a reply, as the handler builds them: a `Headers` that is a plain list.
 *
 * The fetch API's `Headers` validates every name and value as it is set and sorts the list each
 * time it is read in order; on Node (undici) that was a tenth of the CPU of a 1 KiB answer, for
 * headers the server writes itself from values it made or checked once (docs/performance.md,
 * "Where a request's time goes"). So a reply's headers are kept as they are set, in lower case, and
 * become a real `Headers` only when a `Response` is made of them ({@link headersInit}), where the
 * runtime checks them; Node's serve() writes {@link ReplyHeaders.list} as it is.
 *
 * @module
 */

/** Reply headers: the `Headers` interface over a flat list of lower-case names and values. */
export class ReplyHeaders implements Headers {
  /** Name, value, name, value, …: names in lower case, in the order they were set. */
  readonly #list: string[] = [];

  /**
   * @param common pairs to start from (the headers every response carries)
   */
  constructor(common: readonly (readonly [string, string])[] = []) {
    for (const [name, value] of common) this.#list.push(name.toLowerCase(), value);
  }

  /** The list itself, as Node's `writeHead()` takes it (name, value, name, value, …): for reading only. */
  get list(): string[] {
    return this.#list;
  }

  append(name: string, value: string): void {
    this.#list.push(name.toLowerCase(), value);
  }

  delete(name: string): void {
    const lower = name.toLowerCase();
    const list = this.#list;
    for (let i = list.length - 2; i >= 0; i -= 2) if (list[i] === lower) list.splice(i, 2);
  }

  get(name: string): string | null {
    const lower = name.toLowerCase();
    const list = this.#list;
    let value: string | null = null;
    for (let i = 0; i < list.length; i += 2) {
      // Fields of one name combine with ", " (RFC 9110 §5.3), as `Headers.get()` does.
      if (list[i] === lower) value = value === null ? (list[i + 1] as string) : `${value}, ${list[i + 1]}`;
    }
    return value;
  }

  getSetCookie(): string[] {
    const cookies: string[] = [];
    const list = this.#list;
    for (let i = 0; i < list.length; i += 2) if (list[i] === "set-cookie") cookies.push(list[i + 1] as string);
    return cookies;
  }

  has(name: string): boolean {
    const lower = name.toLowerCase();
    const list = this.#list;
    for (let i = 0; i < list.length; i += 2) if (list[i] === lower) return true;
    return false;
  }

  set(name: string, value: string): void {
    this.delete(name);
    this.#list.push(name.toLowerCase(), value);
  }

  forEach(callback: (value: string, name: string, parent: Headers) => void, thisArg?: unknown): void {
    for (const [name, value] of this.entries()) callback.call(thisArg, value, name, this);
  }

  /** As `Headers` iterates: sorted by name, one entry per name (each Set-Cookie its own). */
  *entries(): IterableIterator<[string, string]> {
    const names = [...new Set(this.#list.filter((_, i) => i % 2 === 0))].sort();
    for (const name of names) {
      if (name === "set-cookie") for (const cookie of this.getSetCookie()) yield [name, cookie];
      else yield [name, this.get(name) as string];
    }
  }

  *keys(): IterableIterator<string> {
    for (const [name] of this.entries()) yield name;
  }

  *values(): IterableIterator<string> {
    for (const [, value] of this.entries()) yield value;
  }

  [Symbol.iterator](): IterableIterator<[string, string]> {
    return this.entries();
  }
}

/**
 * `headers` as a `Response` takes them: a list of pairs, which the runtime checks and copies into
 * the response's own `Headers` once (given a `Headers`, it would copy that one again).
 *
 * @param headers a reply's headers
 * @returns the same fields, as `HeadersInit`
 * @example
 * ```ts
 * new Response(body, { status, headers: headersInit(reply.headers) });
 * ```
 */
export function headersInit(headers: Headers): HeadersInit {
  if (!(headers instanceof ReplyHeaders)) return headers;
  const pairs: [string, string][] = [];
  const { list } = headers;
  for (let i = 0; i < list.length; i += 2) pairs.push([list[i] as string, list[i + 1] as string]);
  return pairs;
}
