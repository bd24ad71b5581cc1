import { closeSync, constants, fstatSync, lstatSync, openSync, statSync } from "node:fs";
import { basename, dirname, sep } from "node:path";
import { realPathOfExisting } from "./no_follow.ts";

const { O_DIRECTORY, O_NOFOLLOW, O_RDONLY } = constants;
const FD_DIRECTORY = "/proc/self/fd";

/** An open directory; `at(name)` is a path naming `name` in that very directory. */
export interface DirectoryHandle {
  at(name: string): string;
  close(): void;
}

/**
 * Opens the directory at `realPath` (a path without links: see realParentPath) walking from
 * `/` one component at a time without following links, the openat(2) way: a component that is
 * a link fails (code ELINKED). On Linux, `at(name)` goes through /proc/self/fd, so it names an
 * entry of the directory opened here even if a component of `realPath` is swapped for a link
 * afterwards; where /proc is missing it is the plain path (a check, not a guarantee).
 * Example: `withDirectory(dirname(dest), (dir) => renameSync(dir.at(tmp), dir.at(name)))`.
 */
export function openDirectoryNoFollow(realPath: string): DirectoryHandle {
  if (!fdPathsWork()) return { at: (name) => (realPath.endsWith(sep) ? realPath + name : `${realPath}${sep}${name}`), close: () => {} };
  const held = walkFromRoot(realPath);
  return { at: (name) => `${FD_DIRECTORY}/${held}/${name}`, close: () => closeSync(held) };
}

let fdPaths: boolean | undefined;

/**
 * Whether walking from `/` through `/proc/self/fd/N/` reaches what plain paths name: checked
 * once, on the working directory. Not where /proc is missing (macOS), nor under an emulator
 * that maps `/` elsewhere (qemu-user -L): there the plain path is used.
 */
function fdPathsWork(): boolean {
  if (fdPaths !== undefined) return fdPaths;
  try {
    const fd = walkFromRoot(realPathOfExisting(process.cwd()));
    try {
      const walked = fstatSync(fd);
      const plain = statSync(".");
      fdPaths = walked.ino === plain.ino && walked.dev === plain.dev;
    } finally {
      closeSync(fd);
    }
  } catch {
    fdPaths = false;
  }
  return fdPaths;
}

/** The directory at `realPath`, opened one component at a time from `/` without following links. */
function walkFromRoot(realPath: string): number {
  let fd = openSync(sep, O_RDONLY | O_DIRECTORY);
  try {
    for (const part of realPath.split(sep).filter((p) => p !== "")) {
      const next = openComponent(`${FD_DIRECTORY}/${fd}/${part}`);
      closeSync(fd);
      fd = next;
    }
  } catch (e) {
    closeSync(fd);
    throw e;
  }
  return fd;
}

function openComponent(path: string): number {
  try {
    return openSync(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOTDIR" && lstatSync(path, { throwIfNoEntry: false })?.isSymbolicLink()) {
      throw Object.assign(new Error("a parent directory is a symbolic link (it was swapped in while mooncake worked on it)"), { code: "ELINKED" });
    }
    throw e;
  }
}

/**
 * Runs `work` with the directory holding `path` open (its real path, walked without following
 * links, so a link swapped in after the resolution fails the walk) and the entry's name; closes
 * it when `work` (or the promise it returns) ends.
 */
export function inDirectoryOf<T>(path: string, work: (dir: DirectoryHandle, name: string) => T): T {
  const dir = openDirectoryNoFollow(realPathOfExisting(dirname(path)));
  let result: T;
  try {
    result = work(dir, basename(path));
  } catch (e) {
    dir.close();
    throw e;
  }
  if (result instanceof Promise) return result.finally(() => dir.close()) as T;
  dir.close();
  return result;
}
