// The system-call floor of a directory listing with sizes and dates: one lstat per entry, timed
// from C so that no runtime's overhead is in the figure. A server that stats every entry cannot
// list the folder faster than this, whatever it is written in. Needs a C compiler (cc); without
// one the report says nothing of the floor.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { hasCommand, pinned } from "./proc.mjs";

const SOURCE = `
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
/* usage: lstat-floor DIR PASSES: prints the entries and the milliseconds of the fastest pass of
   readdir + one lstat per entry (by its full path, as a server does). */
int main(int argc, char **argv) {
  int passes = atoi(argv[2]), count = 0;
  double best = 1e9;
  char path[4096];
  size_t base = strlen(argv[1]);
  memcpy(path, argv[1], base);
  path[base++] = '/';
  for (int p = 0; p < passes; p++) {
    struct timespec a, b;
    struct stat st;
    clock_gettime(CLOCK_MONOTONIC, &a);
    DIR *dir = opendir(argv[1]);
    if (!dir) return 1;
    struct dirent *e;
    count = 0;
    while ((e = readdir(dir))) {
      if (e->d_name[0] == '.') continue;
      strncpy(path + base, e->d_name, sizeof path - base - 1);
      path[sizeof path - 1] = 0;
      if (lstat(path, &st) == 0) count++;
    }
    closedir(dir);
    clock_gettime(CLOCK_MONOTONIC, &b);
    double ms = (b.tv_sec - a.tv_sec) * 1e3 + (b.tv_nsec - a.tv_nsec) / 1e6;
    if (ms < best) best = ms;
  }
  printf("%d %.3f\\n", count, best);
  return 0;
}
`;

/** { entries, ms } for `dir` on `cpu` (fastest of 50 passes), or null without a C compiler. */
export function listingFloor(dir, cpu) {
  if (!hasCommand("cc")) return null;
  const work = mkdtempSync(join(tmpdir(), "simplehttp-floor-"));
  try {
    const exe = join(work, "lstat-floor");
    writeFileSync(`${exe}.c`, SOURCE);
    if (spawnSync("cc", ["-O2", "-o", exe, `${exe}.c`]).status !== 0) return null;
    const r = spawnSync(...pinned(cpu, exe, [dir, "50"]), { encoding: "utf8" });
    const [entries, ms] = r.stdout.trim().split(" ").map(Number);
    return Number.isFinite(ms) ? { entries, ms } : null;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
