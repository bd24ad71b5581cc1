import { readdirSync, rmSync, type Stats } from "node:fs";
import { inDirectoryOf } from "../core/fs/directory_handle.ts";
import { globMatches, GlobError, isGlob } from "../core/fs/glob_matches.ts";
import { realParentPath } from "../core/fs/no_follow.ts";
import { lstatIfExists } from "../core/fs/stat_if_exists.ts";
import { treeSize } from "../core/fs/walk_tree.ts";
import { ActionError, type ActionContext } from "../core/exec/action.ts";
import { fsFailure, fsTry, none, type Decision } from "./fs_action.ts";

/**
 * Nothing at `path` (or at any path the glob matches, with `glob`). Paths are taken where they
 * really are (parent links resolved) and a link is removed itself, never what it points at; a
 * glob does not walk into linked directories. Refuses an empty path; what else is refused is
 * judged before the check, for every action alike (core/security/step_safety.ts).
 */
export function decideAbsent(ctx: ActionContext, path: string, options: { force: boolean; glob: boolean }): Decision {
  if (path.trim() === "") throw new ActionError("danger", "Refusing to remove an empty path");
  const globbing = options.glob && isGlob(path);
  const targets = globbing ? matchesOf(path) : [fsTry("read", path, () => realParentPath(path))];
  const found = targets.flatMap((target) => {
    const stat = fsTry("read", target, () => lstatIfExists(target));
    return stat ? [{ path: target, stat }] : [];
  });
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

function matchesOf(pattern: string): string[] {
  try {
    return globMatches(pattern);
  } catch (e) {
    throw e instanceof GlobError ? fsFailure("read", e.path, e.reason) : e;
  }
}

function isEmptyDirectory(path: string): boolean {
  return fsTry("read", path, () => readdirSync(path).length === 0);
}

function kindOf(stat: Stats): "file" | "directory" | "link" {
  return stat.isSymbolicLink() ? "link" : stat.isDirectory() ? "directory" : "file";
}
