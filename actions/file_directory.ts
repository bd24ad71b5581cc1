import { lstatSync, type Stats } from "node:fs";
import { resolveDestination, type Destination } from "../core/fs/destination.ts";
import { applyAttributes, attributeDifferences, type WantedAttributes } from "../core/fs/file_attributes.ts";
import { statIfExists } from "../core/fs/stat_if_exists.ts";
import { walkTree } from "../core/fs/walk_tree.ts";
import type { ActionContext } from "../core/exec/action.ts";
import { fsFailure, fsTry, none, type Decision } from "./fs_action.ts";
import { makeDirectories, makeDirectory, missingParents, parentsNote } from "./make_directories.ts";

export interface AttributeOptions {
  /** Apply the attributes to everything below too (links below are never entered). */
  recurse: boolean;
  /** Manage what a symbolic link at the path points at. */
  follow: boolean;
}

/**
 * A directory at `path` with these attributes. A symbolic link at `path` to a directory counts
 * as the directory when nothing is to change; changing attributes through it needs `follow`.
 */
export function decideDirectory(ctx: ActionContext, path: string, wanted: WantedAttributes, options: AttributeOptions): Decision {
  const found = fsTry("read", path, () => resolveDestination(path, options.follow));
  const { path: real, stat } = found;
  if (found.link !== undefined) return linkedDirectory(path, found, wanted);
  if (stat && !stat.isDirectory()) throw fsFailure("create directory", real, new Error("a file is in the way"));
  if (stat) return decideAttributes(ctx, real, stat, wanted, options.recurse, "directory exists with the wanted attributes");
  const parents = missingParents("create directory", real);
  return {
    change: { kind: "create", reason: `directory does not exist${parentsNote(parents)}`, detail: real },
    make: () => {
      makeDirectories(ctx, parents);
      // mkdir's mode is cut by the umask: set the wanted one explicitly, on the directory just made.
      fsTry("create directory", real, () => makeDirectory(real));
      fsTry("change the permissions of", real, () => applyAttributes(real, lstatSync(real), { ...wanted, mode: wanted.mode ?? 0o755 }));
      ctx.fileChanged({ path: real, operation: "created", size_bytes: 0, kind: "directory" });
    },
  };
}

/** Mode and ownership of an existing path (on everything below too with `recurse`); a link needs `follow`. */
export function decidePerms(ctx: ActionContext, path: string, wanted: WantedAttributes, options: AttributeOptions): Decision {
  const { path: real, stat, link } = fsTry("read", path, () => resolveDestination(path, options.follow));
  if (!stat) throw fsFailure("change the permissions of", real, Object.assign(new Error(), { code: "ENOENT" }));
  if (link !== undefined) throw fsFailure("change the permissions of", real, Object.assign(new Error(), { code: "ELOOP" }));
  return decideAttributes(ctx, real, stat, wanted, options.recurse, "mode and ownership are as wanted");
}

function linkedDirectory(path: string, found: Destination, wanted: WantedAttributes): Decision {
  const target = fsTry("read", path, () => statIfExists(found.path));
  if (!target?.isDirectory()) throw fsFailure("create directory", found.path, new Error(`a symbolic link to "${found.link}" is in the way`));
  if (attributeDifferences(target, wanted).length > 0) throw fsFailure("change the permissions of", found.path, Object.assign(new Error(), { code: "ELOOP" }));
  return none(`directory exists through a symbolic link to "${found.link}"`);
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
    change: { kind: "update", reason: reasons.join(", "), detail: path },
    make: () => {
      const targets = [...(own.length ? [{ path, stat }] : []), ...below];
      for (const target of targets) {
        fsTry("change the permissions of", target.path, () => applyAttributes(target.path, target.stat, wanted));
        ctx.fileChanged({ path: target.path, operation: "modified", size_bytes: target.stat.isDirectory() ? 0 : target.stat.size, kind: target.stat.isDirectory() ? "directory" : "file" });
      }
    },
  };
}
