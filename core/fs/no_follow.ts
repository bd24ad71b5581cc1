import { constants, fstatSync, openSync, realpathSync, type Stats } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";

const { O_CREAT, O_EXCL, O_NOFOLLOW, O_NONBLOCK, O_RDONLY, O_WRONLY } = constants;

/**
 * Opens `path` without following a symbolic link at its last component: a link there fails
 * with ELOOP instead of opening what it points at. O_NONBLOCK keeps a FIFO from hanging the open.
 */
export function openNoFollow(path: string, flags = O_RDONLY): number {
  return openSync(path, flags | O_NOFOLLOW | O_NONBLOCK);
}

/** Creates a new file open for writing; fails (EEXIST) when anything, even a dangling link, is at `path`. */
export function createExclusive(path: string, mode = 0o600): number {
  return openSync(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, mode);
}

/**
 * Opens the entry `expected` described (an earlier lstat of `path`) without following a link,
 * and fails when something else is there now, so what is changed through the fd is what was checked.
 */
export function openChecked(path: string, expected: Stats): number {
  const fd = openNoFollow(path);
  const now = fstatSync(fd);
  if (now.ino !== expected.ino || now.dev !== expected.dev) {
    throw Object.assign(new Error("it was replaced while mooncake was working on it"), { code: "ECHANGED" });
  }
  return fd;
}

/**
 * `path` absolute, with its parent directories resolved to their real path (links and `..`
 * followed) and its last component kept as written, so a link there is seen, not followed.
 * Missing parents stay as written below the deepest one that exists.
 * Example: with `/srv/app -> /etc`, `/srv/app/x.conf` is `/etc/x.conf`.
 */
export function realParentPath(path: string): string {
  const absolute = resolve(path);
  const parent = dirname(absolute);
  return parent === absolute ? absolute : join(realPathOfExisting(parent), basename(absolute));
}

/** The real path of `path`, or of its deepest existing ancestor with the rest appended. */
export function realPathOfExisting(path: string): string {
  const absolute = resolve(path);
  try {
    return realpathSync(absolute);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const parent = dirname(absolute);
    if ((code === "ENOENT" || code === "ENOTDIR") && parent !== absolute) return join(realPathOfExisting(parent), basename(absolute));
    throw e;
  }
}
