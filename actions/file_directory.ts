import { chmodSync, mkdirSync, statSync, type Stats } from "node:fs";
import { applyAttributes, attributeDifferences, type WantedAttributes } from "../core/fs/file_attributes.ts";
import { statIfExists } from "../core/fs/stat_if_exists.ts";
import { walkTree } from "../core/fs/walk_tree.ts";
import type { ActionContext } from "../core/exec/action.ts";
import { fsFailure, fsTry, inputTry, none, type Decision } from "./fs_action.ts";
import { makeDirectories, missingParents, parentsNote } from "./make_directories.ts";

/** A directory at `path` with these attributes (on everything below too with `recurse`). */
export function decideDirectory(ctx: ActionContext, path: string, wanted: WantedAttributes, recurse: boolean): Decision {
  const stat = fsTry("read", path, () => statIfExists(path));
  if (stat && !stat.isDirectory()) throw fsFailure("create directory", path, new Error("a file is in the way"));
  if (stat) return decideAttributes(ctx, path, stat, wanted, recurse, "directory exists with the wanted attributes");
  const parents = missingParents("create directory", path);
  return {
    change: { kind: "create", reason: `directory does not exist${parentsNote(parents)}`, detail: path, paths: [path] },
    make: () => {
      makeDirectories(ctx, parents);
      fsTry("create directory", path, () => mkdirSync(path));
      // mkdir's mode is cut by the umask: set the wanted one explicitly.
      fsTry("change the mode of", path, () => chmodSync(path, wanted.mode ?? 0o755));
      fsTry("change the owner of", path, () => applyAttributes(path, statSync(path), { ...wanted, mode: undefined }));
      ctx.fileChanged({ path, operation: "created", size_bytes: 0, kind: "directory" });
    },
  };
}

/** Mode and ownership of an existing path (on everything below too with `recurse`). */
export function decidePerms(ctx: ActionContext, path: string, wanted: WantedAttributes, recurse: boolean): Decision {
  const stat = inputTry("change the permissions of", path, () => statSync(path));
  return decideAttributes(ctx, path, stat, wanted, recurse, "mode and ownership are as wanted");
}

function decideAttributes(ctx: ActionContext, path: string, stat: Stats, wanted: WantedAttributes, recurse: boolean, upToDate: string): Decision {
  const own = attributeDifferences(stat, wanted);
  // Links below are skipped: changing them would change what they point at, outside the tree.
  const below = recurse && stat.isDirectory()
    ? fsTry("read", path, () => walkTree(path)).filter((e) => !e.stat.isSymbolicLink() && attributeDifferences(e.stat, wanted).length > 0)
    : [];
  if (own.length === 0 && below.length === 0) return none(upToDate);
  const reasons = [...own, ...(below.length ? [`${below.length} ${below.length === 1 ? "entry" : "entries"} below differ`] : [])];
  return {
    change: { kind: "update", reason: reasons.join(", "), detail: path, paths: [path] },
    make: () => {
      const targets = [...(own.length ? [{ path, stat }] : []), ...below];
      for (const target of targets) {
        fsTry("change the permissions of", target.path, () => applyAttributes(target.path, target.stat, wanted));
        ctx.fileChanged({ path: target.path, operation: "modified", size_bytes: target.stat.isDirectory() ? 0 : target.stat.size, kind: target.stat.isDirectory() ? "directory" : "file" });
      }
    },
  };
}
