import { chmodSync, chownSync, type Stats } from "node:fs";
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

/** Changes only the attributes that differ: ownership first, since chown clears setuid bits. */
export function applyAttributes(path: string, stat: Stats, wanted: WantedAttributes): boolean {
  const uid = wanted.uid !== undefined && stat.uid !== wanted.uid ? wanted.uid : -1;
  const gid = wanted.gid !== undefined && stat.gid !== wanted.gid ? wanted.gid : -1;
  const chowned = uid !== -1 || gid !== -1;
  if (chowned) chownSync(path, uid, gid);
  const modeDiffers = wanted.mode !== undefined && (stat.mode & 0o7777) !== wanted.mode;
  if (wanted.mode !== undefined && (modeDiffers || chowned)) chmodSync(path, wanted.mode);
  return chowned || modeDiffers;
}
