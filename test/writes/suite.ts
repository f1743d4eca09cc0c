/**
 * The write suite: the promises of issue 20's "Nothing lost, nothing half-written, nothing outside
 * the root", checked over real HTTP against a live server of each runtime (Node, Bun, Deno), as
 * test/conformance/suite.ts checks reads. Each runtime's file calls writeSafetySuite(); the cases
 * live beside this file, one file per promise. The browser's part (cross-site pages, sandboxed
 * uploads) is in test/browser/, and the threat model they prove in docs/security.md.
 */
import { rmSync } from "node:fs";
import { afterAll, beforeAll, describe } from "vitest";
import { abortedUploadCases } from "./aborted.ts";
import { concurrencyCases } from "./concurrency.ts";
import { crashCleanUpCase } from "./crash.ts";
import { crossSiteCases } from "./cross-site.ts";
import { writeFixture } from "./fixture.ts";
import { formNameCases } from "./form-names.ts";
import { fullDiskCases } from "./full-disk.ts";
import { publicReadCases } from "./public-read.ts";
import { MAX_UPLOAD, startWriteServer, type Targets, WRITER, type WriteRuntime, type WriteTargets } from "./targets.ts";
import { traversalCases } from "./traversal.ts";

/**
 * Registers the whole write suite for `runtime`.
 *
 * @example
 * ```ts
 * writeSafetySuite("deno");
 * ```
 */
export function writeSafetySuite(runtime: WriteRuntime): void {
  describe(`writes over HTTP, safely: ${runtime}`, () => {
    let started: WriteTargets | undefined;
    beforeAll(async () => {
      const fixture = writeFixture();
      const [full, createOnly, publicRead] = await Promise.all([
        startWriteServer(runtime, fixture.root, { write: { upload: true, delete: true, maxUploadSize: MAX_UPLOAD } }),
        startWriteServer(runtime, fixture.root, { write: { upload: true } }),
        startWriteServer(runtime, fixture.root, {
          write: { upload: true, delete: true },
          auth: { users: [WRITER], publicRead: true },
        }),
      ]);
      started = { ...fixture, full, createOnly, publicRead };
    }, 60_000);
    afterAll(async () => {
      await Promise.all([started?.full.stop(), started?.createOnly.stop(), started?.publicRead.stop()]);
      if (started !== undefined) rmSync(started.base, { recursive: true, force: true });
    });
    const targets: Targets = () => {
      if (started === undefined) throw new Error("the write servers did not start");
      return started;
    };

    traversalCases(targets);
    formNameCases(targets);
    concurrencyCases(targets);
    abortedUploadCases(targets);
    fullDiskCases(targets);
    crossSiteCases(targets);
    publicReadCases(targets);
    crashCleanUpCase(runtime);
  });
}
