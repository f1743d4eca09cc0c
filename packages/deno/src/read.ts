/**
 * Reading a byte range of a `Deno.FsFile`, and Deno's errors in the POSIX terms the core maps.
 *
 * @module
 */

// Big enough that a 3 MiB file is a couple of dozen reads, small enough to keep memory flat.
const CHUNK_SIZE = 128 * 1024;

/**
 * The error with a POSIX `code` (`ENOENT`, `EACCES`, …), which the core turns into a status. Deno's
 * OS errors already carry one; a refusal of Deno's own permission system (`NotCapable`) does not.
 *
 * @example try { await Deno.stat(path); } catch (error) { throw errorWithCode(error); }
 */
export function errorWithCode(error: unknown): unknown {
  if (!(error instanceof Error) || "code" in error) return error;
  const code = error instanceof Deno.errors.NotCapable || error instanceof Deno.errors.PermissionDenied ? "EACCES"
    : error instanceof Deno.errors.NotFound ? "ENOENT"
    : error instanceof Deno.errors.NotADirectory ? "ENOTDIR"
    : error instanceof Deno.errors.FilesystemLoop ? "ELOOP"
    : undefined;
  return code === undefined ? error : Object.assign(error, { code });
}

/**
 * Opens `path` for reading, positioned at `start`; the file is closed again if that fails.
 *
 * @example const file = await openAt("/srv/www/video.mp4", 1_000_000);
 */
export async function openAt(path: string, start: number): Promise<Deno.FsFile> {
  let file: Deno.FsFile | undefined;
  try {
    file = await Deno.open(path, { read: true });
    if (start > 0) await file.seek(start, Deno.SeekMode.Start);
    return file;
  } catch (error) {
    file?.close();
    throw errorWithCode(error);
  }
}

/**
 * The next `length` bytes of `file` in one buffer (fewer if the file shrank since it was stat'ed).
 *
 * @example try { return await readExactly(file, 100); } finally { file.close(); }
 */
export async function readExactly(file: Deno.FsFile, length: number): Promise<Uint8Array<ArrayBuffer>> {
  const bytes = new Uint8Array(length);
  let filled = 0;
  while (filled < length) {
    const count = await file.read(bytes.subarray(filled));
    if (count === null) break; // end of file
    filled += count;
  }
  return filled === length ? bytes : bytes.slice(0, filled);
}

/**
 * The next `length` bytes of `file` as a stream that owns the file: it closes it when the last
 * byte is read, on a read error, and when the response body is cancelled (the client went away).
 *
 * @example return new Response(boundedStream(await openAt(path, start), end - start + 1));
 */
export function boundedStream(file: Deno.FsFile, length: number): ReadableStream<Uint8Array<ArrayBuffer>> {
  let remaining = length;
  let open = true;
  const close = (): void => {
    if (open) {
      open = false;
      file.close(); // a read still in flight then fails, and pull() swallows that
    }
  };
  return new ReadableStream<Uint8Array<ArrayBuffer>>({
    async pull(controller) {
      try {
        const chunk = new Uint8Array(Math.min(CHUNK_SIZE, remaining));
        const count = await file.read(chunk);
        if (count === null) {
          // The file shrank: end early, and the runtime cuts the connection short of Content-Length.
          close();
          controller.close();
          return;
        }
        remaining -= count;
        controller.enqueue(count === chunk.length ? chunk : chunk.slice(0, count));
        if (remaining === 0) {
          close();
          controller.close();
        }
      } catch (error) {
        close();
        controller.error(error); // a no-op when the stream was cancelled meanwhile
      }
    },
    cancel: close,
  });
}
