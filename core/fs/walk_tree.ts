import { lstatSync, readdirSync, type Stats } from "node:fs";
import { join } from "node:path";

export interface TreeEntry {
  /** Relative to the root, with "/" separators. */
  relative: string;
  path: string;
  stat: Stats;
}

/**
 * Every entry below `root` (not the root itself), parents before children and names in code
 * point order, so each walk of the same tree gives the same list. Links are listed, not followed.
 * `skip` prunes an entry (and, for a directory, what it holds).
 */
export function walkTree(root: string, skip?: (relative: string, stat: Stats) => boolean): TreeEntry[] {
  const out: TreeEntry[] = [];
  const visit = (dir: string, prefix: string) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      const relative = prefix ? `${prefix}/${name}` : name;
      const stat = lstatSync(path);
      if (skip?.(relative, stat)) continue;
      out.push({ relative, path, stat });
      if (stat.isDirectory()) visit(path, relative);
    }
  };
  visit(root, "");
  return out;
}

/** The bytes of the files below `root` (or of `root` itself when it is not a directory). */
export function treeSize(root: string, stat: Stats): number {
  if (!stat.isDirectory()) return stat.size;
  return walkTree(root).reduce((total, entry) => total + (entry.stat.isFile() ? entry.stat.size : 0), 0);
}
