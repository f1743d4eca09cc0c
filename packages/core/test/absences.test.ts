import { describe, expect, it } from "vitest";
import { rootAbsences, rootStateOf, SETTLED_MS } from "../src/index.js";

/** A root whose state and one name's presence the test sets, logging every call made. */
function fakeRoot() {
  const calls: string[] = [];
  const root = { state: "dev:ino:1", present: false, entry: false };
  const absences = rootAbsences(
    () => {
      calls.push("state");
      return root.state;
    },
    (name) => {
      calls.push(`entry ${name}`);
      return root.entry;
    },
  );
  const stat = (name: string) =>
    absences.statUnder(name, () => {
      calls.push(`stat ${name}`);
      return root.present ? { name } : null;
    });
  return { calls, root, stat, absences };
}

describe("rootAbsences: names missing under the root", () => {
  it("stats a name missed once every time, and reads the root's state only from the second miss", () => {
    const { calls, stat } = fakeRoot();
    expect(stat("404.html")).toBeNull();
    expect(calls).toEqual(["stat 404.html"]);
    expect(stat("404.html")).toBeNull();
    // The state first, then the stat, then whether an entry (a link leading nowhere) is there.
    expect(calls.slice(1)).toEqual(["state", "stat 404.html", "entry 404.html"]);
  });

  it("answers a name missed twice from the record while the root's state holds, without a stat", () => {
    const { calls, stat } = fakeRoot();
    stat("404.html");
    stat("404.html");
    calls.length = 0;
    expect(stat("404.html")).toBeNull();
    expect(stat("404.html")).toBeNull();
    expect(calls).toEqual(["state", "state"]);
  });

  it("stats again once the root's state changes, and finds a file created since", () => {
    const { calls, root, stat } = fakeRoot();
    stat("404.html");
    stat("404.html");
    root.state = "dev:ino:2";
    root.present = true;
    calls.length = 0;
    expect(stat("404.html")).toEqual({ name: "404.html" });
    expect(calls).toEqual(["state", "stat 404.html"]);
  });

  it("never records a name whose entry is there but leads nowhere yet (a link whose target may come)", () => {
    const { calls, root, stat } = fakeRoot();
    root.entry = true;
    for (let i = 0; i < 4; i++) stat("linked.html");
    expect(calls.filter((call) => call.startsWith("stat "))).toHaveLength(4);
  });

  it("records nothing while the root's state cannot be used", () => {
    const { calls, root, stat } = fakeRoot();
    root.state = "";
    for (let i = 0; i < 3; i++) stat("404.html");
    expect(calls.filter((call) => call.startsWith("stat "))).toHaveLength(3);
  });

  it("never records a path through a folder, which a link could replace without touching the root", () => {
    const { calls, stat } = fakeRoot();
    for (let i = 0; i < 3; i++) stat("sub/404.html");
    expect(calls).toEqual(["stat sub/404.html", "stat sub/404.html", "stat sub/404.html"]);
  });

  it("knows names missed twice are all still missing from one read of the root's state", () => {
    const { calls, root, stat, absences } = fakeRoot();
    for (const name of ["_redirects", "_headers"]) for (let i = 0; i < 2; i++) stat(name);
    calls.length = 0;
    expect(absences.allMissing(["_redirects", "_headers"])).toBe(true);
    expect(calls).toEqual(["state"]);
    root.state = "dev:ino:2"; // an entry made, removed or renamed under the root since
    expect(absences.allMissing(["_redirects", "_headers"])).toBe(false);
  });

  it("cannot tell that names are missing when one was never missed twice, or the root's state is unusable", () => {
    const { root, stat, absences } = fakeRoot();
    expect(absences.allMissing(["_redirects"])).toBe(false);
    stat("_redirects");
    stat("_redirects");
    stat("_headers");
    expect(absences.allMissing(["_redirects", "_headers"])).toBe(false);
    expect(absences.allMissing(["_redirects"])).toBe(true);
    root.state = "";
    expect(absences.allMissing(["_redirects"])).toBe(false);
  });

  it("takes no state whose time is less than a second old, nor one with no time", () => {
    const now = Date.now();
    expect(rootStateOf(1, 2, now - SETTLED_MS - 10)).toBe(`1:2:${now - SETTLED_MS - 10}`);
    expect(rootStateOf(1, 2, now - 10)).toBe("");
    expect(rootStateOf(1, 2, undefined)).toBe("");
  });
});
