import { closeSync, fsyncSync, readlinkSync, symlinkSync, type Stats } from "node:fs";
import { applyAttributesToFd } from "./file_attributes.ts";
import { copyFileInto } from "./install_file.ts";
import { createExclusive, openChecked } from "./no_follow.ts";

/**
 * Keeps what is at `path` (`stat` is its lstat) as `<path>.<UTC time>~` before it is replaced: a
 * file is copied with its mode, a symbolic link is copied as a link (its target is never read).
 * Returns the copy's path.
 */
export function backupFile(path: string, stat: Stats, now = new Date()): string {
  const stamp = now.toISOString().replace(/[:.]/g, "-");
  const backup = `${path}.${stamp}~`;
  if (stat.isSymbolicLink()) {
    symlinkSync(readlinkSync(path), backup);
    return backup;
  }
  const from = openChecked(path, stat);
  try {
    const to = createExclusive(backup);
    try {
      copyFileInto(to, from);
      applyAttributesToFd(to, { mode: stat.mode & 0o7777 });
      fsyncSync(to);
    } finally {
      closeSync(to);
    }
  } finally {
    closeSync(from);
  }
  return backup;
}
