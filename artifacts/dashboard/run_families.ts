import { join } from "node:path";
import type { StoreEntry } from "../store/entry.ts";
import { readRun } from "../reader/read_run.ts";
import { runOfPath } from "../runs_location.ts";
import { RUN_FILES, type HistoryEntry, type StepOutput, type StepResult } from "../run_files.ts";
import { readEventTimeline } from "./event_timeline.ts";
import {
  badgeOf, cardFromRows, newestFirst,
  type CardStatus, type ChangedFile, type FamilyCard, type FailedStep, type RunDetail, type RunRow, type StepRow,
} from "./model.ts";

/** Changed files a card lists; the run view lists them all. */
const CARD_CHANGED_FILES = 20;
const STDERR_LINES = 12;
const STDERR_CHARS = 2000;

export interface FamiliesPart {
  cards: FamilyCard[];
  rows: RunRow[];
  details: RunDetail[];
}

/**
 * The cards of the mooncake runs under `runs/` and `hosts/<host>/runs/`, one per config (and
 * host): rows for every run (from its history line, keyed by entry id, else from the store
 * entry), and the newest `limit` of each family read in detail.
 */
export function runFamilies(root: string, entries: readonly StoreEntry[], lines: ReadonlyMap<string, HistoryEntry>, limit: number): FamiliesPart {
  const byFamily = groupBy(entries, (e) => e.family);
  const part: FamiliesPart = { cards: [], rows: [], details: [] };
  for (const [family, members] of byFamily) {
    const familyKey = `config:${family}`;
    const rows = members.map((entry) => rowOf(familyKey, entry, lines.get(entry.id))).sort(newestFirst);
    const details = new Map<string, { detail: RunDetail; failed: FailedStep | null; summaryEvidence: string[] }>();
    for (const row of rows.slice(0, limit)) {
      const read = readDetail(root, row);
      details.set(row.key, read);
      part.details.push(read.detail);
      row.detailed = true;
    }
    const lastDetail = rows[0] ? details.get(rows[0].key) : undefined;
    part.cards.push({
      ...cardFromRows(familyKey, family, "config", rows, limit),
      badges: lastDetail?.detail.badges ?? [],
      // The failed step block says what a step failure's message says; other run errors (an interrupt) show here.
      summary: lastDetail?.failed ? null : lastDetail?.detail.error_message ?? null,
      failed_step: lastDetail?.failed ?? null,
      changed_files: lastDetail?.detail.changed_files.slice(0, CARD_CHANGED_FILES) ?? [],
      changed_total: lastDetail?.detail.changed_files.length ?? 0,
      evidence: lastDetail?.summaryEvidence ?? [],
    });
    part.rows.push(...rows);
  }
  return part;
}

function rowOf(familyKey: string, entry: StoreEntry, line: HistoryEntry | undefined): RunRow {
  let status: CardStatus = entry.locked ? "running" : entry.status;
  if (!entry.locked && line) status = line.status === "ok" ? "pass" : "fail";
  return {
    key: `${familyKey}/${entry.id}`,
    id: entry.id,
    family: entry.family,
    status,
    started_at: line?.start_time ?? new Date(entry.timestamp).toISOString(),
    duration_ms: line?.duration_ms ?? null,
    counts: line ? { total: line.counts.total, ok: line.counts.ok, changed: line.counts.changed, skipped: line.counts.skipped, failed: line.counts.failed } : null,
    dry_run: line?.dry_run ?? false,
    pinned: entry.pinned,
    path: entry.path,
    detailed: false,
  };
}

function readDetail(root: string, row: RunRow): { detail: RunDetail; failed: FailedStep | null; summaryEvidence: string[] } {
  const { location, runId } = runOfPath(root, row.path)!;
  const run = readRun(location, runId);
  const { summary, results, diff } = run;
  if (run.state !== "complete") row.status = run.state;
  if (summary) {
    if (row.duration_ms === null && typeof summary.duration_ms === "number") row.duration_ms = summary.duration_ms;
    if (row.counts === null && typeof summary.total_steps === "number") {
      row.counts = {
        total: summary.total_steps, ok: (summary.success_steps ?? 0) - (summary.changed_steps ?? 0),
        changed: summary.changed_steps ?? 0, skipped: summary.skipped_steps ?? 0, failed: summary.failed_steps ?? 0,
      };
    }
    if (typeof summary.start_time === "string") row.started_at = summary.start_time;
    if (typeof summary.dry_run === "boolean") row.dry_run = summary.dry_run;
  }
  const steps = Array.isArray(results?.steps) ? results.steps : [];
  const firstFailure = steps.find((s) => s?.status === "failed" && !s.ignored) ?? steps.find((s) => s?.status === "failed");
  const timeline = readEventTimeline(join(root, row.path, RUN_FILES.events));
  const inRun = (paths: unknown): string[] => (Array.isArray(paths) ? paths.filter((p): p is string => typeof p === "string").map((p) => `${row.path}/${p}`) : []);
  const badges = run.problems.map(badgeOf);
  if (row.status === "running") badges.unshift({ kind: "notice", message: "Running now: the run holds its lock" });
  const detail: RunDetail = {
    key: row.key,
    error_message: summary?.error_message ?? null,
    error_kind: summary?.error_kind ?? null,
    ended_at: summary?.end_time ?? null,
    badges,
    steps: steps.map(stepRow),
    events: timeline.events,
    events_note: timeline.note,
    changed_files: changedFiles(diff?.changed_files),
    evidence: inRun(summary?.evidence),
    fields: [],
  };
  const failed: FailedStep | null = firstFailure
    ? {
      step_id: firstFailure.step_id,
      name: firstFailure.name,
      error_kind: firstFailure.error_kind ?? null,
      message: firstFailure.error_message ?? "",
      stderr: tailOf(firstFailure.stderr),
    }
    : null;
  return { detail, failed, summaryEvidence: detail.evidence };
}

function stepRow(step: StepResult): StepRow {
  return {
    step_id: step.step_id,
    name: step.name,
    action: step.action,
    status: step.status,
    duration_ms: step.duration_ms ?? null,
    attempts: step.attempts ?? null,
    rc: step.rc ?? null,
    error_kind: step.error_kind ?? null,
    error_message: step.error_message ?? null,
    stderr: step.status === "failed" ? tailOf(step.stderr) : null,
  };
}

function changedFiles(files: unknown): ChangedFile[] {
  if (!Array.isArray(files)) return [];
  return files.map((f: Record<string, unknown>) => ({
    path: String(f.path ?? ""), operation: String(f.operation ?? ""), kind: String(f.kind ?? ""), step_id: String(f.step_id ?? ""),
  }));
}

/** The last lines of a captured stream, bounded, or null when it holds nothing. */
function tailOf(output: StepOutput | null | undefined): string | null {
  const text = output?.text?.trimEnd();
  if (!text) return null;
  const tail = text.split("\n").slice(-STDERR_LINES).join("\n");
  return tail.length > STDERR_CHARS ? `…${tail.slice(-STDERR_CHARS)}` : tail;
}

export function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}
