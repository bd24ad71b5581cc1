import { Type, type Static, type TSchema } from "@sinclair/typebox";
import { SourcePosition } from "../plan/plan.ts";

/**
 * The event stream of a run. Presenters and the artifact writer see nothing else: every line
 * mooncake prints about a run, and every record it keeps, is derived from these events.
 */
export const EVENT_SCHEMA_VERSION = 1;

export const StepStatus = Type.Union([Type.Literal("ok"), Type.Literal("changed"), Type.Literal("skipped"), Type.Literal("failed")]);
export type StepStatus = Static<typeof StepStatus>;

export const RunStatus = Type.Union([Type.Literal("ok"), Type.Literal("failed"), Type.Literal("interrupted")]);
export type RunStatus = Static<typeof RunStatus>;

/** What an action's check found: the closed union of STYLE.md. `none` always says why. */
export const Change = Type.Object({
  kind: Type.Union([Type.Literal("create"), Type.Literal("update"), Type.Literal("delete"), Type.Literal("run"), Type.Literal("none")]),
  reason: Type.String(),
  /** The command that runs, or the path that changes. */
  detail: Type.Optional(Type.String()),
  /** A unified diff of content, when content changes. */
  diff: Type.Optional(Type.String()),
  /** Text for the user whatever the verdict, such as what `print` shows. */
  message: Type.Optional(Type.String()),
  /** The paths the change creates or modifies: in a dry-run, later steps may read them before they exist. */
  paths: Type.Optional(Type.Array(Type.String())),
});
export type Change = Static<typeof Change>;

/** Documented in docs/run.md; the run-artifacts issue extends the set, never renames a kind. */
export const ErrorKind = Type.Union([
  "exit_code", "failed_when", "timeout", "command_not_found", "permission_denied", "become",
  "template", "validation", "interrupted", "internal", "assertion",
  "io", "checksum_mismatch", "network", "danger", "artifacts", "policy",
].map((k) => Type.Literal(k)));
export type ErrorKind = Static<typeof ErrorKind>;

export const StepError = Type.Object({ kind: ErrorKind, message: Type.String() });
export type StepError = Static<typeof StepError>;

/** A stream kept within --max-output-bytes/--max-output-lines, with the cut stated. */
export const CapturedOutput = Type.Object({
  text: Type.String(),
  truncated: Type.Boolean(),
  original_bytes: Type.Integer(),
  original_lines: Type.Integer(),
  kept_head_bytes: Type.Integer(),
  kept_tail_bytes: Type.Integer(),
  dropped_bytes: Type.Integer(),
  dropped_lines: Type.Integer(),
});
export type CapturedOutput = Static<typeof CapturedOutput>;

export const CaptureStats = Type.Omit(CapturedOutput, ["text"]);
export type CaptureStats = Static<typeof CaptureStats>;

export const Counts = Type.Object({
  ok: Type.Integer(),
  changed: Type.Integer(),
  skipped: Type.Integer(),
  failed: Type.Integer(),
  /** Failed steps with `ignore_errors: true`; also counted in `failed`. */
  ignored: Type.Integer(),
  /** Dry-runs only: steps whose verdict is unknown until a real run (skip reason `unknown`); also counted in `skipped`. */
  unknown: Type.Optional(Type.Integer()),
});
export type Counts = Static<typeof Counts>;

/**
 * Why a step was skipped: its `when` was false, it is outside `--tags`, its loop is empty, or
 * (dry-run only) its verdict reads a value that is unknown until a real run.
 */
export const SkipInfo = Type.Object({
  reason: Type.Union([Type.Literal("when"), Type.Literal("tags"), Type.Literal("empty_loop"), Type.Literal("unknown")]),
  message: Type.String(),
});
export type SkipInfo = Static<typeof SkipInfo>;


/** A file or directory an action created, modified or removed: what diff.json lists. */
export const FileChangedData = Type.Object({
  path: Type.String(),
  operation: Type.Union([Type.Literal("created"), Type.Literal("modified"), Type.Literal("removed")]),
  size_bytes: Type.Integer(),
  kind: Type.Union([Type.Literal("file"), Type.Literal("directory"), Type.Literal("link")]),
});

const EVENT_DATA = {
  "run.started": Type.Object({
    root_file: Type.String(),
    dry_run: Type.Boolean(),
    tags: Type.Array(Type.String()),
    total_steps: Type.Integer(),
    from_plan: Type.Optional(Type.String()),
  }),
  "plan.built": Type.Object({
    root_file: Type.String(),
    total_steps: Type.Integer(),
    selected_steps: Type.Integer(),
    sources: Type.Array(Type.Object({ file: Type.String(), sha256: Type.String() })),
  }),
  "step.started": Type.Object({
    name: Type.String(),
    action: Type.String(),
    dry_run: Type.Boolean(),
    origin: SourcePosition,
  }),
  /** Consecutive lines of the stream (without newlines), the first being line `first_line` (1-based). */
  "step.stdout": Type.Object({ lines: Type.Array(Type.String()), first_line: Type.Integer() }),
  "step.stderr": Type.Object({ lines: Type.Array(Type.String()), first_line: Type.Integer() }),
  /** A failed attempt that will be tried again after `delay_ms`. */
  "step.retry": Type.Object({
    attempt: Type.Integer(),
    max_attempts: Type.Integer(),
    delay_ms: Type.Integer(),
    error: StepError,
  }),
  "file.changed": FileChangedData,
  "step.finished": Type.Object({
    name: Type.String(),
    action: Type.String(),
    status: StepStatus,
    changed: Type.Boolean(),
    dry_run: Type.Boolean(),
    started_at: Type.String(),
    ended_at: Type.String(),
    duration_ms: Type.Number(),
    attempts: Type.Integer(),
    origin: SourcePosition,
    /** A failure that `ignore_errors: true` let the run go past. */
    ignored: Type.Optional(Type.Boolean()),
    /**
     * Dry-run only: the step did not run, so `result` holds only what its check saw; later steps
     * read its registered value as unknown.
     */
    known_after_run: Type.Optional(Type.Literal(true)),
    skipped: Type.Optional(SkipInfo),
    change: Type.Optional(Change),
    error: Type.Optional(StepError),
    /** Things the step did that it should not have, which did not fail it (a background process holding the output open). */
    warnings: Type.Optional(Type.Array(Type.String())),
    /** What `register` stores for the step, less `stdout_lines`/`stderr_lines` (derived from the text). */
    result: Type.Record(Type.String(), Type.Unknown()),
    /** How the output kept in `result` was cut to the limits. */
    stdout_capture: Type.Optional(CaptureStats),
    stderr_capture: Type.Optional(CaptureStats),
  }),
  "run.finished": Type.Object({
    status: RunStatus,
    dry_run: Type.Boolean(),
    duration_ms: Type.Number(),
    counts: Counts,
    failed_steps: Type.Array(Type.String()),
    error: Type.Optional(StepError),
  }),
} satisfies Record<string, TSchema>;

export type EventType = keyof typeof EVENT_DATA;
export type FileChanged = EventData<"file.changed">;
export type EventData<T extends EventType> = Static<(typeof EVENT_DATA)[T]>;

export interface RunEventOf<T extends EventType> {
  schema_version: number;
  type: T;
  run_id: string;
  seq: number;
  timestamp: string;
  step_id?: string;
  data: EventData<T>;
}

/** Any event, discriminated by `type`. */
export type RunEvent = { [T in EventType]: RunEventOf<T> }[EventType];

/** The JSON Schema of one events.jsonl line. */
export function eventSchema(): TSchema {
  return Type.Union(
    Object.entries(EVENT_DATA).map(([type, data]) =>
      Type.Object({
        schema_version: Type.Literal(EVENT_SCHEMA_VERSION),
        type: Type.Literal(type),
        run_id: Type.String(),
        seq: Type.Integer({ minimum: 1 }),
        timestamp: Type.String({ format: "date-time" }),
        step_id: Type.Optional(Type.String()),
        data,
      }),
    ),
    { $schema: "http://json-schema.org/draft-07/schema#", title: "mooncake run event" },
  );
}
