import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { inDirectoryOf } from "../core/fs/directory_handle.ts";
import { missingDirectories } from "../core/fs/missing_directories.ts";
import type { ActionContext } from "../core/exec/action.ts";
import { fsTry } from "./fs_action.ts";

/** The parent directories `path` lacks; a file in their way fails the step as `Cannot <doing> ...`. */
export function missingParents(doing: string, path: string): string[] {
  return fsTry(doing, path, () => missingDirectories(dirname(path)));
}

/** Creates `dirs` (outermost first) with `mode` and reports each one. */
export function makeDirectories(ctx: ActionContext, dirs: readonly string[], mode = 0o755): void {
  for (const dir of dirs) {
    fsTry("create directory", dir, () => makeDirectory(dir, mode));
    ctx.fileChanged({ path: dir, operation: "created", size_bytes: 0, kind: "directory" });
  }
}

/** Creates one directory inside its parent held open, so a parent swapped for a link is not followed. */
export function makeDirectory(dir: string, mode = 0o755): void {
  inDirectoryOf(dir, (parent, name) => mkdirSync(parent.at(name), { mode }));
}

/** " (and 2 parent directories)" for a change's reason. */
export function parentsNote(dirs: readonly string[]): string {
  return dirs.length === 0 ? "" : ` (and ${dirs.length} parent ${dirs.length === 1 ? "directory" : "directories"})`;
}
