import { closeSync, openSync, readFileSync, readSync } from "node:fs";
import { join } from "node:path";
import { readCompactedHeader } from "../compact/compacted_file.ts";
import { discoverEntries } from "./discover_entries.ts";
import type { StoreEntry } from "./entry.ts";
import { hashFile } from "./hash_file.ts";
import { MANIFEST_VERSION, readManifestFile, writeManifest, type Manifest, type ManifestEntry } from "./manifest.ts";
import type { Policy } from "./policy.ts";

export interface ScanProgress {
  entries: number;
  files: number;
  bytes: number;
}

export interface ScanResult {
  manifest: Manifest;
  entries: StoreEntry[];
  /** Files hashed now, and files whose checksum was reused from the previous manifest (same size and mtime). */
  hashed: number;
  reused: number;
  bytesHashed: number;
  /** Why the previous manifest could not be used, when it could not. */
  previousProblem?: string;
}

/**
 * Indexes the store: finds its entries and checksums every file, reusing the previous
 * manifest's checksum for a file whose size and mtime are unchanged unless `force`. Files are
 * hashed by `parallel_workers` concurrent readers. Writes nothing; see `writeManifest`.
 */
export async function scanStore(root: string, policy: Policy, options: { force?: boolean; now: Date; onProgress?: (p: ScanProgress) => void }): Promise<ScanResult> {
  const entries = discoverEntries(root, policy);
  const previousRead = readManifestFile(join(root, ".manifest.json"));
  const previous = previousRead.manifest ?? readManifestFile(join(root, ".manifest.backup.json")).manifest;
  const known = new Map<string, { size: number; mtime_ms: number; sha256: string; stored?: string }>();
  if (previous && !options.force) for (const e of previous.entries) for (const f of e.files) known.set(f.path, f);

  const jobs: { entry: number; file: number; path: string }[] = [];
  const shas: string[][] = entries.map((e) => new Array<string>(e.files.length));
  let reused = 0;
  entries.forEach((entry, i) => entry.files.forEach((file, j) => {
    const before = known.get(file.path);
    if (before && before.size === file.size && before.mtime_ms === file.mtimeMs && before.stored === file.stored) {
      shas[i]![j] = before.sha256;
      reused++;
    } else {
      jobs.push({ entry: i, file: j, path: join(root, file.stored ?? file.path) });
    }
  }));

  const progress: ScanProgress = { entries: 0, files: reused, bytes: 0 };
  const bufferSize = policy.indexing.checksumBufferKb * 1024;
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const job = jobs[next++]!;
      const file = entries[job.entry]!.files[job.file]!;
      shas[job.entry]![job.file] = file.stored ? compactedSha(job.path) : await hashOne(job.path, file.size, bufferSize);
      progress.files++;
      progress.bytes += file.size;
      if (progress.files % 500 === 0) options.onProgress?.(progress);
    }
  };
  await Promise.all(Array.from({ length: policy.indexing.parallelWorkers }, worker));
  progress.entries = entries.length;
  options.onProgress?.(progress);

  const manifest: Manifest = {
    schema_version: MANIFEST_VERSION,
    generated_at: options.now.toISOString(),
    entries: entries.map((e, i) => toManifestEntry(e, shas[i]!)),
  };
  const result: ScanResult = { manifest, entries, hashed: jobs.length, reused, bytesHashed: progress.bytes };
  if (previousRead.problem) result.previousProblem = previousRead.problem;
  return result;
}

/** Scans and writes the manifest (the previous one kept as the backup). */
export async function rescanAndWrite(root: string, policy: Policy, now: Date): Promise<ScanResult> {
  const result = await scanStore(root, policy, { now });
  writeManifest(root, result.manifest);
  return result;
}

/**
 * Large files are read asynchronously in chunks so several overlap; small ones are read whole
 * and synchronously, which measured faster than any async reader for files of a few KB.
 */
async function hashOne(path: string, size: number, bufferSize: number): Promise<string> {
  if (size <= bufferSize) return Bun.CryptoHasher.hash("sha256", readFileSync(path), "hex");
  if (size > bufferSize * 8) return hashFile(path, bufferSize);
  return Bun.CryptoHasher.hash("sha256", await Bun.file(path).bytes(), "hex");
}

/** A compacted file's checksum is its original's, recorded in its header. */
function compactedSha(path: string): string {
  const fd = openSync(path, "r");
  try {
    const head = Buffer.alloc(1024);
    const n = readSync(fd, head, 0, head.length, 0);
    return readCompactedHeader(head.subarray(0, n))?.header.original_sha256 ?? "0".repeat(64);
  } finally {
    closeSync(fd);
  }
}

function toManifestEntry(e: StoreEntry, shas: readonly string[]): ManifestEntry {
  return {
    id: e.id, family: e.family, path: e.path, kind: e.kind,
    timestamp: new Date(e.timestamp).toISOString(),
    size: e.size, file_count: e.fileCount, status: e.status, pinned: e.pinned, locked: e.locked,
    files: e.files.map((f, i) => ({ path: f.path, size: f.size, mtime_ms: f.mtimeMs, sha256: shas[i]!, ...(f.stored ? { stored: f.stored } : {}) })),
  };
}
