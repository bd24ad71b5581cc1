import { closeSync, fsyncSync, openSync, readSync, renameSync, rmSync } from "node:fs";
import { basename } from "node:path";
import { applyAttributesToFd, type WantedAttributes } from "./file_attributes.ts";
import { createExclusive, openNoFollow } from "./no_follow.ts";
import { inDirectoryOf } from "./directory_handle.ts";
import { tempPathBeside } from "./temp_path.ts";
import { writeAll } from "./write_all.ts";

export type InstallAttributes = WantedAttributes & { mode: number };

/**
 * Creates a new temporary file beside `dest` (exclusively, so nothing planted there is written
 * through, and in the directory held open by inDirectoryOf, so a parent swapped for a link
 * meanwhile is not followed), lets `fill` write it through its descriptor, gives it its mode and owner, syncs it
 * to disk and renames it over `dest`. Readers see the old file or the new one; a link at `dest`
 * is replaced, never written through; a failure (a full disk) leaves the old file untouched
 * and no temporary file behind.
 */
export function installFile(dest: string, fill: (fd: number) => unknown, attributes: InstallAttributes): Promise<void> {
  return inDirectoryOf(dest, async (dir, name) => {
    const temporary = dir.at(basename(tempPathBeside(dest)));
    let fd: number | undefined;
    try {
      fd = createExclusive(temporary);
      await fill(fd);
      finish(fd, attributes);
      closeSync(fd);
      fd = undefined;
      renameSync(temporary, dir.at(name));
    } catch (e) {
      if (fd !== undefined) closeSync(fd);
      rmSync(temporary, { force: true });
      throw e;
    }
  });
}

/** Gives a finished temporary file (written by us, opened without following links) its mode and owner, syncs it and renames it over `dest`. */
export function installTemporary(temporary: string, dest: string, attributes: InstallAttributes): void {
  const fd = openNoFollow(temporary);
  try {
    finish(fd, attributes);
  } finally {
    closeSync(fd);
  }
  renameSync(temporary, dest);
}

/** Copies the content of `source` (an open descriptor, or a path opened with links followed: it is only read) into `fd`. */
export function copyFileInto(fd: number, source: string | number): void {
  const from = typeof source === "number" ? source : openSync(source, "r");
  const buffer = Buffer.allocUnsafe(1 << 20);
  try {
    for (let n = readSync(from, buffer); n > 0; n = readSync(from, buffer)) writeAll(fd, buffer.subarray(0, n));
  } finally {
    if (from !== source) closeSync(from);
  }
}

function finish(fd: number, attributes: InstallAttributes): void {
  applyAttributesToFd(fd, attributes);
  fsyncSync(fd);
}
