/** One entry of the store: a run directory, or a directory or file a policy glob matched. */
export type EntryStatus = "pass" | "fail" | "incomplete" | "unknown";

export interface EntryFile {
  /** Path relative to the store root, as a reader asks for it (a compacted file under its original name). */
  path: string;
  /** Bytes on disk. */
  size: number;
  mtimeMs: number;
  /** Set when the file on disk is the compacted form of `path`. */
  stored?: string;
}

export interface StoreEntry {
  /** The run id for a mooncake run, else the path relative to the root. */
  id: string;
  family: string;
  /** Path relative to the store root. */
  path: string;
  kind: "dir" | "file";
  /** Milliseconds since the epoch: from a timestamp in the name, else the mtime. */
  timestamp: number;
  size: number;
  fileCount: number;
  status: EntryStatus;
  pinned: boolean;
  /** A run holds its lock: `mooncake run` is writing it. */
  locked: boolean;
  /** seed 001's `last_run.json`, which is never deleted. */
  lastRunPointer: boolean;
  /** A mooncake `--dry-run`: recorded, but a preview is no evidence, so never a family's last pass. */
  dryRun: boolean;
  files: readonly EntryFile[];
}

/** Whether an entry can be its family's last pass: it passed, and was not a dry run. */
export function countsAsPass(entry: Pick<StoreEntry, "status" | "dryRun">): boolean {
  return entry.status === "pass" && !entry.dryRun;
}

export { RUN_ID } from "../../core/exec/run_id.ts";

/** The file names the store keeps for itself at its root. */
export const STORE_FILES = new Set([".manifest.json", ".manifest.backup.json", ".trash", ".pins.json", ".store.lock", "artifacts.yaml"]);
