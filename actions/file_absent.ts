import { readdirSync, rmSync, type Stats } from "node:fs";
import { lstatIfExists } from "../core/fs/stat_if_exists.ts";
import { treeSize } from "../core/fs/walk_tree.ts";
import { removalDanger } from "../core/security/danger.ts";
import { ActionError, type ActionContext } from "../core/exec/action.ts";
import { fsFailure, fsTry, none, type Decision } from "./fs_action.ts";

const GLOB_CHARACTERS = /[*?[\]{}]/;

/**
 * Nothing at `path` (or at any path the glob matches, with `glob`). Refuses an empty path and,
 * without --i-accept-danger, the root, system directories and the home directory.
 */
export function decideAbsent(ctx: ActionContext, path: string, options: { force: boolean; glob: boolean }): Decision {
  if (path.trim() === "") throw new ActionError("danger", "Refusing to remove an empty path");
  const targets = options.glob && GLOB_CHARACTERS.test(path) ? globMatches(path) : [path];
  const found = targets.flatMap((target) => {
    const stat = fsTry("read", target, () => lstatIfExists(target));
    return stat ? [{ path: target, stat }] : [];
  });
  for (const target of [...targets, ...found.map((f) => f.path)]) refuseDanger(ctx, target);
  if (found.length === 0) return none(targets.length === 1 && targets[0] === path ? "already absent" : "no path matches the glob");
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
        fsTry("remove", target.path, () => rmSync(target.path, { recursive: target.stat.isDirectory(), force: true }));
        ctx.fileChanged({ path: target.path, operation: "removed", size_bytes: size, kind: kindOf(target.stat) });
      }
    },
  };
}

function refuseDanger(ctx: ActionContext, path: string): void {
  const danger = removalDanger(path);
  if (danger && !ctx.acceptDanger) throw new ActionError("danger", `Refusing to remove "${path}": ${danger} (run with --i-accept-danger to allow it)`);
}

function globMatches(pattern: string): string[] {
  const parts = pattern.split("/");
  const firstGlob = parts.findIndex((part) => GLOB_CHARACTERS.test(part));
  const base = parts.slice(0, firstGlob).join("/") || "/";
  const rest = parts.slice(firstGlob).join("/");
  const glob = new Bun.Glob(rest);
  const matches = fsTry("list", base, () => (lstatIfExists(base) ? [...glob.scanSync({ cwd: base, dot: true, onlyFiles: false, followSymlinks: false })] : []));
  const paths = matches.map((m) => (base === "/" ? `/${m}` : `${base}/${m}`)).sort();
  // A match inside another match goes with it.
  return paths.filter((p) => !paths.some((other) => p.startsWith(`${other}/`)));
}

function isEmptyDirectory(path: string): boolean {
  return fsTry("read", path, () => readdirSync(path).length === 0);
}

function kindOf(stat: Stats): "file" | "directory" | "link" {
  return stat.isSymbolicLink() ? "link" : stat.isDirectory() ? "directory" : "file";
}
