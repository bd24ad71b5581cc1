import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { writeFileAtomic } from "../../core/fs/write_file_atomic.ts";
import { runLockState } from "../run_lock.ts";
import type { StoreEntry } from "./entry.ts";
import { formatSize } from "./parse_size.ts";
import type { RetentionPlan } from "./plan_retention.ts";
import { moveToTrash, TRASH_DIR, type TrashRecord } from "./trash.ts";
import { StoreError } from "./store_error.ts";
import { validatePlan } from "./validate_plan.ts";

export interface GcOutcome {
  moved: TrashRecord[];
  /** Entries left in place because they changed since the plan (a run took its lock). */
  skipped: { id: string; why: string }[];
  reportPath: string;
}

/**
 * Carries out a validated plan: every entry to delete is moved into `.trash/<entry-id>/` (a
 * rename), then `.trash/gc_report_<timestamp>.md` is written. The manifest is the caller's to
 * rescan last, so an interruption leaves a state the next scan repairs.
 */
export function applyGc(root: string, entries: readonly StoreEntry[], plan: RetentionPlan, now: Date, policySource: string | null, onMoved?: (moved: number, total: number) => void): GcOutcome {
  const problems = validatePlan(entries, plan);
  if (problems.length) throw new StoreError(`GC plan validation failed: ${problems.join("; ")}`);
  mkdirSync(join(root, TRASH_DIR), { recursive: true });
  const moved: TrashRecord[] = [];
  const skipped: GcOutcome["skipped"] = [];
  const total = plan.decisions.filter((d) => d.action === "delete").length;
  plan.decisions.forEach((decision, i) => {
    if (decision.action !== "delete") return;
    const entry = entries[i]!;
    if (entry.kind === "dir" && runLockState(join(root, entry.path)) === "held") {
      skipped.push({ id: entry.id, why: "a run took its lock since the plan was made" });
      return;
    }
    if (!existsSync(join(root, entry.path))) {
      skipped.push({ id: entry.id, why: "it is gone already" });
      return;
    }
    moved.push(moveToTrash(root, {
      id: entry.id, family: entry.family, original_path: entry.path, deleted_at: now.toISOString(),
      size: entry.size, file_count: entry.fileCount, reason: decision.reason,
    }));
    onMoved?.(moved.length, total);
  });
  let reportPath = join(root, TRASH_DIR, `gc_report_${stamp(now)}.md`);
  for (let n = 2; existsSync(reportPath); n++) reportPath = join(root, TRASH_DIR, `gc_report_${stamp(now)}_${n}.md`);
  writeFileAtomic(reportPath, gcReport(entries, plan, moved, skipped, now, policySource));
  return { moved, skipped, reportPath };
}

/** 2025-09-06T14:30:22.123Z -> 20250906_143022, as seed 002 names its reports. */
export function stamp(now: Date): string {
  return now.toISOString().replace(/[-:]/g, "").replace("T", "_").replace(/\.\d+Z$/, "");
}

function gcReport(entries: readonly StoreEntry[], plan: RetentionPlan, moved: readonly TrashRecord[], skipped: GcOutcome["skipped"], now: Date, policySource: string | null): string {
  const bytes = moved.reduce((s, m) => s + m.size, 0);
  const files = moved.reduce((s, m) => s + m.file_count, 0);
  const lines = [
    `# GC report ${now.toISOString()}`,
    "",
    `Policy: ${policySource ?? "built-in defaults (keep 10 last)"}`,
    `Moved to trash: ${moved.length} entries (${formatSize(bytes)}, ${files} files); kept ${plan.decisions.filter((d) => d.action === "keep").length} of ${entries.length}.`,
    "Restore one with `mooncake artifacts restore --id ID`.",
    "",
    "## By family",
    "",
    "| family | policy | kept | deleted | size deleted |",
    "| --- | --- | --- | --- | --- |",
    ...plan.families.map((f) => `| ${f.family} | ${f.policy} | ${f.kept}/${f.total} | ${f.deleted} | ${formatSize(f.bytesDeleted)} |`),
    "",
    "## Moved to trash",
    "",
    "| id | family | size | files | reason | trash |",
    "| --- | --- | --- | --- | --- | --- |",
    ...moved.map((m) => `| ${m.id} | ${m.family} | ${formatSize(m.size)} | ${m.file_count} | ${m.reason} | ${TRASH_DIR}/${m.trash_id} |`),
  ];
  if (skipped.length) lines.push("", "## Skipped", "", ...skipped.map((s) => `- ${s.id}: ${s.why}`));
  lines.push("", "## Kept", "", "| id | family | reason |", "| --- | --- | --- |");
  plan.decisions.forEach((d) => {
    if (d.action === "keep") lines.push(`| ${d.id} | ${d.family} | ${d.reason} |`);
  });
  return `${lines.join("\n")}\n`;
}
