import { lstatSync, type Stats } from "node:fs";

/** The path's own lstat, or undefined when nothing is there (or a parent is not a directory). Other errors throw. */
export function lstatIfExists(path: string): Stats | undefined {
  try {
    return lstatSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return undefined;
    throw e;
  }
}
