import { sha256Bytes } from "../fs/hash_file.ts";
import { lstatSync, readdirSync } from "node:fs";
import { join, relative, sep } from "node:path";

/** One `with_filetree` item, under the names of this tool and of older mooncake configs. */
export interface FiletreeItem {
  path: string;
  src: string;
  name: string;
  is_dir: boolean;
  size: number;
  mode: string;
  Src: string;
  Path: string;
  Name: string;
  IsDir: boolean;
  State: "file" | "directory";
}

/**
 * Everything under `root` (not `root` itself), sorted by relative path so a plan does not depend
 * on the order the file system lists entries in. Symbolic links are items, not followed.
 */
export function filetreeItems(root: string): FiletreeItem[] {
  const items: FiletreeItem[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir)) {
      const src = join(dir, entry);
      const stat = lstatSync(src);
      const path = relative(root, src).split(sep).join("/");
      const isDir = stat.isDirectory();
      items.push({
        path, src, name: entry, is_dir: isDir, size: isDir ? 0 : stat.size,
        mode: (stat.mode & 0o7777).toString(8).padStart(4, "0"),
        Src: src, Path: `/${path}`, Name: entry, IsDir: isDir, State: isDir ? "directory" : "file",
      });
      if (isDir) walk(src);
    }
  };
  walk(root);
  return items.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** A digest of the items of a tree: a saved plan whose loop read the tree is stale once it differs. */
export function filetreeDigest(items: readonly FiletreeItem[]): string {
  return sha256Bytes(JSON.stringify(items.map((i) => [i.path, i.is_dir, i.size, i.mode])));
}
