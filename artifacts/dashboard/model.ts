/**
 * The dashboard's model: what the page shows, as data. `mooncake dashboard --format json` prints
 * it; the HTML page embeds it and renders it in the browser. Paths are relative to `root`.
 */
export const DASHBOARD_SCHEMA_VERSION = 1;

/** How many of each family's newest runs the history strip shows and the page holds in detail. */
export const DEFAULT_HISTORY = 20;

export type CardStatus = "pass" | "fail" | "running" | "incomplete" | "error" | "unknown";

/** A problem with an artifact, in seed 001's words: "Missing artifact: PATH" and the others. */
export interface Badge {
  kind: "missing" | "invalid" | "unsupported_version" | "notice";
  message: string;
}

export interface Counts {
  total: number;
  ok: number;
  changed: number;
  skipped: number;
  failed: number;
}

/** One run (or one entry of an artifact family), as the history strip and the runs table show it. */
export interface RunRow {
  /** Unique on the page: `<family key>/<id>`. */
  key: string;
  id: string;
  family: string;
  status: CardStatus;
  /** ISO time, or null when unknown. */
  started_at: string | null;
  duration_ms: number | null;
  counts: Counts | null;
  dry_run: boolean;
  pinned: boolean;
  path: string;
  /** Whether `details` holds this run. */
  detailed: boolean;
}

export interface FailedStep {
  step_id: string;
  name: string;
  error_kind: string | null;
  message: string;
  /** The last lines of the step's standard error, bounded. */
  stderr: string | null;
}

export interface ChangedFile {
  path: string;
  operation: string;
  kind: string;
  step_id: string;
}

export interface LabelledValue {
  label: string;
  value: string;
}

export interface FamilyCard {
  key: string;
  name: string;
  /** config: mooncake runs of one config; glob: an artifacts.yaml family; product: a seed-001 product. */
  kind: "config" | "glob" | "product";
  status: CardStatus;
  /** A seed-001 product's own status from products.json. */
  product_status: string | null;
  last: RunRow | null;
  last_pass: { id: string; started_at: string | null } | null;
  /** Newest first, at most the history limit. */
  history: string[];
  runs_total: number;
  pinned: string[];
  badges: Badge[];
  summary: string | null;
  failed_step: FailedStep | null;
  changed_files: ChangedFile[];
  changed_total: number;
  evidence: string[];
  fields: LabelledValue[];
  screenshot: { path: string; data_uri: string | null } | null;
}

export interface TimelineEvent {
  seq: number;
  timestamp: string;
  type: string;
  step_id: string | null;
  text: string;
}

export interface StepRow {
  step_id: string;
  name: string;
  action: string;
  status: string;
  duration_ms: number | null;
  attempts: number | null;
  rc: number | null;
  error_kind: string | null;
  error_message: string | null;
  stderr: string | null;
}

export interface RunDetail {
  key: string;
  error_message: string | null;
  error_kind: string | null;
  ended_at: string | null;
  badges: Badge[];
  steps: StepRow[];
  events: TimelineEvent[];
  /** Why the timeline is partial or absent, or null. */
  events_note: string | null;
  changed_files: ChangedFile[];
  evidence: string[];
  fields: LabelledValue[];
}

export interface DashboardModel {
  schema_version: typeof DASHBOARD_SCHEMA_VERSION;
  generated_at: string;
  /** The artifacts directory, absolute. */
  root: string;
  history_limit: number;
  /** Problems of the tree as a whole (history.jsonl, products.json, the policy). */
  badges: Badge[];
  families: FamilyCard[];
  /** Every run and entry, newest first. */
  runs: RunRow[];
  details: Record<string, RunDetail>;
}

/** A reader's problem message turned into a badge, by the seed-001 words it starts with. */
export function badgeOf(message: string): Badge {
  if (message.startsWith("Missing artifact")) return { kind: "missing", message };
  if (message.startsWith("Invalid artifact")) return { kind: "invalid", message };
  if (message.startsWith("Unsupported schema version")) return { kind: "unsupported_version", message };
  return { kind: "notice", message };
}

/** The newest run first; runs without a time last. */
export function newestFirst(a: RunRow, b: RunRow): number {
  return (b.started_at ?? "").localeCompare(a.started_at ?? "") || b.id.localeCompare(a.id);
}

/** A card with what follows from its family's rows (newest first); the caller adds what it read of the last run. */
export function cardFromRows(key: string, name: string, kind: FamilyCard["kind"], rows: readonly RunRow[], limit: number): FamilyCard {
  const last = rows[0] ?? null;
  const lastPass = rows.find((r) => r.status === "pass");
  return {
    key, name, kind,
    status: last?.status ?? "unknown",
    product_status: null,
    last,
    last_pass: lastPass ? { id: lastPass.id, started_at: lastPass.started_at } : null,
    history: rows.slice(0, limit).map((r) => r.key),
    runs_total: rows.length,
    pinned: rows.filter((r) => r.pinned).map((r) => r.id),
    badges: [], summary: null, failed_step: null, changed_files: [], changed_total: 0, evidence: [], fields: [], screenshot: null,
  };
}
