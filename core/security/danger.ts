import { readdirSync, realpathSync } from "node:fs";
import { dirname, resolve, sep } from "node:path";
import { realParentPath, realPathOfExisting } from "../fs/no_follow.ts";
import { databaseEntries } from "../fs/ownership.ts";

/** Directories whose removal would wreck the machine or a user's data. */
export const SYSTEM_DIRECTORIES: readonly string[] = [
  "/bin", "/boot", "/dev", "/etc", "/home", "/lib", "/lib32", "/lib64", "/libx32", "/media", "/mnt",
  "/opt", "/proc", "/root", "/run", "/sbin", "/snap", "/srv", "/sys", "/tmp", "/usr", "/usr/bin",
  "/usr/lib", "/usr/local", "/usr/sbin", "/usr/share", "/var", "/var/lib", "/var/log",
  "/Applications", "/Library", "/System", "/Users", "/Volumes", "/private", "/private/etc", "/private/var",
];

/** What is protected, given explicitly (tests build a fake root this way) or read from the machine. */
export interface ProtectedPathSources {
  /** The root directory ("/"). */
  root: string;
  systemDirectories: readonly string[];
  /** The home directory of the user running mooncake ($HOME). */
  home?: string | undefined;
  /** Every user's home, by user name (from /etc/passwd). */
  userHomes: ReadonlyMap<string, string>;
  /** The directories of the config files a step comes from. */
  configDirectories: readonly string[];
}

/** A path whose removal needs --i-accept-danger, and why, in words. */
interface Protected {
  path: string;
  what: string;
}

/** One planned removal that needs --i-accept-danger: the path as given and why. */
export interface Danger {
  path: string;
  reason: string;
}

/**
 * The protected paths of this machine: "/", the system directories, $HOME, every home in
 * /etc/passwd, and `configDirectories`.
 */
export function machineProtectedPaths(configDirectories: readonly string[] = []): ProtectedPathSources {
  return {
    root: resolve(sep),
    systemDirectories: SYSTEM_DIRECTORIES,
    home: process.env.HOME,
    userHomes: passwdHomes("/etc/passwd"),
    configDirectories,
  };
}

/**
 * Why removing `paths` (together, as one step does) needs --i-accept-danger, or undefined.
 * Each path is judged where it really is: its parent directories are resolved (`lnk/etc` with
 * `lnk -> /` is `/etc`) and a link at its end is the link itself, which is what a removal
 * removes; with `what: "contents"` (sync's delete, which empties directories) the paths are
 * directories followed to their real path. A removal is dangerous when it hits a protected
 * path or a directory above one (the root, a system directory, a home, the config's directory,
 * and each one's real path), or, for the `matches` of a glob, when they are every entry of a
 * protected directory (`/etc/*`, `~/*`).
 */
export function removalDanger(paths: readonly string[], sources: ProtectedPathSources, what: "entries" | "matches" | "contents" = "entries"): Danger | undefined {
  const protectedPaths = protectedList(sources);
  const real = paths.map((path) => ({ path, real: what === "contents" ? realPathOfExisting(path) : realParentPath(path) }));
  for (const { path, real: target } of real) {
    const hit = protectedPaths.find((p) => p.path === target) ?? protectedPaths.find((p) => isInside(p.path, target));
    if (!hit) continue;
    const through = target === resolve(path) ? "" : ` ("${target}")`;
    return { path, reason: hit.path === target ? `it is ${hit.what}${through}` : `it holds ${hit.what} "${hit.path}"${through}` };
  }
  return what === "matches" ? emptyingDanger(real, protectedPaths) : undefined;
}

/** The matches of a glob that are every entry of a protected directory would empty it. */
function emptyingDanger(real: readonly { path: string; real: string }[], protectedPaths: readonly Protected[]): Danger | undefined {
  const byParent = new Map<string, Set<string>>();
  for (const { real: target } of real) {
    const parent = dirname(target);
    if (!byParent.has(parent)) byParent.set(parent, new Set());
    byParent.get(parent)!.add(target);
  }
  for (const [parent, removed] of byParent) {
    const hit = protectedPaths.find((p) => p.path === parent);
    if (!hit || !removesEveryEntry(parent, removed)) continue;
    return { path: real.find((p) => dirname(p.real) === parent)!.path, reason: `with the other matches it would empty ${hit.what} "${parent}"` };
  }
  return undefined;
}

/** Each protected path, then the real path of each where it differs; the first description of a path wins. */
function protectedList(sources: ProtectedPathSources): Protected[] {
  const list: Protected[] = [{ path: resolve(sources.root), what: "the root directory" }];
  for (const dir of sources.configDirectories) list.push({ path: resolve(dir), what: "the directory of the config" });
  if (sources.home) list.push({ path: resolve(sources.home), what: "the home directory" });
  for (const dir of sources.systemDirectories) list.push({ path: resolve(dir), what: "a system directory" });
  for (const [user, home] of sources.userHomes) list.push({ path: resolve(home), what: `the home directory of user ${user}` });
  return [...list, ...list.flatMap((p) => {
    const real = realPathOrUndefined(p.path);
    return real && real !== p.path ? [{ path: real, what: p.what }] : [];
  })];
}

function isInside(inner: string, outer: string): boolean {
  return inner.startsWith(outer.endsWith(sep) ? outer : outer + sep);
}

function removesEveryEntry(dir: string, removed: ReadonlySet<string>): boolean {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return false;
  }
  return names.length > 0 && names.every((name) => removed.has(resolve(dir, name)));
}

function realPathOrUndefined(path: string): string | undefined {
  try {
    return realpathSync(path);
  } catch {
    return undefined;
  }
}

/** User name -> home directory, from a passwd file. */
function passwdHomes(path: string): Map<string, string> {
  const homes = new Map<string, string>();
  for (const fields of databaseEntries(path)) {
    const home = fields[5];
    if (fields[0] && home?.startsWith("/")) homes.set(fields[0], home);
  }
  return homes;
}
