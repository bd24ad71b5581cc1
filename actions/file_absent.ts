import { readdirSync, rmSync, type Stats } from "node:fs";
import { join } from "node:path";
import { inDirectoryOf } from "../core/fs/directory_handle.ts";
import { realParentPath, realPathOfExisting } from "../core/fs/no_follow.ts";
import { lstatIfExists } from "../core/fs/stat_if_exists.ts";
import { treeSize } from "../core/fs/walk_tree.ts";
import { ActionError, type ActionContext } from "../core/exec/action.ts";
import { fsFailure, fsTry, none, refuseDanger, type Decision } from "./fs_action.ts";

const GLOB_CHARACTERS = /[*?[\]{}]/;

/**
 * Nothing at `path` (or at any path the glob matches, with `glob`). Paths are taken where they
 * really are (parent links resolved) and a link is removed itself, never what it points at; a
 * glob does not walk into linked directories. Refuses an empty path and, without
 * --i-accept-danger, what `refuseDanger` protects.
 */
export function decideAbsent(ctx: ActionContext, path: string, options: { force: boolean; glob: boolean }): Decision {
  if (path.trim() === "") throw new ActionError("danger", "Refusing to remove an empty path");
  const globbing = options.glob && GLOB_CHARACTERS.test(path);
  const targets = globbing ? globMatches(path) : [fsTry("read", path, () => realParentPath(path))];
  const found = targets.flatMap((target) => {
    const stat = fsTry("read", target, () => lstatIfExists(target));
    return stat ? [{ path: target, stat }] : [];
  });
  refuseDanger(ctx, globbing ? targets : [path], { what: globbing ? "matches" : "entries" });
  if (found.length === 0) return none(globbing ? "no path matches the glob" : "already absent");
  for (const target of found) {
    if (target.stat.isDirectory() && !options.force && !isEmptyDirectory(target.path)) {
      throw fsFailure("remove directory", target.path, new Error("it is not empty (force: true removes it with its contents)"));
    }
  }
  return {
    change: { kind: "delete", reason: found.length === 1 ? `${kindOf(found[0]!.stat)} exists` : `${found.length} paths match`, detail: found.map((f) => f.path).join("\n") },
    make: () => {
      for (const target of found) {
        const size = fsTry("read", target.path, () => treeSize(target.path, target.stat));
        // Through the parent held open: a parent swapped for a link since the check is not followed.
        fsTry("remove", target.path, () => inDirectoryOf(target.path, (dir, name) => rmSync(dir.at(name), { recursive: target.stat.isDirectory(), force: true })));
        ctx.fileChanged({ path: target.path, operation: "removed", size_bytes: size, kind: kindOf(target.stat) });
      }
    },
  };
}

/** The glob's matches below the real path of its literal base, links listed but not entered. */
function globMatches(pattern: string): string[] {
  const parts = pattern.split("/");
  const firstGlob = parts.findIndex((part) => GLOB_CHARACTERS.test(part));
  const literalBase = parts.slice(0, firstGlob).join("/") || "/";
  const glob = new Bun.Glob(parts.slice(firstGlob).join("/"));
  const base = fsTry("read", literalBase, () => realPathOfExisting(literalBase));
  const matches = fsTry("list", base, () => (lstatIfExists(base)?.isDirectory() ? [...glob.scanSync({ cwd: base, dot: true, onlyFiles: false, followSymlinks: false })] : []));
  const paths = matches.map((m) => join(base, m)).sort();
  // A match inside another match goes with it.
  return paths.filter((p) => !paths.some((other) => p.startsWith(`${other}/`)));
}

function isEmptyDirectory(path: string): boolean {
  return fsTry("read", path, () => readdirSync(path).length === 0);
}

function kindOf(stat: Stats): "file" | "directory" | "link" {
  return stat.isSymbolicLink() ? "link" : stat.isDirectory() ? "directory" : "file";
}
