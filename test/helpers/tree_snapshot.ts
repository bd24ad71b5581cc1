import { walkTree } from "../../core/fs/walk_tree.ts";

/**
 * Every entry below `root` with its kind, mode, owner, size and modification time (in whole
 * milliseconds, the precision mooncake sets times with): equal snapshots mean nothing changed.
 */
export function treeSnapshot(root: string, skip: readonly string[] = []): string[] {
  return walkTree(root, (relative) => skip.includes(relative)).map(({ relative, stat }) => {
    const kind = stat.isDirectory() ? "d" : stat.isSymbolicLink() ? "l" : "f";
    return `${kind} ${relative} ${(stat.mode & 0o7777).toString(8)} ${stat.uid}:${stat.gid} ${stat.size} ${Math.floor(stat.mtimeMs)}`;
  });
}
