/**
 * PROPFIND (RFC 4918 §9.1) and OPTIONS' `DAV` over the in-memory filesystem: what each resource
 * says, which resources a folder shows, the bodies a client may send, and the refusals.
 */
import { describe, expect, it } from "vitest";
import { createHandler, type HandlerOptions, memoryFileSystem } from "../src/index.ts";
import { type DavResponse, parseMultistatus, propsWith } from "./dav-support.ts";

const BASE = "http://share.test";
const TIME = Date.UTC(2026, 0, 2, 3, 4, 5, 678);

const FILES = {
  "a b.txt": "hello",
  "ünï.html": "<p>x</p>",
  "docs/guide.md": "# guide",
  "docs/deep/x.bin": "xx",
  ".env": "SECRET=1",
  ".simplehttp-upload-1-abc": "half",
  "R&D <1>.txt": "amp",
};

function handlerWith(options: Partial<HandlerOptions> = {}, files: Record<string, string> = FILES) {
  const handler = createHandler({ fs: memoryFileSystem(files, { mtime: new Date(TIME) }), ...options });
  return (method: string, path: string, headers: Record<string, string> = {}, body?: string) =>
    handler(new Request(`${BASE}${path}`, { method, headers, body }));
}

async function multistatus(response: Response): Promise<DavResponse[]> {
  expect(response.status).toBe(207);
  expect(response.headers.get("content-type")).toBe("application/xml; charset=utf-8");
  return parseMultistatus(await response.text());
}

const propfind = (path: string, depth: string, body?: string, headers: Record<string, string> = {}) =>
  handlerWith()("PROPFIND", path, { depth, ...headers }, body);

describe("PROPFIND: which resources", () => {
  it("at depth 1 answers the folder and what its listing shows, hrefs encoded, folders ending in /", async () => {
    const responses = await multistatus(await propfind("/", "1"));
    expect(responses.map((response) => response.href)).toEqual([
      "/",
      "/R%26D%20%3C1%3E.txt",
      "/a%20b.txt",
      "/docs/",
      "/%C3%BCn%C3%AF.html",
    ]);
  });

  it("never shows a write's temporary file, even with dotfiles allowed", async () => {
    const request = handlerWith({ dotfiles: "allow" });
    const hrefs = (await multistatus(await request("PROPFIND", "/", { depth: "1" }))).map((r) => r.href);
    expect(hrefs).toContain("/.env");
    expect(hrefs.some((href) => href.includes("simplehttp-upload"))).toBe(false);
  });

  it("at depth 0 answers the resource alone; a folder asked without its slash has the slash href", async () => {
    expect((await multistatus(await propfind("/docs", "0"))).map((r) => r.href)).toEqual(["/docs/"]);
    expect((await multistatus(await propfind("/docs/guide.md", "0"))).map((r) => r.href)).toEqual(["/docs/guide.md"]);
    expect((await multistatus(await propfind("/docs/guide.md", "1"))).map((r) => r.href)).toEqual(["/docs/guide.md"]);
  });

  it("answers under the mount prefix", async () => {
    const request = handlerWith({ prefix: "/files" });
    const responses = await multistatus(await request("PROPFIND", "/files/docs/", { depth: "1" }));
    expect(responses.map((response) => response.href)).toEqual([
      "/files/docs/",
      "/files/docs/deep/",
      "/files/docs/guide.md",
    ]);
    expect((await request("PROPFIND", "/docs/", { depth: "1" })).status).toBe(404);
  });

  it("writes a name XML cannot hold as U+FFFD in displayname, and its exact bytes in the href", async () => {
    const request = handlerWith({}, { "bell\u0007.txt": "b", "inv\uDCFFalid.txt": "i" });
    const responses = (await multistatus(await request("PROPFIND", "/", { depth: "1" }))).slice(1);
    expect(responses.map((response) => response.href)).toEqual(["/bell%07.txt", "/inv%FFalid.txt"]);
    expect(responses.map((response) => propsWith(response, 200).get("{DAV:}displayname"))).toEqual([
      "bell\uFFFD.txt",
      "inv\uFFFDalid.txt",
    ]);
  });
});

describe("PROPFIND: what each resource says", () => {
  it("a file's properties are what a GET of it sends", async () => {
    const request = handlerWith();
    const [file] = await multistatus(await request("PROPFIND", "/%C3%BCn%C3%AF.html", { depth: "0" }));
    const get = await request("GET", "/%C3%BCn%C3%AF.html");
    const props = propsWith(file, 200);
    expect(Object.fromEntries(props)).toEqual({
      "{DAV:}displayname": "ünï.html",
      "{DAV:}getcontentlength": "8",
      "{DAV:}getlastmodified": "Fri, 02 Jan 2026 03:04:05 GMT",
      "{DAV:}getetag": get.headers.get("etag"),
      "{DAV:}getcontenttype": get.headers.get("content-type"),
      "{DAV:}resourcetype": "",
    });
    expect(props.get("{DAV:}getlastmodified")).toBe(get.headers.get("last-modified"));
    expect(file?.propstats).toHaveLength(1);
  });

  it("a folder is a collection, with its time and name but no length, tag or type", async () => {
    const [folder] = await multistatus(await propfind("/docs/", "0"));
    expect(Object.fromEntries(propsWith(folder, 200))).toEqual({
      "{DAV:}displayname": "docs",
      "{DAV:}getlastmodified": "Fri, 02 Jan 2026 03:04:05 GMT",
      "{DAV:}resourcetype": "<collection/>",
    });
  });

  it("the root has no displayname; a time not known is left out, never made up", async () => {
    const fs = memoryFileSystem({ "a.txt": "a" });
    const stat = fs.stat.bind(fs);
    fs.stat = async (path) => {
      const found = await stat(path);
      return found && { ...found, mtimeMs: undefined };
    };
    const handler = createHandler({ fs });
    const response = await handler(new Request(`${BASE}/`, { method: "PROPFIND", headers: { depth: "0" } }));
    expect([...propsWith((await multistatus(response))[0], 200).keys()]).toEqual(["{DAV:}resourcetype"]);
  });
});

describe("PROPFIND: the body", () => {
  const names = (props: Map<string, string>) => [...props.keys()];

  it("answers props in any prefix, and unknown or valueless ones in a 404 propstat after the 200", async () => {
    const body = `<?xml version="1.0" encoding="utf-8"?>
      <x:propfind xmlns:x="DAV:" xmlns:o="http://example.com/ns">
        <x:prop><x:getetag/><getcontentlength xmlns="DAV:"/><o:color/><x:creationdate/><plain xmlns=""/></x:prop>
      </x:propfind>`;
    const [file] = await multistatus(await propfind("/a%20b.txt", "0", body));
    expect(file?.propstats.map((propstat) => propstat.status)).toEqual(["HTTP/1.1 200 OK", "HTTP/1.1 404 Not Found"]);
    expect(names(propsWith(file, 200))).toEqual(["{DAV:}getetag", "{DAV:}getcontentlength"]);
    expect(names(propsWith(file, 404))).toEqual(["{http://example.com/ns}color", "{DAV:}creationdate", "{}plain"]);
    const [folder] = await multistatus(await propfind("/docs/", "0", body));
    expect(names(propsWith(folder, 200))).toEqual([]);
    expect(names(propsWith(folder, 404))).toContain("{DAV:}getcontentlength");
  });

  it("names an unknown property back in its own namespace, whatever characters the name holds", async () => {
    const body = `<propfind xmlns="DAV:"><prop><o:color xmlns:o="urn:a&amp;b&lt;&quot;&#10;c"/></prop></propfind>`;
    const [file] = await multistatus(await propfind("/a%20b.txt", "0", body));
    expect(names(propsWith(file, 404))).toEqual(['{urn:a&b<"\nc}color']);
  });

  it("reads an element in another namespace with DAV's local name as another property", async () => {
    const body = `<propfind xmlns="DAV:"><prop><getetag xmlns="urn:not-dav"/></prop></propfind>`;
    const [file] = await multistatus(await propfind("/a%20b.txt", "0", body));
    expect(names(propsWith(file, 404))).toEqual(["{urn:not-dav}getetag"]);
  });

  it("treats an empty body and <allprop/> alike, and answers include's unknown names with 404", async () => {
    const empty = await (await propfind("/a%20b.txt", "0")).text();
    const allprop = await propfind("/a%20b.txt", "0", `<D:propfind xmlns:D="DAV:"><D:allprop/></D:propfind>`);
    expect(await allprop.text()).toBe(empty);
    const include = `<propfind xmlns="DAV:"><allprop/>
      <include><displayname/><q:x xmlns:q="urn:q"/></include></propfind>`;
    const [file] = await multistatus(await propfind("/a%20b.txt", "0", include));
    expect(propsWith(file, 200).size).toBe(6);
    expect(names(propsWith(file, 404))).toEqual(["{urn:q}x"]);
  });

  it("answers propname with the names alone", async () => {
    const [file] = await multistatus(
      await propfind("/a%20b.txt", "0", `<propfind xmlns="DAV:"><propname/></propfind>`),
    );
    const props = propsWith(file, 200);
    expect(names(props)).toEqual([
      "{DAV:}displayname",
      "{DAV:}getcontentlength",
      "{DAV:}getlastmodified",
      "{DAV:}getetag",
      "{DAV:}getcontenttype",
      "{DAV:}resourcetype",
    ]);
    expect([...props.values()].every((value) => value === "")).toBe(true);
  });

  it("answers the bodies rclone (1.74 on, vendor other) and cadaver's ls send", async () => {
    const rclone = `<?xml version="1.0"?>
<d:propfind xmlns:d="DAV:">
 <d:prop>
  <d:displayname/>
  <d:getlastmodified/>
  <d:getcontentlength/>
  <d:resourcetype/>
 </d:prop>
</d:propfind>
`;
    const [file] = await multistatus(await propfind("/a%20b.txt", "0", rclone));
    expect(Object.fromEntries(propsWith(file, 200))).toEqual({
      "{DAV:}displayname": "a b.txt",
      "{DAV:}getlastmodified": "Fri, 02 Jan 2026 03:04:05 GMT",
      "{DAV:}getcontentlength": "5",
      "{DAV:}resourcetype": "",
    });
    const cadaver = `<?xml version="1.0" encoding="utf-8"?>
<propfind xmlns="DAV:"><prop>
<getcontentlength xmlns="DAV:"/>
<getlastmodified xmlns="DAV:"/>
<executable xmlns="http://apache.org/dav/props/"/>
<resourcetype xmlns="DAV:"/>
<checked-in xmlns="DAV:"/>
<checked-out xmlns="DAV:"/>
</prop></propfind>
`;
    const [folder] = await multistatus(await propfind("/docs/", "0", cadaver));
    expect(names(propsWith(folder, 200))).toEqual(["{DAV:}getlastmodified", "{DAV:}resourcetype"]);
    expect(names(propsWith(folder, 404))).toEqual([
      "{DAV:}getcontentlength",
      "{http://apache.org/dav/props/}executable",
      "{DAV:}checked-in",
      "{DAV:}checked-out",
    ]);
  });

  it("ignores elements it does not know beside the request (§17)", async () => {
    const body = `<propfind xmlns="DAV:" xmlns:e="urn:e"><e:hint>x</e:hint><prop><displayname/></prop></propfind>`;
    const [file] = await multistatus(await propfind("/a%20b.txt", "0", body));
    expect(names(propsWith(file, 200))).toEqual(["{DAV:}displayname"]);
  });

  it.each([
    ["malformed XML", `<propfind xmlns="DAV:"><prop></propfind>`],
    ["a root that is not DAV:propfind", `<propfind xmlns="urn:other"><allprop/></propfind>`],
    ["an unbound prefix", `<D:propfind><D:allprop/></D:propfind>`],
    ["a prefix undeclared (XML 1.0)", `<D:propfind xmlns:D="DAV:"><D:prop><b:x xmlns:b=""/></D:prop></D:propfind>`],
    ["neither allprop, propname nor prop", `<propfind xmlns="DAV:"/>`],
    ["both prop and allprop", `<propfind xmlns="DAV:"><allprop/><prop><getetag/></prop></propfind>`],
    ["include without allprop", `<propfind xmlns="DAV:"><propname/><include/></propfind>`],
    ["a DTD (§20.5)", `<!DOCTYPE propfind [<!ENTITY x "y">]><propfind xmlns="DAV:"><allprop/></propfind>`],
    ["text after the root", `<propfind xmlns="DAV:"><allprop/></propfind>junk`],
  ])("refuses %s with 400", async (_what, body) => {
    expect((await propfind("/", "0", body)).status).toBe(400);
  });

  it("refuses a body that is not UTF-8 with 400, and one past 64 KiB with 413", async () => {
    const handler = createHandler({ fs: memoryFileSystem(FILES) });
    const latin1 = new Uint8Array([...new TextEncoder().encode('<propfind xmlns="DAV:"><allprop/>'), 0xff]);
    const bad = await handler(new Request(`${BASE}/`, { method: "PROPFIND", headers: { depth: "0" }, body: latin1 }));
    expect(bad.status).toBe(400);
    const large = `<propfind xmlns="DAV:"><allprop/></propfind>${" ".repeat(64 * 1024)}`;
    expect((await propfind("/", "0", large)).status).toBe(413);
  });
});

describe("PROPFIND: refusals", () => {
  it("refuses depth infinity, and a PROPFIND without Depth, with 403 propfind-finite-depth (§9.1)", async () => {
    for (const headers of [{ depth: "infinity" }, {}] as Record<string, string>[]) {
      const response = await handlerWith()("PROPFIND", "/docs/", headers);
      expect(response.status).toBe(403);
      expect(response.headers.get("content-type")).toBe("application/xml; charset=utf-8");
      expect(await response.text()).toMatch(/<D:error xmlns:D="DAV:"><D:propfind-finite-depth\/><\/D:error>/);
    }
  });

  it("refuses a Depth that is not 0, 1 or infinity with 400", async () => {
    expect((await propfind("/", "2")).status).toBe(400);
  });

  it("answers 404 for what a GET answers 404 for", async () => {
    for (const path of ["/missing.txt", "/missing/", "/a%20b.txt/", "/.env", "/.simplehttp-upload-1-abc"]) {
      expect((await propfind(path, "0")).status, path).toBe(404);
    }
    expect((await handlerWith({ dotfiles: "deny" })("PROPFIND", "/.env", { depth: "0" })).status).toBe(403);
    expect((await propfind("/docs%2fguide.md", "0")).status).toBe(400);
  });

  it("lists no folder at depth 1 when listings are off, but answers it at depth 0", async () => {
    const request = handlerWith({ listing: false });
    expect((await request("PROPFIND", "/docs/", { depth: "1" })).status).toBe(403);
    expect((await multistatus(await request("PROPFIND", "/docs/", { depth: "0" }))).length).toBe(1);
  });
});

describe("PROPFIND and OPTIONS: who and what", () => {
  const auth = { users: [{ user: "ana", password: "s3cret" }] };
  const basic = `Basic ${btoa("ana:s3cret")}`;

  it("asks for the password as GET does, and needs none with publicRead", async () => {
    const closed = handlerWith({ auth });
    expect((await closed("PROPFIND", "/", { depth: "1" })).status).toBe(401);
    expect((await closed("PROPFIND", "/", { depth: "1", authorization: basic })).status).toBe(207);
    const open = handlerWith({ auth: { ...auth, publicRead: true } });
    expect((await open("PROPFIND", "/", { depth: "1" })).status).toBe(207);
  });

  it("OPTIONS says DAV class 1 and allows PROPFIND, with or without writes", async () => {
    const readOnly = await handlerWith()("OPTIONS", "/");
    expect(readOnly.headers.get("dav")).toBe("1");
    expect(readOnly.headers.get("allow")).toBe("GET, HEAD, OPTIONS, PROPFIND");
    const fs = memoryFileSystem({}, { writable: true });
    const writes = await createHandler({ fs, write: { delete: true } })(new Request(`${BASE}/`, { method: "OPTIONS" }));
    expect(writes.headers.get("dav")).toBe("1");
    const allow = "GET, HEAD, OPTIONS, PROPFIND, PUT, POST, MKCOL, COPY, PATCH, DELETE, MOVE";
    expect(writes.headers.get("allow")).toBe(allow);
  });

  it("a PROPFIND sees what a write made", async () => {
    const fs = memoryFileSystem({}, { writable: true });
    const handler = createHandler({ fs, write: { upload: true } });
    await handler(new Request(`${BASE}/new/n.txt`, { method: "PUT", body: "abc" }));
    const response = await handler(new Request(`${BASE}/new/`, { method: "PROPFIND", headers: { depth: "1" } }));
    const [, file] = await multistatus(response);
    expect(file?.href).toBe("/new/n.txt");
    expect(propsWith(file, 200).get("{DAV:}getcontentlength")).toBe("3");
  });
});
