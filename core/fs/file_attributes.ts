import { chmodSync, closeSync, fchmodSync, fchownSync, lchownSync, lstatSync, type Stats } from "node:fs";
import { openChecked } from "./no_follow.ts";
import { formatMode } from "./parse_mode.ts";

/** The mode and ownership a config asks for; what is absent is left as it is. */
export interface WantedAttributes {
  mode?: number;
  uid?: number;
  gid?: number;
}

/** Each attribute of `stat` that differs from `wanted`, as "mode 0600 -> 0644". */
export function attributeDifferences(stat: Stats, wanted: WantedAttributes): string[] {
  const out: string[] = [];
  if (wanted.mode !== undefined && (stat.mode & 0o7777) !== wanted.mode) out.push(`mode ${formatMode(stat.mode)} -> ${formatMode(wanted.mode)}`);
  if (wanted.uid !== undefined && stat.uid !== wanted.uid) out.push(`owner ${stat.uid} -> ${wanted.uid}`);
  if (wanted.gid !== undefined && stat.gid !== wanted.gid) out.push(`group ${stat.gid} -> ${wanted.gid}`);
  return out;
}

/**
 * Changes only the attributes that differ (ownership first, since chown clears setuid bits) on
 * the entry `stat` (its lstat) describes, never on what a link points at: it works on a
 * descriptor opened without following links, and fails if the entry was swapped since `stat`.
 */
export function applyAttributes(path: string, stat: Stats, wanted: WantedAttributes): boolean {
  if (stat.isSymbolicLink()) throw Object.assign(new Error("it is a symbolic link"), { code: "ELOOP" });
  const uid = wanted.uid !== undefined && stat.uid !== wanted.uid ? wanted.uid : -1;
  const gid = wanted.gid !== undefined && stat.gid !== wanted.gid ? wanted.gid : -1;
  const chowned = uid !== -1 || gid !== -1;
  const modeDiffers = wanted.mode !== undefined && (stat.mode & 0o7777) !== wanted.mode;
  const mode = wanted.mode !== undefined && (modeDiffers || chowned) ? wanted.mode : undefined;
  if (!chowned && mode === undefined) return false;
  withDescriptor(path, stat, {
    fd: (fd) => {
      if (chowned) fchownSync(fd, uid, gid);
      if (mode !== undefined) fchmodSync(fd, mode);
    },
    path: () => {
      if (chowned) lchownSync(path, uid, gid);
      if (mode !== undefined) chmodSync(path, mode);
    },
  });
  return true;
}

/** Applies `mode` and ownership to an open file: a new file about to be renamed into place. */
export function applyAttributesToFd(fd: number, wanted: WantedAttributes & { mode: number }): void {
  if (wanted.uid !== undefined || wanted.gid !== undefined) fchownSync(fd, wanted.uid ?? -1, wanted.gid ?? -1);
  fchmodSync(fd, wanted.mode);
}

/**
 * Runs `work.fd` on a descriptor of the checked entry. Only where no descriptor can be had (a
 * user who may chmod a file it cannot read, a device whose open has effects) does it fall back
 * to `work.path`, after an lstat has shown the same entry, not a link, is still there.
 */
function withDescriptor(path: string, stat: Stats, work: { fd: (fd: number) => void; path: () => void }): void {
  if (stat.isFile() || stat.isDirectory()) {
    let fd: number | undefined;
    try {
      fd = openChecked(path, stat);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EACCES") throw e;
    }
    if (fd !== undefined) {
      try {
        return work.fd(fd);
      } finally {
        closeSync(fd);
      }
    }
  }
  const now = lstatSync(path);
  if (now.isSymbolicLink() || now.ino !== stat.ino || now.dev !== stat.dev) throw Object.assign(new Error("it was replaced while mooncake was working on it"), { code: "ECHANGED" });
  work.path();
}
