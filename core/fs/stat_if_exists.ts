import { lstatSync, statSync, type Stats } from "node:fs";

/** The path's own lstat, or undefined when nothing is there (or a parent is not a directory). Other errors throw. */
export function lstatIfExists(path: string): Stats | undefined {
  return ifExists(() => lstatSync(path));
}

/** stat with links followed; undefined as for lstatIfExists, and for a dangling link. */
export function statIfExists(path: string): Stats | undefined {
  return ifExists(() => statSync(path));
}

function ifExists(read: () => Stats): Stats | undefined {
  try {
    return read();
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return undefined;
    throw e;
  }
}
