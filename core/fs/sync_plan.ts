import type { Stats } from "node:fs";
import { readlinkSync } from "node:fs";
import { basename } from "node:path";
import { sha256File } from "./hash_file.ts";
import { statIfExists } from "./stat_if_exists.ts";
import { walkTree, type TreeEntry } from "./walk_tree.ts";

export interface SyncOptions {
  delete: boolean;
  exclude: readonly string[];
  /** Compare file content instead of size and modification time. */
  checksum: boolean;
  /** Compare owner and group too (only root can set them). */
  ownership: boolean;
}

export interface SyncPlan {
  operations: SyncOperation[];
  /** The synced directories of src ("" is src itself), parents first. */
  directories: string[];
}

export interface SyncOperation {
  operation: "created" | "modified" | "removed";
  relative: string;
  kind: "file" | "directory" | "link";
  size: number;
  /** The source entry (absent for a removal). */
  source?: TreeEntry;
}

/**
 * What makes `dest` equal to `src`, in a fixed order (removals first, then parents before
 * children, names sorted). Entries are compared as `rsync -rlptgo` does: files by size and
 * modification time (by content with `checksum`), links by target, and mode (and ownership)
 * of everything. Only files, directories and symbolic links are synced.
 */
export async function planSync(src: string, dest: string, options: SyncOptions): Promise<SyncPlan> {
  const excluded = excluder(options.exclude);
  const keep = (relative: string, stat: Stats) => excluded(relative, stat) || !(stat.isFile() || stat.isDirectory() || stat.isSymbolicLink());
  const sources = walkTree(src, keep);
  const destRoot = statIfExists(dest);
  const targets = new Map(destRoot?.isDirectory() ? walkTree(dest, excluded).map((e) => [e.relative, e]) : []);
  const operations: SyncOperation[] = [];
  if (options.delete) {
    const wanted = new Set(sources.map((e) => e.relative));
    const removed: string[] = [];
    for (const [relative, entry] of targets) {
      if (wanted.has(relative) || removed.some((r) => relative.startsWith(`${r}/`))) continue;
      removed.push(relative);
      operations.push({ operation: "removed", relative, kind: kindOf(entry.stat), size: entry.stat.isFile() ? entry.stat.size : 0 });
    }
  }
  for (const source of sources) {
    const target = targets.get(source.relative);
    const size = source.stat.isFile() ? source.stat.size : 0;
    if (!target) operations.push({ operation: "created", relative: source.relative, kind: kindOf(source.stat), size, source });
    else if (await differs(source, target, options)) operations.push({ operation: "modified", relative: source.relative, kind: kindOf(source.stat), size, source });
  }
  return { operations, directories: ["", ...sources.filter((e) => e.stat.isDirectory()).map((e) => e.relative)] };
}

async function differs(source: TreeEntry, target: TreeEntry, options: SyncOptions): Promise<boolean> {
  const a = source.stat;
  const b = target.stat;
  if (kindOf(a) !== kindOf(b)) return true;
  if (a.isSymbolicLink()) return readlinkSync(source.path) !== readlinkSync(target.path);
  if ((a.mode & 0o7777) !== (b.mode & 0o7777)) return true;
  if (options.ownership && (a.uid !== b.uid || a.gid !== b.gid)) return true;
  if (!a.isFile()) return false;
  if (a.size !== b.size) return true;
  if (options.checksum) return (await sha256File(source.path)) !== (await sha256File(target.path));
  return Math.floor(a.mtimeMs) !== Math.floor(b.mtimeMs);
}

function kindOf(stat: Stats): "file" | "directory" | "link" {
  return stat.isSymbolicLink() ? "link" : stat.isDirectory() ? "directory" : "file";
}

/**
 * rsync's simple exclude patterns: `name` or `*.log` matches an entry's name at any depth,
 * `dir/` only directories, `/top` (or any pattern with a `/` inside) the path from the root.
 */
function excluder(patterns: readonly string[]): (relative: string, stat: Stats) => boolean {
  const rules = patterns.map((pattern) => {
    const directoryOnly = pattern.endsWith("/");
    const body = pattern.replace(/\/+$/, "");
    const anchored = body.includes("/");
    return { directoryOnly, anchored, glob: new Bun.Glob(body.replace(/^\//, "")) };
  });
  return (relative, stat) =>
    rules.some((rule) => (!rule.directoryOnly || stat.isDirectory()) && rule.glob.match(rule.anchored ? relative : basename(relative)));
}
