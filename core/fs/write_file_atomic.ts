import { closeSync, fsyncSync, openSync, renameSync, rmSync } from "node:fs";
import { tempPathBeside } from "./temp_path.ts";
import { namePath, writeAll } from "./write_all.ts";

/**
 * Writes a file so readers see the old content or the new, never half of it: temporary file,
 * every byte written, fsync, rename. On failure the temporary file is removed and the error
 * carries `path` (a full disk fails a write(2), which names no file).
 */
export function writeFileAtomic(path: string, data: string | Uint8Array, mode = 0o644): void {
  const temporary = tempPathBeside(path);
  try {
    const fd = openSync(temporary, "wx", mode);
    try {
      writeAll(fd, typeof data === "string" ? Buffer.from(data) : data, path);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, path);
  } catch (e) {
    rmSync(temporary, { force: true });
    throw namePath(e, path);
  }
}
