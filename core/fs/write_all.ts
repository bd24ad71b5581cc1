import { writeSync } from "node:fs";

/**
 * Writes every byte of `data` to `fd`: write(2) may take only part of it (a disk filling up does
 * that before it fails), so it loops. A failure names `path`, which a write on a descriptor cannot.
 */
export function writeAll(fd: number, data: Uint8Array, path: string): void {
  try {
    for (let offset = 0; offset < data.length;) offset += writeSync(fd, data, offset);
  } catch (e) {
    throw namePath(e, path);
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
