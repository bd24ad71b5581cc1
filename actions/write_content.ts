import { copyFileSync, readFileSync, realpathSync, utimesSync, writeFileSync, type Stats } from "node:fs";
import { backupFile } from "../core/fs/backup_file.ts";
import { applyAttributes, attributeDifferences, type WantedAttributes } from "../core/fs/file_attributes.ts";
import { sha256File } from "../core/fs/hash_file.ts";
import { installFile } from "../core/fs/install_file.ts";
import { lstatIfExists } from "../core/fs/stat_if_exists.ts";
import { DEFAULT_DIFF_LIMITS, sizeSummaryDiff, unifiedDiff } from "../core/fs/unified_diff.ts";
import type { ActionContext } from "../core/exec/action.ts";
import { fsFailure, fsTry, fsTryAsync, type Decision } from "./fs_action.ts";
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
}

/**
 * Makes `dest` a file with this content and these attributes: created when missing (with its
 * parent directories), replaced atomically when its content differs, re-moded or re-owned only
 * where an attribute differs. The change carries a unified diff of the content.
 */
export async function decideContent(ctx: ActionContext, target: ContentTarget): Promise<Decision> {
  const { content, wanted } = target;
  const found = fsTry("read", target.dest, () => lstatIfExists(target.dest));
  // A link is followed: the file it points at is the one managed, the link stays.
  const dest = found?.isSymbolicLink() ? fsTry("follow link", target.dest, () => realpathSync(target.dest)) : target.dest;
  const stat = found?.isSymbolicLink() ? fsTry("read", dest, () => lstatIfExists(dest)) : found;
  if (stat?.isDirectory()) throw fsFailure("write file", dest, new Error("a directory is in the way"));

  if (!stat) {
    const parents = missingParents("create file", dest);
    return {
      change: { kind: "create", reason: `file does not exist${parentsNote(parents)}`, detail: dest, paths: [dest], ...(content ? { diff: await contentDiff(undefined, content, dest) } : {}) },
      make: async () => {
        makeDirectories(ctx, parents);
        await fsTryAsync("write file", dest, () => installFile(dest, (temporary) => fill(temporary, content), { ...wanted, mode: wanted.mode ?? 0o644 }));
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
    change: { kind: "update", reason: differences.join(", "), detail: dest, paths: [dest], ...(contentDiffers ? { diff: await contentDiff(dest, content!, dest) } : {}) },
    make: async () => {
      if (contentDiffers) {
        if (target.backup) {
          const backup = fsTry("back up", dest, () => backupFile(dest));
          ctx.fileChanged({ path: backup, operation: "created", size_bytes: stat.size, kind: "file" });
        }
        const keep = { mode: stat.mode & 0o7777, ...(stat.uid !== process.getuid?.() ? { uid: stat.uid } : {}), ...(stat.gid !== process.getgid?.() ? { gid: stat.gid } : {}) };
        await fsTryAsync("write file", dest, () => installFile(dest, (temporary) => fill(temporary, content), { ...keep, ...wanted }));
      } else {
        fsTry("change attributes of", dest, () => applyAttributes(dest, stat, wanted));
      }
      setTime(dest, target.mtime);
      ctx.fileChanged({ path: dest, operation: "modified", size_bytes: content ? sizeOf(content) : stat.size, kind: "file" });
    },
  };
}

function fill(temporary: string, content: Content | undefined): void {
  if (content === undefined) writeFileSync(temporary, "");
  else if ("bytes" in content) writeFileSync(temporary, content.bytes);
  else copyFileSync(content.file, temporary);
}

function setTime(path: string, mtime: Date | undefined): void {
  if (mtime) fsTry("set the time of", path, () => utimesSync(path, mtime, mtime));
}

function sizeOf(content: Content | undefined): number {
  return content === undefined ? 0 : "bytes" in content ? content.bytes.byteLength : content.stat.size;
}

async function sameContent(dest: string, stat: Stats, content: Content): Promise<boolean> {
  if (stat.size !== sizeOf(content)) return false;
  if ("bytes" in content) return Buffer.from(content.bytes).equals(readFileSync(dest));
  return (await sha256File(dest)) === (await sha256File(content.file));
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
