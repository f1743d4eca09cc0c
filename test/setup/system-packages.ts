/**
 * The system programs the test suite needs beyond Node and npm, and their installation.
 *
 * The README's test command runs this first (`pnpm test` → `tsx test/setup/system-packages.ts`):
 * a fresh machine has Node and npm and nothing else, so whatever a test spawns that is not an npm
 * package is installed here from Debian's packages, and found by tests through {@link toolPath}
 * at the path the package puts it, never by hoping it is on the PATH. moto, the S3 tests' local
 * store, is a Python package: it is installed into a virtual environment when none is found
 * (test/support/moto-install.ts).
 *
 * @module
 */
import { fileURLToPath } from "node:url";
import { provideMoto } from "../support/moto-install.ts";
import { aptInstall, executable } from "./apt.ts";

export { executable } from "./apt.ts";

/** A program a test runs, and the Debian package that brings it. */
export interface SystemTool {
  /** Where the package installs it. */
  path: string;
  /** The Debian package. */
  debianPackage: string;
  /** Which tests need it, for the message when it cannot be installed. */
  usedBy: string;
}

export const SYSTEM_TOOLS = {
  strace: {
    path: "/usr/bin/strace",
    debianPackage: "strace",
    usedBy: "packages/bun/test/bun.test.ts (Bun sends files with sendfile)",
  },
  chromium: {
    path: "/usr/bin/chromium",
    debianPackage: "chromium",
    usedBy: "test/browser/ (the listing page in a real browser, through playwright-core)",
  },
  python3: {
    path: "/usr/bin/python3",
    debianPackage: "python3",
    usedBy:
      "test/browser/large-folder.test.ts (Python's http.server, the reference a listing's load is measured against)",
  },
  script: {
    path: "/usr/bin/script",
    debianPackage: "bsdutils",
    usedBy: "packages/cli/test/terminal.test.ts (the command under a pseudo-terminal)",
  },
  rclone: {
    path: "/usr/bin/rclone",
    debianPackage: "rclone",
    usedBy: "packages/cli/test/webdav.test.ts (rclone's webdav backend copies a folder up and back)",
  },
  cadaver: {
    path: "/usr/bin/cadaver",
    debianPackage: "cadaver",
    usedBy: "packages/cli/test/webdav.test.ts (a WebDAV command-line client, driven through its stdin)",
  },
} as const satisfies Record<string, SystemTool>;

export type ToolName = keyof typeof SYSTEM_TOOLS;

/**
 * The absolute path of a tool the set-up installs. Throws, saying how to get it, when it is
 * missing: a test that needs it fails rather than skips, since any machine can install it.
 */
export function toolPath(name: ToolName): string {
  const tool: SystemTool = SYSTEM_TOOLS[name];
  if (!executable(tool.path)) {
    throw new Error(
      `${tool.path} is missing: the README's test command installs it ` +
        `(apt-get install ${tool.debianPackage}); needed by ${tool.usedBy}`,
    );
  }
  return tool.path;
}

/** Installs every missing tool with apt-get (as root, or through passwordless sudo). */
function installMissing(): void {
  const missing = Object.values(SYSTEM_TOOLS).filter((tool) => !executable(tool.path));
  if (missing.length === 0) return;
  const packages = [...new Set(missing.map((tool) => tool.debianPackage))];
  console.log(`Installing what the tests need from Debian's packages: ${packages.join(" ")}`);
  const refused = aptInstall(packages);
  if (refused !== undefined) {
    console.error(`simplehttp tests need: ${missing.map((tool) => `${tool.path} (${tool.usedBy})`).join("; ")}`);
    console.error(refused);
    process.exit(1);
  }
  const still = missing.filter((tool) => !executable(tool.path));
  if (still.length > 0) {
    console.error(`still missing after apt-get: ${still.map((tool) => tool.path).join(", ")}`);
    process.exit(1);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  installMissing();
  // After the system's packages: moto may need Debian's python3-venv to be installed.
  const failed = provideMoto();
  if (failed !== undefined) {
    console.error(failed);
    process.exit(1);
  }
}
