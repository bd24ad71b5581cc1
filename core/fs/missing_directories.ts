import { statSync } from "node:fs";
import { dirname } from "node:path";

/**
 * The directories to create so that `dir` exists, outermost first ([] when it exists). Throws
 * `"<ancestor>" is a file, not a directory` when something other than a directory is in the way.
 */
export function missingDirectories(dir: string): string[] {
  const missing: string[] = [];
  for (let current = dir; ; current = dirname(current)) {
    let isDirectory: boolean;
    try {
      isDirectory = statSync(current).isDirectory();
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === "ENOENT" && dirname(current) !== current) {
        missing.unshift(current);
        continue;
      }
      if (code !== "ENOTDIR") throw e;
      isDirectory = false;
    }
    if (isDirectory) return missing;
    throw new Error(`"${current}" is a file, not a directory`);
  }
}
