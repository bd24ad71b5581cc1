import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { writeFileAtomic } from "../../core/fs/write_file_atomic.ts";
import type { StoreEntry } from "../store/entry.ts";
import type { Policy } from "../store/policy.ts";
import { moveToTrash } from "../store/trash.ts";
import { canonicalMarkdown } from "./canonical_markdown.ts";
import { COMPACT_SUFFIX, compactedSize, expandToFile, writeCompacted } from "./compacted_file.ts";

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
 * after. JSONL: column codec plus zstd, streamed a frame at a time, every frame proven to
 * expand to its original bytes before it is written; the original is removed once the whole
 * is on disk (fsync, rename). Markdown (opt-in): canonicalized, the original kept in the
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
      if (isJsonl) compactJsonl(absolute, item, options.apply);
      else compactMarkdown(root, entry, item, policy, options);
    }
  }
  return items;
}

function compactJsonl(absolute: string, item: CompactionItem, apply: boolean): void {
  const options = { jsonl: true };
  const worth = (size: number) => size < item.before * 0.9;
  item.after = apply ? writeCompacted(absolute, absolute + COMPACT_SUFFIX, options, worth) : compactedSize(absolute, options);
  if (!worth(item.after)) {
    item.skipped = "compaction would save under 10%";
    item.after = item.before;
    return;
  }
  if (!apply) return;
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
      expandToFile(join(root, file.stored), join(root, file.path));
      rmSync(join(root, file.stored));
    }
  }
  return expanded;
}
