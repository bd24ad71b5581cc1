import { sha256Bytes } from "../fs/hash_file.ts";

/** `YYYYMMDD-HHMMSS-<6 hex>`: the start time (UTC) and a hash of the root file and host. */
export function makeRunId(rootFile: string, hostname: string, start: Date): string {
  const stamp = start.toISOString().replace(/[-:]/g, "").replace("T", "-").slice(0, 15);
  const hash = sha256Bytes(`${rootFile}\n${hostname}`).slice(0, 6);
  return `${stamp}-${hash}`;
}

/** A run id: the start date and time, the hash, and `-2`, `-3`... for runs started in the same second. */
export const RUN_ID = /^(\d{8})-(\d{6})-[0-9a-f]{6}(?:-\d+)?$/;
