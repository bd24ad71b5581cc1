import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from "node:fs";

/** Why a file was not read: the reason is a phrase that completes `Cannot read "PATH": ...`. */
export class UnreadableFileError extends Error {
  override name = "UnreadableFileError";
  constructor(
    readonly reason: "not_regular" | "too_large",
    message: string,
  ) {
    super(message);
  }
}

/**
 * Reads a regular file of at most `maxBytes`. A device (`/dev/zero`), a FIFO or a socket is
 * refused without reading, and a file that grows past the limit while being read is refused too,
 * so memory stays bounded whatever the path names. Filesystem errors are thrown as they are.
 */
export function readRegularFile(path: string, maxBytes: number): Buffer {
  // O_NONBLOCK: opening a FIFO must not wait for a writer before fstat can refuse it.
  const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw new UnreadableFileError("not_regular", `it is ${kindOf(stat)}, not a regular file`);
    if (stat.size > maxBytes) throw tooLarge(maxBytes, stat.size);
    let buffer = Buffer.allocUnsafe(Math.min(stat.size, maxBytes) + 1);
    let length = 0;
    for (;;) {
      if (length === buffer.length) {
        // The file grew since fstat: keep reading, up to one byte past the limit.
        if (length > maxBytes) throw tooLarge(maxBytes);
        const grown = Buffer.allocUnsafe(Math.min(length * 2, maxBytes + 1));
        buffer.copy(grown);
        buffer = grown;
      }
      const read = readSync(fd, buffer, length, buffer.length - length, null);
      if (read === 0) return buffer.subarray(0, length);
      length += read;
    }
  } finally {
    closeSync(fd);
  }
}

function tooLarge(maxBytes: number, size?: number): UnreadableFileError {
  return new UnreadableFileError("too_large", `${size === undefined ? "it" : formatMiB(size)} is over the ${formatMiB(maxBytes)} limit`);
}

/** What a path that is not a regular file is, as a phrase: `a directory`, `a character device`. */
export function kindOf(stat: Stats): string {
  if (stat.isDirectory()) return "a directory";
  if (stat.isCharacterDevice()) return "a character device";
  if (stat.isBlockDevice()) return "a block device";
  if (stat.isFIFO()) return "a named pipe";
  if (stat.isSocket()) return "a socket";
  return "a special file";
}

export function formatMiB(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
}
