import { lutimesSync, readFileSync, type Stats } from "node:fs";
import { backupFile } from "../core/fs/backup_file.ts";
import { resolveDestination } from "../core/fs/destination.ts";
import { applyAttributes, attributeDifferences, type WantedAttributes } from "../core/fs/file_attributes.ts";
import { sha256Bytes, sha256File } from "../core/fs/hash_file.ts";
import { copyFileInto, installFile } from "../core/fs/install_file.ts";
import { lstatIfExists } from "../core/fs/stat_if_exists.ts";
import { writeAll } from "../core/fs/write_all.ts";
import { DEFAULT_DIFF_LIMITS, sizeSummaryDiff, unifiedDiff } from "../core/fs/unified_diff.ts";
import type { ActionContext } from "../core/exec/action.ts";
import { fsFailure, fsTry, fsTryAsync, none, type Decision } from "./fs_action.ts";
import { makeDirectories, missingParents, parentsNote } from "./make_directories.ts";

/** What a file should hold: bytes in memory, or the content of another file (streamed, never loaded whole). */
export type Content = { bytes: Uint8Array } | { file: string; stat: Stats };

export interface ContentTarget {
  dest: string;
  /** undefined: the file must exist, its content is not managed. */
  content: Content | undefined;
  wanted: WantedAttributes;
  backup?: boolean;
  /** Modification time to give the file (copy's preserve_times). */
  mtime?: Date;
  /** Manage what a symbolic link at dest points at, instead of replacing the link. */
  follow?: boolean;
}

/**
 * Makes `dest` a file with this content and these attributes: created when missing (with its
 * parent directories), replaced atomically when its content differs, re-moded or re-owned only
 * where an attribute differs. The change carries a unified diff of the content. Parent links
 * are resolved; a symbolic link at dest is replaced by the file (renamed over, its target
 * untouched) unless `follow`.
 */
export async function decideContent(ctx: ActionContext, target: ContentTarget): Promise<Decision> {
  const { content, wanted } = target;
  const { path: dest, stat, link } = fsTry("read", target.dest, () => resolveDestination(target.dest, target.follow));
  if (stat?.isDirectory()) throw fsFailure("write file", dest, new Error("a directory is in the way"));
  if (stat && !stat.isFile() && !stat.isSymbolicLink()) throw fsFailure("write file", dest, new Error("something other than a file (a device, socket or FIFO) is in the way"));
  if (link !== undefined) return replaceLink(ctx, target, dest, stat!, link);

  if (!stat) {
    const parents = missingParents("create file", dest);
    return {
      change: { kind: "create", reason: `file does not exist${parentsNote(parents)}`, detail: dest, ...(content ? { diff: await contentDiff(undefined, content, dest) } : {}) },
      make: async () => {
        makeDirectories(ctx, parents);
        await fsTryAsync("write file", dest, () => installFile(dest, (fd) => fill(fd, content), { ...wanted, mode: wanted.mode ?? 0o644 }));
        setTime(dest, target.mtime);
        ctx.fileChanged({ path: dest, operation: "created", size_bytes: sizeOf(content), kind: "file" });
      },
    };
  }

  const contentDiffers = content !== undefined && !(await fsTryAsync("read", dest, () => sameContent(dest, stat, content)));
  const differences = [
    ...(contentDiffers ? ["content differs"] : []),
    ...attributeDifferences(stat, wanted),
    ...(target.mtime && stat.mtime.getTime() !== target.mtime.getTime() ? ["modification time differs"] : []),
  ];
  if (differences.length === 0) return { change: { kind: "none", reason: content ? "content and attributes are as wanted" : "file exists with the wanted attributes", detail: dest } };
  return {
    change: { kind: "update", reason: differences.join(", "), detail: dest, ...(contentDiffers ? { diff: await contentDiff(dest, content!, dest) } : {}) },
    make: async () => {
      if (contentDiffers) {
        if (target.backup) backUp(ctx, dest, stat);
        const keep = { mode: stat.mode & 0o7777, ...(stat.uid !== process.getuid?.() ? { uid: stat.uid } : {}), ...(stat.gid !== process.getgid?.() ? { gid: stat.gid } : {}) };
        await fsTryAsync("write file", dest, () => installFile(dest, (fd) => fill(fd, content), { ...keep, ...wanted }));
      } else {
        fsTry("change attributes of", dest, () => applyAttributes(dest, stat, wanted));
      }
      setTime(dest, target.mtime);
      ctx.fileChanged({ path: dest, operation: "modified", size_bytes: content ? sizeOf(content) : stat.size, kind: "file" });
    },
  };
}

/**
 * A symbolic link is at dest and `follow` was not asked: with content, the file replaces the
 * link (its target is neither read nor written); without content there is nothing to write,
 * and attributes cannot be set on a link without changing its target, so that is refused.
 */
async function replaceLink(ctx: ActionContext, target: ContentTarget, dest: string, stat: Stats, link: string): Promise<Decision> {
  const { content, wanted } = target;
  if (content === undefined) {
    if (Object.keys(wanted).length > 0) throw fsFailure("change attributes of", dest, Object.assign(new Error(), { code: "ELOOP" }));
    return none(`a symbolic link to "${link}" is there (follow: true manages what it points at)`);
  }
  return {
    change: { kind: "update", reason: `a symbolic link to "${link}" is in the way: the file replaces it (follow: true writes what it points at)`, detail: dest, diff: await contentDiff(undefined, content, dest) },
    make: async () => {
      if (target.backup) backUp(ctx, dest, stat);
      await fsTryAsync("write file", dest, () => installFile(dest, (fd) => fill(fd, content), { ...wanted, mode: wanted.mode ?? 0o644 }));
      setTime(dest, target.mtime);
      ctx.fileChanged({ path: dest, operation: "modified", size_bytes: sizeOf(content), kind: "file" });
    },
  };
}

function backUp(ctx: ActionContext, dest: string, stat: Stats): void {
  const backup = fsTry("back up", dest, () => backupFile(dest, stat));
  ctx.fileChanged({ path: backup, operation: "created", size_bytes: stat.isSymbolicLink() ? 0 : stat.size, kind: stat.isSymbolicLink() ? "link" : "file" });
}

function fill(fd: number, content: Content | undefined): void {
  if (content === undefined) return;
  if ("bytes" in content) writeAll(fd, content.bytes);
  else copyFileInto(fd, content.file);
}

function setTime(path: string, mtime: Date | undefined): void {
  if (mtime) fsTry("set the time of", path, () => lutimesSync(path, mtime, mtime));
}

function sizeOf(content: Content | undefined): number {
  return content === undefined ? 0 : "bytes" in content ? content.bytes.byteLength : content.stat.size;
}

/** Compares by size, then by streamed sha256: neither file is ever held whole. */
async function sameContent(dest: string, stat: Stats, content: Content): Promise<boolean> {
  if (stat.size !== sizeOf(content)) return false;
  const wanted = "bytes" in content ? sha256Bytes(content.bytes) : await sha256File(content.file);
  return (await sha256File(dest)) === wanted;
}

/** The diff a dry-run shows; files larger than the diff limit are summarised without being read. */
async function contentDiff(before: string | undefined, after: Content, dest: string): Promise<string> {
  const labels = { from: before ?? "/dev/null", to: dest };
  const beforeSize = before === undefined ? 0 : (lstatIfExists(before)?.size ?? 0);
  const afterSize = sizeOf(after);
  if (Math.max(beforeSize, afterSize) > DEFAULT_DIFF_LIMITS.maxInputBytes) return sizeSummaryDiff(labels, beforeSize, afterSize);
  const beforeText = before === undefined ? "" : readFileSync(before, "utf8");
  const afterText = "bytes" in after ? Buffer.from(after.bytes).toString("utf8") : readFileSync(after.file, "utf8");
  return unifiedDiff(beforeText, afterText, labels);
}
