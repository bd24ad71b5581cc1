import { existsSync, readFileSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { writeFileAtomic } from "../../core/fs/write_file_atomic.ts";
import type { StoreEntry } from "../store/entry.ts";
import type { Policy } from "../store/policy.ts";
import { moveToTrash } from "../store/trash.ts";
import { canonicalMarkdown } from "./canonical_markdown.ts";
import { COMPACT_SUFFIX, compactBytes, expandBytes, sha256Hex } from "./compacted_file.ts";

export interface CompactionItem {
  entry: string;
  /** Path relative to the store root. */
  path: string;
  kind: "jsonl" | "markdown";
  before: number;
  after: number;
  /** Why the file is left as it is, when it is. */
  skipped?: string;
  /** Set when `apply` rewrote it. */
  applied: boolean;
}

/**
 * Compacts the entries' files the policy selects, reporting each file's size before and
 * after. JSONL: dictionary codec plus zstd, checked by checksum in memory and again from disk
 * before the original is removed. Markdown (opt-in): canonicalized, the original kept in the
 * trash. Without `apply` nothing is written. Runs in progress are left alone.
 */
export function compactEntries(root: string, entries: readonly StoreEntry[], policy: Policy, options: { apply: boolean; now: Date }): CompactionItem[] {
  const { jsonl, markdown } = policy.compaction;
  const items: CompactionItem[] = [];
  for (const entry of entries) {
    if (entry.locked) continue;
    for (const file of entry.files) {
      if (file.stored) continue;
      const isJsonl = file.path.endsWith(".jsonl") && jsonl.enabled;
      const isMarkdown = file.path.endsWith(".md") && markdown.enabled;
      if (!isJsonl && !isMarkdown) continue;
      const item: CompactionItem = { entry: entry.id, path: file.path, kind: isJsonl ? "jsonl" : "markdown", before: file.size, after: file.size, applied: false };
      items.push(item);
      const minKb = isJsonl ? jsonl.minSizeKb : markdown.minSizeKb;
      if (file.size < minKb * 1024) {
        item.skipped = `under min_size_kb ${minKb}`;
        continue;
      }
      const absolute = join(root, file.path);
      if (isJsonl) compactJsonl(absolute, item, jsonl.dictThreshold, options.apply);
      else compactMarkdown(root, entry, item, policy, options);
    }
  }
  return items;
}

function compactJsonl(absolute: string, item: CompactionItem, dictThreshold: number, apply: boolean): void {
  const original = readFileSync(absolute);
  const { bytes } = compactBytes(original, { jsonl: true, dictThreshold });
  item.after = bytes.length;
  if (bytes.length >= original.length * 0.9) {
    item.skipped = "compaction would save under 10%";
    item.after = item.before;
    return;
  }
  if (!apply) return;
  const target = absolute + COMPACT_SUFFIX;
  writeFileAtomic(target, bytes);
  // Read back what reached the disk before the original goes.
  const back = expandBytes(readFileSync(target));
  if (back.length !== original.length || sha256Hex(back) !== sha256Hex(original)) {
    rmSync(target, { force: true });
    throw new Error(`Cannot compact "${absolute}": the written file does not expand to the original`);
  }
  rmSync(absolute);
  item.applied = true;
}

function compactMarkdown(root: string, entry: StoreEntry, item: CompactionItem, policy: Policy, options: { apply: boolean; now: Date }): void {
  const absolute = join(root, item.path);
  const text = readFileSync(absolute, "utf8");
  const canonical = canonicalMarkdown(text, policy.compaction.markdown);
  item.after = Buffer.byteLength(canonical);
  if (canonical === text) {
    item.skipped = "already canonical";
    return;
  }
  if (!options.apply) return;
  moveToTrash(root, {
    id: item.path, family: entry.family, original_path: item.path, deleted_at: options.now.toISOString(),
    size: item.before, file_count: 1, reason: "compact: original of a canonicalized markdown file",
  });
  writeFileAtomic(absolute, canonical);
  item.applied = true;
}

/** Restores the original bytes of the entries' compacted files; returns the paths expanded (or that would be). */
export function expandEntries(root: string, entries: readonly StoreEntry[], apply: boolean): string[] {
  const expanded: string[] = [];
  for (const entry of entries) {
    for (const file of entry.files) {
      if (!file.stored) continue;
      expanded.push(file.path);
      if (!apply) continue;
      const original = expandBytes(readFileSync(join(root, file.stored)));
      writeFileAtomic(join(root, file.path), original);
      if (existsSync(join(root, file.path)) && statSync(join(root, file.path)).size === original.length) rmSync(join(root, file.stored));
    }
  }
  return expanded;
}
