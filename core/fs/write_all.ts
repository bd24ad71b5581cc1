import { writeSync } from "node:fs";

/**
 * Writes every byte of `data` to `fd`, looping on the short writes a nearly full disk or a
 * signal gives; a write that fails (ENOSPC, EIO) throws, naming `path` when given (a write on a
 * descriptor names no file).
 */
export function writeAll(fd: number, data: Uint8Array, path?: string): void {
  try {
    let offset = 0;
    while (offset < data.byteLength) {
      const written = writeSync(fd, data, offset, data.byteLength - offset);
      if (written <= 0) throw Object.assign(new Error("no space left on device"), { code: "ENOSPC", syscall: "write" });
      offset += written;
    }
  } catch (e) {
    throw path === undefined ? e : namePath(e, path);
  }
}

/** The error with `path` set and said in its message, when it had none. */
export function namePath(e: unknown, path: string): unknown {
  const error = e as NodeJS.ErrnoException;
  if (!(e instanceof Error) || error.path !== undefined) return e;
  error.path = path;
  error.message = `${error.message} '${path}'`;
  return error;
}
