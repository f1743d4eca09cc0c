import { describe, expect, it } from "vitest";
import { headersInit, ReplyHeaders } from "../src/index.js";

/** The same operations on a ReplyHeaders and on the runtime's Headers. */
function both(common: [string, string][] = []) {
  const ours = new ReplyHeaders(common);
  const real = new Headers(common);
  return { ours, real, each: (act: (headers: Headers) => void) => [ours, real].forEach(act) };
}

describe("ReplyHeaders", () => {
  it("answers get, has and iteration as Headers does, names in any case", () => {
    const { ours, real, each } = both([["Server", "simplehttp"]]);
    each((headers) => {
      headers.set("Content-Type", "text/plain");
      headers.append("vary", "Accept-Encoding");
      headers.append("Vary", "Origin");
      headers.set("ETag", '"a"');
      headers.set("etag", '"b"');
      headers.append("set-cookie", "a=1");
      headers.append("Set-Cookie", "b=2");
      headers.delete("SERVER");
    });
    for (const name of ["content-type", "VARY", "etag", "server", "set-cookie", "absent"]) {
      expect(ours.get(name)).toBe(real.get(name));
      expect(ours.has(name)).toBe(real.has(name));
    }
    expect([...ours]).toEqual([...real]);
    expect([...ours.keys()]).toEqual([...real.keys()]);
    expect([...ours.values()]).toEqual([...real.values()]);
    expect(ours.getSetCookie()).toEqual(real.getSetCookie());
    const seen: string[] = [];
    ours.forEach((value, name) => {
      seen.push(`${name}=${value}`);
    });
    expect(seen).toEqual([...real].map(([name, value]) => `${name}=${value}`));
  });

  it("keeps its list in the order set, names in lower case, for a server to write as it is", () => {
    const headers = new ReplyHeaders([["Server", "s"]]);
    headers.set("Content-Length", "5");
    headers.set("server", "t");
    expect(headers.list).toEqual(["content-length", "5", "server", "t"]);
  });

  it("takes a value that looks like a header's name for a value", () => {
    const headers = new ReplyHeaders();
    headers.set("x-a", "x-b");
    expect(headers.has("x-b")).toBe(false);
    headers.set("x-b", "1");
    expect(headers.get("x-a")).toBe("x-b");
    expect(headers.get("x-b")).toBe("1");
  });

  it("becomes the fields of a Response, which checks what they hold", () => {
    const headers = new ReplyHeaders();
    headers.set("content-type", "text/plain");
    headers.append("vary", "a");
    headers.append("vary", "b");
    const response = new Response(null, { headers: headersInit(headers) });
    expect(response.headers.get("content-type")).toBe("text/plain");
    expect(response.headers.get("vary")).toBe("a, b");
    headers.set("x-bad", "a\nb");
    expect(() => new Response(null, { headers: headersInit(headers) })).toThrow(TypeError);
  });

  it("leaves a real Headers as it is", () => {
    const real = new Headers({ a: "1" });
    expect(headersInit(real)).toBe(real);
  });
});
