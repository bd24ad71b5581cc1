import { readlinkSync, type Stats } from "node:fs";
import { realParentPath, realPathOfExisting } from "./no_follow.ts";
import { lstatIfExists } from "./stat_if_exists.ts";

/** Where a write to a path lands, and what is there now. */
export interface Destination {
  /** Absolute, parent directories resolved to their real path. */
  path: string;
  /** The lstat of `path`; undefined when nothing is there. */
  stat: Stats | undefined;
  /** Set when a symbolic link is at `path` (and `follow` was not asked): what it points at. */
  link?: string;
}

/**
 * Resolves where a write to `path` lands: its parent directories are resolved to their real
 * path (so checks see `/etc/x`, not `lnk/x`); a symbolic link at the end is followed only with
 * `follow`, else it is reported in `link` for the caller to replace (rename over it) or refuse.
 */
export function resolveDestination(path: string, follow = false): Destination {
  const resolved = realParentPath(path);
  const stat = lstatIfExists(resolved);
  if (!stat?.isSymbolicLink()) return { path: resolved, stat };
  if (!follow) return { path: resolved, stat, link: readlinkSync(resolved) };
  const target = realPathOfExisting(resolved);
  return { path: target, stat: lstatIfExists(target) };
}
