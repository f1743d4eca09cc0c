/**
 * Live reload's feed and event stream: bursts gathered into one batch, stylesheets named apart
 * from everything else, a heartbeat, and a stream that ends when its client goes.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { createHandler, memoryFileSystem } from "../src/index.js";
import { type Changes, changeFeed, ignoredByDefault } from "../src/live/feed.js";

afterEach(() => {
  vi.useRealTimers();
});

describe("the feed", () => {
  it("gathers a burst (500 files written in a row) into one batch, each path once", () => {
    vi.useFakeTimers();
    const feed = changeFeed({ quietMs: 40 });
    const batches: Changes[] = [];
    feed.subscribe((changes) => batches.push(changes));
    for (let i = 0; i < 500; i++) {
      feed.changed(`dist/f${i}.html`);
      feed.changed(`dist/f${i}.html`);
      vi.advanceTimersByTime(1);
    }
    expect(batches).toEqual([]);
    vi.advanceTimersByTime(40);
    expect(batches.length).toBe(1);
    expect(batches[0]?.length).toBe(500);
  });

  it("sends a batch that never pauses after maxWaitMs, and null once any change had no name", () => {
    vi.useFakeTimers();
    const feed = changeFeed({ quietMs: 40, maxWaitMs: 100 });
    const batches: Changes[] = [];
    const stop = feed.subscribe((changes) => batches.push(changes));
    for (let i = 0; i < 150; i++) {
      feed.changed(i === 3 ? null : `f${i}`);
      vi.advanceTimersByTime(1);
    }
    expect(batches[0]).toBeNull();
    vi.advanceTimersByTime(100);
    expect(batches.length).toBe(2);
    stop();
    feed.changed("later");
    vi.advanceTimersByTime(100);
    expect(batches.length).toBe(2);
  });

  it("ignores node_modules and dot-names anywhere by default", () => {
    expect(["node_modules/x.js", "a/node_modules/b", ".git/HEAD", "a/.b.swp", "a/b.css"].map(ignoredByDefault)).toEqual(
      [true, true, true, true, false],
    );
  });
});

describe("the event stream", () => {
  const serve = (prefix = "", heartbeatMs = 60_000) => {
    const feed = changeFeed({ quietMs: 1 });
    const handler = createHandler({
      fs: memoryFileSystem({ "a.css": "" }),
      prefix,
      liveReload: { changes: feed, heartbeatMs },
    });
    return { feed, handler };
  };
  const reader = (response: Response) => {
    const stream = (response.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    return async () => {
      const { value, done } = await stream.read();
      return done ? null : decoder.decode(value);
    };
  };

  it("is text/event-stream, never cached, and names stylesheets apart from other changes", async () => {
    const { feed, handler } = serve("/site");
    const abort = new AbortController();
    const response = await handler(new Request("http://localhost/site/.simplehttp/live", { signal: abort.signal }));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
    expect(response.headers.get("cache-control")).toBe("no-store");
    const next = reader(response);
    expect(await next()).toBe("retry: 1000\n: live reload\n\n");
    feed.changed("css/Site.CSS");
    feed.changed("index.html");
    expect(await next()).toBe(
      'event: css\ndata: ["/site/css/Site.CSS"]\n\nevent: change\ndata: ["/site/index.html"]\n\n',
    );
    feed.changed(null);
    expect(await next()).toBe("event: change\ndata: null\n\n");
    abort.abort();
    expect(await next()).toBeNull();
  });

  it("sends a comment every heartbeatMs while nothing changes", async () => {
    const { handler } = serve("", 5);
    const abort = new AbortController();
    const next = reader(await handler(new Request("http://localhost/.simplehttp/live", { signal: abort.signal })));
    await next();
    expect(await next()).toBe(": \n\n");
    abort.abort();
  });

  it("stops listening to the changes when the client cancels the body, or goes (its signal)", async () => {
    let listening = 0;
    const changes = {
      subscribe: () => {
        listening++;
        return () => void listening--;
      },
    };
    const handler = createHandler({ fs: memoryFileSystem({}), liveReload: { changes } });
    const cancelled = await handler(new Request("http://localhost/.simplehttp/live"));
    const abort = new AbortController();
    const gone = await handler(new Request("http://localhost/.simplehttp/live", { signal: abort.signal }));
    expect(listening).toBe(2);
    await cancelled.body?.cancel();
    expect(listening).toBe(1);
    abort.abort();
    expect(listening).toBe(0);
    expect(await gone.text()).toBe("retry: 1000\n: live reload\n\n");
  });

  it("is a HEAD without a body, and only under the prefix; off, the path is a plain 404", async () => {
    const { handler } = serve("/site");
    const head = await handler(new Request("http://localhost/site/.simplehttp/live", { method: "HEAD" }));
    expect([head.status, head.headers.get("content-type"), await head.text()]).toEqual([
      200,
      "text/event-stream; charset=utf-8",
      "",
    ]);
    expect((await handler(new Request("http://localhost/.simplehttp/live"))).status).toBe(404);
    const off = createHandler({ fs: memoryFileSystem({}) });
    expect((await off(new Request("http://localhost/.simplehttp/live"))).status).toBe(404);
  });
});
