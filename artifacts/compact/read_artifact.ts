import { existsSync, readFileSync } from "node:fs";
import { COMPACT_SUFFIX, expandBytes } from "./compacted_file.ts";

/**
 * The bytes of an artifact, whether it is on disk as written or compacted beside its name
 * (`events.jsonl.mcz`): every reader of artifacts goes through here. Throws ENOENT when neither exists.
 */
export function readArtifactBytes(path: string): Uint8Array {
  if (existsSync(path)) return readFileSync(path);
  if (existsSync(path + COMPACT_SUFFIX)) return expandBytes(readFileSync(path + COMPACT_SUFFIX));
  const error = new Error(`Cannot read "${path}": no such file`) as NodeJS.ErrnoException;
  error.code = "ENOENT";
  throw error;
}

/** Whether an artifact is on disk, as written or compacted. */
export function artifactExists(path: string): boolean {
  return existsSync(path) || existsSync(path + COMPACT_SUFFIX);
}
