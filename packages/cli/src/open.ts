/**
 * `--open`: hands the URL to the system's opener, which starts the default browser.
 *
 * @module
 */
import { spawn } from "node:child_process";

/** The opener of a platform: `open` on macOS, `cmd /c start` on Windows, `xdg-open` elsewhere. */
export function opener(platform: NodeJS.Platform, url: string): { command: string; args: string[] } {
  if (platform === "darwin") return { command: "open", args: [url] };
  // `start` takes its first quoted argument as a window title, hence the empty one.
  if (platform === "win32") return { command: "cmd", args: ["/c", "start", '""', url] };
  return { command: "xdg-open", args: [url] };
}

/**
 * Opens `url` without waiting for the browser. When there is no opener, or it fails, `report`
 * gets one line and serving goes on: a missing browser is no reason to stop.
 */
export function openBrowser(
  url: string,
  report: (line: string) => void,
  platform: NodeJS.Platform = process.platform,
): void {
  const { command, args } = opener(platform, url);
  let reported = false;
  const failed = (why: string): void => {
    // A spawn failure may be followed by an exit event: one line is enough.
    if (!reported) report(`simplehttp: could not open a browser (${why}); open ${url} yourself`);
    reported = true;
  };
  try {
    const child = spawn(command, args, {
      stdio: "ignore",
      detached: platform !== "win32",
      windowsVerbatimArguments: platform === "win32",
    });
    child.once("error", (error: NodeJS.ErrnoException) =>
      failed(error.code === "ENOENT" ? `${command} not found` : error.message),
    );
    child.once("exit", (code) => {
      if (code !== null && code !== 0) failed(`${command} exited with ${code}`);
    });
    // The browser may outlive the server; the server must not wait for it. (Deno's child has
    // nothing to unref when the spawn failed; its error event still reports why.)
    try {
      child.unref();
    } catch {}
  } catch (error) {
    failed(error instanceof Error ? error.message : String(error));
  }
}
