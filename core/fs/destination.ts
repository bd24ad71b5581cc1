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
 * `follow` (and when it leads somewhere), else it is reported in `link` for the caller to
 * replace (rename over it) or refuse.
 */
export function resolveDestination(path: string, follow = false): Destination {
  const resolved = realParentPath(path);
  const stat = lstatIfExists(resolved);
  if (!stat?.isSymbolicLink()) return { path: resolved, stat };
  const target = follow ? realPathOfExisting(resolved) : resolved;
  const targetStat = target === resolved ? undefined : lstatIfExists(target);
  // A dangling link has nothing to follow: it is reported like any link.
  if (!targetStat || targetStat.isSymbolicLink()) return { path: resolved, stat, link: readlinkSync(resolved) };
  return { path: target, stat: targetStat };
}
