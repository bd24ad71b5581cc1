import { constants, copyFileSync } from "node:fs";

/** Copies `path` to `<path>.<UTC time>~` (mode kept) before it is replaced; returns the copy's path. */
export function backupFile(path: string, now = new Date()): string {
  const stamp = now.toISOString().replace(/[:.]/g, "-");
  const backup = `${path}.${stamp}~`;
  copyFileSync(path, backup, constants.COPYFILE_EXCL);
  return backup;
}
