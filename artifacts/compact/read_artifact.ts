import { closeSync, existsSync, openSync, readFileSync, readSync } from "node:fs";
import { COMPACT_SUFFIX, expandBytes, expandFile } from "./compacted_file.ts";

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

/**
 * The bytes of an artifact as written or compacted, a chunk at a time: `artifacts cat` of any size
 * in bounded memory. A chunk is valid until the next is asked for (its buffer is reused).
 */
export function artifactChunks(path: string): Iterable<Uint8Array> {
  if (existsSync(path)) return readChunks(path);
  if (existsSync(path + COMPACT_SUFFIX)) return expandFile(path + COMPACT_SUFFIX);
  const error = new Error(`Cannot read "${path}": no such file`) as NodeJS.ErrnoException;
  error.code = "ENOENT";
  throw error;
}

/** A file's bytes in chunks of 1 MiB, so a large one never sits whole in memory. */
export function* readChunks(path: string): Generator<Uint8Array> {
  const fd = openSync(path, "r");
  try {
    for (;;) {
      const buffer = Buffer.allocUnsafe(1024 * 1024);
      const n = readSync(fd, buffer, 0, buffer.length, null);
      if (n === 0) return;
      yield buffer.subarray(0, n);
    }
  } finally {
    closeSync(fd);
  }
}

