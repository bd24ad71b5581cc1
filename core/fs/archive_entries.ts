import { createReadStream } from "node:fs";
import { pipeline } from "node:stream";
import { createGunzip } from "node:zlib";
import { tarEntries } from "./tar_entries.ts";
import { zipEntries } from "./zip_entries.ts";

export interface ArchiveEntry {
  /** As stored, "./" and trailing "/" removed. */
  name: string;
  type: "file" | "directory" | "symlink" | "hardlink";
  /** Permission bits (0o7777). */
  mode: number;
  /** A link's target: relative to the entry's directory for a symlink, to the archive root for a hard link. */
  linkname?: string;
  /** A file's length in bytes (0 for the other types). */
  size: number;
  /** A file's content, to read at most once before asking for the next entry (what is left unread is skipped); a chunk may be reused once the next one is asked for. */
  body: AsyncIterable<Uint8Array>;
}

export type ArchiveFormat = "tar" | "tar.gz" | "zip";

/** A truncated, corrupt or unsupported archive; the message says what is wrong. */
export class ArchiveError extends Error {}

/** How much an archive may hold before reading stops. */
export interface ArchiveLimits {
  /** Bytes of file content, all entries together. */
  maxBytes: number;
  maxEntries: number;
}

/** An archive holds more than a limit allows: `limit` says which. */
export class ArchiveLimitError extends Error {
  constructor(readonly limit: keyof ArchiveLimits, readonly value: number) {
    super(limit === "maxBytes" ? `its files hold more than ${value} bytes` : `it has more than ${value} entries`);
  }
}

/** The format from the file name: .tar, .tar.gz, .tgz, .zip; undefined for anything else. */
export function archiveFormat(path: string): ArchiveFormat | undefined {
  const lower = path.toLowerCase();
  if (lower.endsWith(".tar.gz") || lower.endsWith(".tgz")) return "tar.gz";
  if (lower.endsWith(".tar")) return "tar";
  if (lower.endsWith(".zip")) return "zip";
  return undefined;
}

/**
 * Every entry of the archive at `path`, in archive order, read in one pass with bounded memory:
 * nothing is gathered, a file's content streams through its `body` (whose length is checked
 * against `size`, so the sizes the limits count are the real ones). Stops with
 * ArchiveLimitError as soon as `limits` are passed, ArchiveError on a truncated or corrupt archive.
 */
export async function* readArchive(path: string, format: ArchiveFormat, limits: ArchiveLimits): AsyncGenerator<ArchiveEntry> {
  const entries = format === "zip" ? zipEntries(path) : tarEntries(tarStream(path, format === "tar.gz"));
  let count = 0;
  let bytes = 0;
  for await (const entry of entries) {
    if (++count > limits.maxEntries) throw new ArchiveLimitError("maxEntries", limits.maxEntries);
    bytes += entry.size;
    if (bytes > limits.maxBytes) throw new ArchiveLimitError("maxBytes", limits.maxBytes);
    yield entry;
  }
}

async function* tarStream(path: string, gzipped: boolean): AsyncGenerator<Uint8Array> {
  const file = createReadStream(path, { highWaterMark: 1 << 16 });
  if (!gzipped) {
    yield* file;
    return;
  }
  const gunzip = createGunzip({ chunkSize: 1 << 16 });
  pipeline(file, gunzip, () => {});
  try {
    yield* gunzip;
  } catch (e) {
    if (String((e as NodeJS.ErrnoException).code ?? "").startsWith("Z_")) throw new ArchiveError("the gzip data is truncated or corrupt");
    throw e;
  } finally {
    gunzip.destroy();
  }
}
