import { resolve, sep } from "node:path";

/** Directories whose removal would wreck the machine or a user's data. */
const SYSTEM_DIRECTORIES = [
  "/bin", "/boot", "/dev", "/etc", "/home", "/lib", "/lib32", "/lib64", "/libx32", "/media", "/mnt",
  "/opt", "/proc", "/root", "/run", "/sbin", "/snap", "/srv", "/sys", "/tmp", "/usr", "/usr/bin",
  "/usr/lib", "/usr/local", "/usr/sbin", "/usr/share", "/var", "/var/lib", "/var/log",
  "/Applications", "/Library", "/System", "/Users", "/Volumes", "/private", "/private/etc", "/private/var",
];

/**
 * Why removing `path` needs --i-accept-danger, or undefined when it does not: the root, a system
 * directory, the home directory and every directory above it.
 */
export function removalDanger(path: string, home = process.env.HOME): string | undefined {
  const target = resolve(path);
  if (target === resolve(sep)) return "it is the root directory";
  if (SYSTEM_DIRECTORIES.includes(target) || /^[A-Za-z]:\\(Windows|Program Files|Users)?$/i.test(target)) return "it is a system directory";
  if (home) {
    const homeDir = resolve(home);
    if (target === homeDir) return "it is the home directory";
    if (homeDir.startsWith(target + sep)) return "it holds the home directory";
  }
  return undefined;
}
