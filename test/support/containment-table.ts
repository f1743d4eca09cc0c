/**
 * The containment table: one list of cases, run directly against every disk adapter's
 * `FileSystem` (not over HTTP), each under Linux's /proc check and under the portable one: the
 * Node and Bun adapters (@simplehttp/disk) and the Deno adapter, which follow one rule (written in
 * packages/disk/src/open.ts). containment-probe.ts runs the steps in the runtime under test;
 * containment-suite.ts writes the tree and checks what each step answered.
 *
 * Pure data: this module is loaded by Node, Bun and Deno alike, so it imports nothing.
 */

/** The tree under the temporary base, for the cases below (containment-suite.ts writes it). */
export const TEXT = "hello from inside the root\n";
export const INNER = "inner file\n";
export const FLAP = "flap inside\n";
export const RAW = "not UTF-8\n";
export const SECRET = "SECRET outside the root\n";
export const SECRET2 = "SECRET2 in a directory outside\n";
export const TWIN = "SECRET of the root's twin\n";
/** Larger than every adapter's small-body threshold (Node's is 256 KiB): its own large body. */
export const BIG = "inside ".repeat(50_000);
/** A name that is not UTF-8 (the byte 0xFF), as the core carries it. */
export const RAW_NAME = "inv\uDCFFalid.txt";

/** What a step answered: a kind, a body's text (see {@link shown}), names, or an error's code. */
export type Outcome = string | string[] | null;

/**
 * Replace the link (or file, or directory) `at` by a symlink to `to`, atomically: the link is made
 * beforehand outside the root (Deno makes no symlink without permission on the whole disk) and
 * renamed into place.
 */
export interface Swap {
  at: string;
  to: string;
}

/** One call, and what it must answer (`is`; `deno` where Deno answers otherwise). */
export type Step =
  | { stat: string; is: Outcome; deno?: Outcome }
  /** Bytes 0 to `bytes` - 1 (5 unless given; every file of the tree has at least 5). */
  | { read: string; bytes?: number; is: Outcome; deno?: Outcome }
  | { readDir: string; is: Outcome; deno?: Outcome }
  /** Directories are moved out of the root first, so they are neither listed nor deleted. */
  | { swap: Swap }
  /** Lets the event loop turn: whatever stat() held and no read took is closed. */
  | { tick: true }
  /** The runtime's verified open of `open`, running `before` and `after` around its realpath. */
  | { open: string; before?: Swap[]; after?: Swap[]; is: Outcome };

export interface Case {
  name: string;
  followSymlinks?: boolean;
  steps: Step[];
}

/** A body's text as a step reports it: whole when short, else its start and length. */
export function shown(text: string): string {
  return text.length <= 40 ? text : `${text.slice(0, 16)}… (${text.length} bytes)`;
}

const first = (text: string): string => text.slice(0, 5);
const LISTED = ["big.txt", "dir", "dir-link", "fifo", "fifo-link", "flap", "flap-list", "flip", "flip-big"];
const LISTED_TOO = ["inside-link.txt", "race-2-target", "replaced.txt", "roundtrip.txt", "socket", "t.txt"];
const RAW_LISTED = [RAW_NAME, "raw-link.txt"];
const ESCAPING = ["escape-abs.txt", "escape-dir", "escape.txt", "prefix-trick.txt", "race-1", "race-2"];
const sorted = (...names: string[][]): string[] => names.flat().sort();

export const CASES: Case[] = [
  // The listings first: the cases after them swap links and directories.
  {
    name: "the root's listing leaves out links that lead out, dangle or loop",
    steps: [{ readDir: "", is: sorted(LISTED, LISTED_TOO, RAW_LISTED), deno: sorted(LISTED, LISTED_TOO) }],
  },
  {
    name: "followSymlinks: the root's listing has the links out, still not the dangling or looping ones",
    followSymlinks: true,
    steps: [
      {
        readDir: "",
        is: sorted(LISTED, LISTED_TOO, RAW_LISTED, ESCAPING),
        // Deno reaches raw-link.txt by its own name, and opens it without asking where it leads.
        deno: sorted(LISTED, LISTED_TOO, ["raw-link.txt"], ESCAPING),
      },
    ],
  },
  {
    name: "a link to a file outside the root is absent, and read() refuses it on its own",
    steps: ["escape.txt", "escape-abs.txt", "dir/up.txt", "prefix-trick.txt"].flatMap((path): Step[] => [
      { stat: path, is: null },
      { read: path, is: "ENOENT" },
    ]),
  },
  {
    name: "a link to a directory outside the root is absent, unreadable and unlisted",
    steps: [
      { stat: "escape-dir", is: null },
      { stat: "escape-dir/secret2.txt", is: null },
      { read: "escape-dir/secret2.txt", is: "ENOENT" },
      { readDir: "escape-dir", is: "ENOENT" },
    ],
  },
  {
    name: "a link inside the root is served, even one whose text leaves the root and comes back",
    steps: [
      { stat: "inside-link.txt", is: "file" },
      { read: "inside-link.txt", is: first(TEXT) },
      { read: "roundtrip.txt", is: first(TEXT) },
      { stat: "dir-link", is: "directory" },
      { read: "dir-link/inner.txt", is: first(INNER) },
      { readDir: "dir-link", is: ["inner.txt"] },
    ],
  },
  {
    name: "a dangling or looping link is absent, and read() and readDir() refuse it",
    steps: [
      { stat: "dangling", is: null },
      { stat: "loop-a", is: null },
      { stat: "loop-a/x", is: null },
      { read: "dangling", is: "ENOENT" },
      { read: "loop-a", is: "ELOOP" },
      { readDir: "loop-a", is: "ENOENT" },
    ],
  },
  {
    name: "a FIFO, and a link to it, is another kind of thing, and read() refuses it without waiting for a writer",
    steps: [
      { stat: "fifo", is: "other" },
      { read: "fifo", is: "ENOENT" },
      { stat: "fifo-link", is: "other" },
      { read: "fifo-link", is: "ENOENT" },
      { readDir: "fifo", is: "ENOTDIR" },
    ],
  },
  {
    name: "a UNIX socket is another kind of thing, and read() refuses it",
    steps: [
      { stat: "socket", is: "other" },
      { read: "socket", is: "ENOENT" },
    ],
  },
  {
    name: "read() refuses a directory, and a path through a file is absent",
    steps: [
      { read: "dir", is: "ENOENT" },
      { stat: "t.txt/x", is: null },
      { read: "t.txt/x", is: "ENOTDIR" },
    ],
  },
  {
    name: "a body larger than every small-body threshold comes whole through the adapter's large body",
    steps: [{ read: "big.txt", bytes: BIG.length, is: shown(BIG) }],
  },
  {
    name: "a name that is not UTF-8 is served by its bytes; Deno, which cannot spell it, answers it absent",
    steps: [
      { stat: RAW_NAME, is: "file", deno: "ENOENT" },
      { read: RAW_NAME, is: first(RAW), deno: "ENOENT" },
      { stat: "raw-link.txt", is: "file", deno: null },
      { read: "raw-link.txt", is: first(RAW), deno: "ENOENT" },
    ],
  },
  {
    name: "a link swapped out of the root after stat(): read() sends the file stat() held, then refuses",
    steps: [
      { stat: "flip", is: "file" },
      { swap: { at: "flip", to: "../secret.txt" } },
      { read: "flip", is: first(TEXT) },
      { tick: true },
      { read: "flip", is: "ENOENT" },
      { stat: "flip", is: null },
    ],
  },
  {
    name: "the same with a large body, which Bun opens again by the name the check found",
    steps: [
      { stat: "flip-big", is: "file" },
      { swap: { at: "flip-big", to: "../secret.txt" } },
      { read: "flip-big", bytes: BIG.length, is: shown(BIG) },
      { tick: true },
      { read: "flip-big", bytes: BIG.length, is: "ENOENT" },
    ],
  },
  {
    name: "a directory swapped for a link out after stat(): readDir() and read() refuse",
    steps: [
      { stat: "flap-list", is: "directory" },
      { swap: { at: "flap-list", to: "../outside" } },
      { readDir: "flap-list", is: "ENOENT" },
      { stat: "flap-list/secret2.txt", is: null },
      { read: "flap-list/secret2.txt", is: "ENOENT" },
    ],
  },
  {
    name: "a file held by stat() whose directory is then swapped for a link out: the held file, then a refusal",
    steps: [
      { stat: "flap/a.txt", is: "file" },
      { swap: { at: "flap", to: "../outside" } },
      { read: "flap/a.txt", is: first(FLAP) },
      { tick: true },
      { read: "flap/a.txt", is: "ENOENT" },
    ],
  },
  {
    name: "the verified open refuses a link out swapped back inside between the open and the check",
    steps: [
      { open: "t.txt", is: first(TEXT) },
      { open: "race-1", before: [{ at: "race-1", to: "t.txt" }], is: "ENOENT" },
    ],
  },
  {
    // stat() would follow the new link to the very file opened, and match; lstat sees a link.
    name: "the verified open refuses a real path swapped for a link to the opened file between realpath and lstat",
    steps: [
      {
        open: "race-2",
        before: [{ at: "race-2", to: "race-2-target" }],
        after: [{ at: "race-2-target", to: "../secret.txt" }],
        is: "ENOENT",
      },
    ],
  },
  {
    // As a write renames a new version over a file (the portable check's hook swaps it after the
    // realpath; with /proc nothing is swapped, and the file, of the same text, is read as it is).
    name: "the verified open opens again a file replaced between the open and the check, never refusing it",
    steps: [{ open: "replaced.txt", after: [{ at: "replaced.txt", to: "t.txt" }], is: first(TEXT) }],
  },
  {
    name: "followSymlinks: links out are served, dangling and looping links, FIFOs and sockets still are not",
    followSymlinks: true,
    steps: [
      { stat: "escape.txt", is: "file" },
      { read: "escape.txt", is: first(SECRET) },
      { read: "escape-dir/secret2.txt", is: first(SECRET2) },
      { readDir: "escape-dir", is: ["a.txt", "secret2.txt"] },
      { stat: "dangling", is: null },
      { read: "loop-a", is: "ELOOP" },
      { stat: "fifo", is: "other" },
      { read: "fifo", is: "ENOENT" },
      { read: "socket", is: "ENOENT" },
    ],
  },
];

/** Every swap of the table, in order: the link made ahead for swap `i` is `swaps/<i>` under the base. */
export const SWAPS: Swap[] = CASES.flatMap(({ steps }) =>
  steps.flatMap((step) => {
    if ("swap" in step) return [step.swap];
    return "open" in step ? [...(step.before ?? []), ...(step.after ?? [])] : [];
  }),
);
