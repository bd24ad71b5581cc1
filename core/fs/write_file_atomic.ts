import { closeSync, fsyncSync, renameSync, rmSync } from "node:fs";
import { createExclusive } from "./no_follow.ts";
import { basename } from "node:path";
import { inDirectoryOf } from "./directory_handle.ts";
import { tempPathBeside } from "./temp_path.ts";
import { namePath, writeAll } from "./write_all.ts";

/**
 * Writes a file so readers see the old content or the new, never half of it: a new temporary
 * file (never one planted as a link), every byte written, fsync, rename over `path`. A failure
 * such as a full disk (ENOSPC) leaves the old file as it was and no temporary file behind, and
 * throws the system error with `path` set (a failed write(2) names no file).
 */
export function writeFileAtomic(path: string, data: string | Uint8Array, mode = 0o644): void {
  inDirectoryOf(path, (dir, name) => {
    const temporary = dir.at(basename(tempPathBeside(path)));
    try {
      const fd = createExclusive(temporary, mode);
      try {
        writeAll(fd, typeof data === "string" ? Buffer.from(data) : data, path);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      renameSync(temporary, dir.at(name));
    } catch (e) {
      rmSync(temporary, { force: true });
      throw namePath(e, path);
    }
  });
}
