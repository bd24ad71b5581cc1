import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from "node:fs";
import { tempPathBeside } from "./temp_path.ts";

/** Writes a file so readers see the old content or the new, never half of it: temporary file, fsync, rename. */
export function writeFileAtomic(path: string, data: string | Uint8Array, mode = 0o644): void {
  const temporary = tempPathBeside(path);
  try {
    const fd = openSync(temporary, "wx", mode);
    try {
      writeSync(fd, typeof data === "string" ? Buffer.from(data) : data);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, path);
  } catch (e) {
    rmSync(temporary, { force: true });
    throw e;
  }
}
