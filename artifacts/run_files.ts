import { Type, type Static, type TSchema } from "@sinclair/typebox";
import { CaptureStats, Change, ErrorKind, FileChangedData, RunStatus, StepStatus } from "../core/events/event.ts";

/**
 * The files of a run directory, as TypeBox types: the writer builds values of these types, the
 * readers check files against them, and schemas/*.schema.json are generated from them.
 * Every file carries `schema_version`; docs/run-artifacts.md describes each one.
 */
export const ARTIFACT_SCHEMA_VERSION = 1;

const Version = Type.Literal(ARTIFACT_SCHEMA_VERSION);
const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

/** Where the full story of a failure is, as paths relative to the run directory. */
const Evidence = Type.Array(Type.String());

/** A stream as results.json keeps it: the bounded text, how it was cut, and where the whole of it is. */
export const StepOutput = Type.Composite([
  Type.Object({ text: Type.String() }),
  CaptureStats,
  Type.Object({
    /** The log holding every line of the stream (with --capture-full-output), else null. */
    full_log: Nullable(Type.String()),
  }),
]);
export type StepOutput = Static<typeof StepOutput>;

export const StepResult = Type.Object({
  step_id: Type.String(),
  name: Type.String(),
  action: Type.String(),
  /** How deep in includes the step was declared: 0 for the root file. */
  level: Type.Integer({ minimum: 0 }),
  status: StepStatus,
  changed: Type.Boolean(),
  started_at: Type.String(),
  ended_at: Type.String(),
  duration_ms: Type.Number(),
  attempts: Type.Integer(),
  rc: Nullable(Type.Integer()),
  /** A failure that `ignore_errors: true` let the run go past. */
  ignored: Type.Boolean(),
  error_message: Nullable(Type.String()),
  error_kind: Nullable(ErrorKind),
  evidence: Evidence,
  change: Nullable(Change),
  skip_reason: Nullable(Type.String()),
  stdout: Nullable(StepOutput),
  stderr: Nullable(StepOutput),
});
export type StepResult = Static<typeof StepResult>;

const StepCounts = {
  /** Steps that finished (loop items count one each). */
  total_steps: Type.Integer(),
  /** ok or changed. */
  success_steps: Type.Integer(),
  failed_steps: Type.Integer(),
  skipped_steps: Type.Integer(),
  changed_steps: Type.Integer(),
  /** Failed with `ignore_errors: true`; also counted in failed_steps. */
  ignored_steps: Type.Integer(),
};

export const RunResults = Type.Object({
  schema_version: Version,
  run_id: Type.String(),
  dry_run: Type.Boolean(),
  ...StepCounts,
  steps: Type.Array(StepResult),
}, { title: "mooncake run results (results.json)" });
export type RunResults = Static<typeof RunResults>;

export const RunSummary = Type.Object({
  schema_version: Version,
  run_id: Type.String(),
  root_file: Type.String(),
  dry_run: Type.Boolean(),
  status: RunStatus,
  success: Type.Boolean(),
  start_time: Type.String(),
  end_time: Type.String(),
  duration_ms: Type.Number(),
  /** Steps in the plan; loops known only at run time count once. */
  planned_steps: Type.Integer(),
  ...StepCounts,
  failed_step_ids: Type.Array(Type.String()),
  error_message: Nullable(Type.String()),
  error_kind: Nullable(ErrorKind),
  evidence: Evidence,
  /** Whether stdout.log and stderr.log hold every output line. */
  full_output: Type.Boolean(),
}, { title: "mooncake run summary (summary.json)" });
export type RunSummary = Static<typeof RunSummary>;

/** A `file.changed` event's data and the step that made the change. */
export const FileChange = Type.Composite([FileChangedData, Type.Object({ step_id: Type.String() })]);
export type FileChange = Static<typeof FileChange>;

export const RunDiff = Type.Object({
  schema_version: Version,
  run_id: Type.String(),
  dry_run: Type.Boolean(),
  changed_files: Type.Array(FileChange),
  total: Type.Integer(),
}, { title: "mooncake changed files (diff.json)" });
export type RunDiff = Static<typeof RunDiff>;

/** The flat facts the run saw, beside the version. */
export const RunFacts = Type.Object({ schema_version: Version }, {
  additionalProperties: Type.Unknown(),
  title: "mooncake facts (facts.json)",
});
export type RunFacts = Static<typeof RunFacts>;

export const LastRun = Type.Object({
  schema_version: Version,
  run_id: Type.String(),
  /** The run directory, relative to the runs/ directory that holds this file. */
  path: Type.String(),
  summary: RunSummary,
}, { title: "mooncake newest run (runs/last_run.json)" });
export type LastRun = Static<typeof LastRun>;

export const HistoryEntry = Type.Object({
  schema_version: Version,
  run_id: Type.String(),
  root_file: Type.String(),
  start_time: Type.String(),
  duration_ms: Type.Number(),
  status: RunStatus,
  dry_run: Type.Boolean(),
  counts: Type.Object({
    total: Type.Integer(),
    ok: Type.Integer(),
    changed: Type.Integer(),
    skipped: Type.Integer(),
    failed: Type.Integer(),
    ignored: Type.Integer(),
  }),
}, { title: "mooncake run history line (runs/history.jsonl)" });
export type HistoryEntry = Static<typeof HistoryEntry>;

/** The history line of a finished run, from its summary. */
export function historyEntryOf(summary: RunSummary): HistoryEntry {
  return {
    schema_version: ARTIFACT_SCHEMA_VERSION,
    run_id: summary.run_id,
    root_file: summary.root_file,
    start_time: summary.start_time,
    duration_ms: summary.duration_ms,
    status: summary.status,
    dry_run: summary.dry_run,
    counts: {
      total: summary.total_steps,
      ok: summary.success_steps - summary.changed_steps,
      changed: summary.changed_steps,
      skipped: summary.skipped_steps,
      failed: summary.failed_steps,
      ignored: summary.ignored_steps,
    },
  };
}

/** The run directory's file names. */
export const RUN_FILES = {
  plan: "plan.json",
  facts: "facts.json",
  summary: "summary.json",
  results: "results.json",
  events: "events.jsonl",
  diff: "diff.json",
  stdout: "stdout.log",
  stderr: "stderr.log",
  lock: "run.lock",
} as const;

export const LAST_RUN_FILE = "last_run.json";
export const HISTORY_FILE = "history.jsonl";
