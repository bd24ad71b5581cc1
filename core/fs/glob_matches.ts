import { join } from "node:path";
import { realPathOfExisting } from "./no_follow.ts";
import { lstatIfExists } from "./stat_if_exists.ts";

const GLOB_CHARACTERS = /[*?[\]{}]/;

/** Whether `path` has a glob character: `* ? [ ] { }`. */
export function isGlob(path: string): boolean {
  return GLOB_CHARACTERS.test(path);
}

/**
 * The glob's matches below the real path of its literal base, links listed but not entered,
 * dot files included; a match inside another match is left out (it goes with it). Filesystem
 * errors are thrown as they are, with the path they concern as `path`.
 */
export function globMatches(pattern: string): string[] {
  const parts = pattern.split("/");
  const firstGlob = parts.findIndex((part) => GLOB_CHARACTERS.test(part));
  const literalBase = parts.slice(0, firstGlob).join("/") || "/";
  const glob = new Bun.Glob(parts.slice(firstGlob).join("/"));
  const base = withPath(literalBase, () => realPathOfExisting(literalBase));
  const matches = withPath(base, () => (lstatIfExists(base)?.isDirectory() ? [...glob.scanSync({ cwd: base, dot: true, onlyFiles: false, followSymlinks: false })] : []));
  const paths = matches.map((m) => join(base, m)).sort();
  return paths.filter((p) => !paths.some((other) => p.startsWith(`${other}/`)));
}

/** A failure of `work` with `path` attached, for the caller's message. */
export class GlobError extends Error {
  constructor(readonly path: string, readonly reason: unknown) {
    super(reason instanceof Error ? reason.message : String(reason));
  }
}

function withPath<T>(path: string, work: () => T): T {
  try {
    return work();
  } catch (e) {
    throw new GlobError(path, e);
  }
}
