/**
 * The parts of targets.ts that need no server: the routes made, the verdict on segments as sent,
 * and what the fallback can still tell from a normalised URL.
 */
import { describe, expect, it } from "vitest";
import { depthRoutes, loggedTarget, MAX_DEPTH, normalisedAway, sentTarget } from "../src/targets.ts";

describe("depthRoutes", () => {
  it("routes / and every depth up to MAX_DEPTH, with and without a trailing slash, to the one handler", () => {
    const handler = () => "answered";
    const routes = depthRoutes(handler);
    expect(Object.keys(routes)).toHaveLength(1 + 2 * MAX_DEPTH);
    expect(Object.keys(routes).slice(0, 5)).toEqual(["/", "/:s1", "/:s1/", "/:s1/:s2", "/:s1/:s2/"]);
    expect(Object.values(routes).every((each) => each === handler)).toBe(true);
  });
});

describe("sentTarget", () => {
  it.each([
    [{ s1: "x", s2: "..", s3: "a.txt" }, "/x/../a.txt"],
    [{ s1: "docs", s2: ".", s3: "g.html" }, "/docs/./g.html"],
    [{ s1: "..\\..\\etc", s2: "passwd" }, "/..%5C..%5Cetc/passwd"],
    [{ s1: "a b", s2: ".." }, "/a%20b/.."],
  ])("gives the core a target it refuses for segments %j", (params, target) => {
    expect(sentTarget(params)).toBe(target);
  });

  it("gives nothing for segments the URL parser leaves as they are, so request.url stands", () => {
    expect(sentTarget({ s1: "docs", s2: "..a", s3: "a..b", s4: ".hidden" })).toBeUndefined();
    expect(sentTarget({})).toBeUndefined();
  });

  it("logs the segments as sent, once decoded", () => {
    expect(loggedTarget({ s1: "..\\..\\etc", s2: "passwd" })).toBe("/..\\..\\etc/passwd");
  });
});

describe("normalisedAway", () => {
  it("says a URL that matched no route yet shows no empty segment and is shallow lost one to the parser", () => {
    expect(normalisedAway("http://host/a/b")).toBe(true);
    expect(normalisedAway("http://host/")).toBe(true);
  });

  it("cannot tell when the URL still shows an empty segment or is deeper than the routes", () => {
    expect(normalisedAway("http://host/a//b")).toBe(false);
    expect(normalisedAway("http://host//a?x=1")).toBe(false);
    expect(normalisedAway(`http://host${"/d".repeat(MAX_DEPTH + 1)}`)).toBe(false);
    expect(normalisedAway(`http://host${"/d".repeat(MAX_DEPTH)}`)).toBe(true);
  });

  it("reads the path only, not the query", () => {
    expect(normalisedAway("http://host/a?next=//b")).toBe(true);
  });
});
