import { writeSync } from "node:fs";

/**
 * Writes every byte of `data` to `fd`, looping on the short writes a nearly full disk or a
 * signal gives; a write that fails (ENOSPC, EIO) throws.
 */
export function writeAll(fd: number, data: Uint8Array): void {
  let offset = 0;
  while (offset < data.byteLength) {
    const written = writeSync(fd, data, offset, data.byteLength - offset);
    if (written <= 0) throw Object.assign(new Error("no space left on device"), { code: "ENOSPC" });
    offset += written;
  }
}
