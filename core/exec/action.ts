import type { TSchema } from "@sinclair/typebox";
import type { CapturedOutput, Change, ErrorKind, FileChanged, StepError } from "../events/event.ts";
import type { Vars } from "../expr/compile_expression.ts";

export type { Change, FileChanged, StepError } from "../events/event.ts";

export type Platform = "linux" | "darwin" | "windows";

export const ALL_PLATFORMS: readonly Platform[] = ["linux", "darwin", "windows"];

/** The step fields an action sees, rendered and resolved for this run. */
export interface StepSettings {
  id: string;
  become: boolean;
  becomeUser?: string;
  env: Record<string, string>;
  /** Where processes start: the step's `cwd`, else the directory of the file that declared it. */
  cwd: string;
  /** The directories of the config files the step comes from (its own and each including one): removing them is refused as dangerous. */
  configDirectories: readonly string[];
  creates?: string;
  unless?: string;
}

export interface ProcessOptions {
  stdin?: string;
  /** Keep the output in the step's result (default true); it is streamed as events either way. */
  capture?: boolean;
  /** A read-only probe such as `unless`: its output is neither streamed nor kept in the result. */
  probe?: boolean;
  /** Stops the process after this long, instead of the step's `timeout`. */
  timeoutMs?: number;
}

export interface ProcessResult {
  /** Null when the process was killed or never started. */
  rc: number | null;
  stdout: CapturedOutput;
  stderr: CapturedOutput;
  /** Why the process did not run to its end: not started, timed out, interrupted. */
  error?: StepError;
}

/** What the executor lends an action for one step. */
export interface ActionContext {
  readonly step: StepSettings;
  readonly dryRun: boolean;
  /** The run has --i-accept-danger: removals of system paths and the like are allowed. */
  readonly acceptDanger: boolean;
  readonly vars: Vars;
  readonly signal: AbortSignal;
  /** Runs a process as the step says: become, env, cwd, timeout, output events, bounded capture. */
  run(argv: readonly string[], options?: ProcessOptions): Promise<ProcessResult>;
  /** The command line `run` would execute, as a dry-run shows it. */
  describe(argv: readonly string[]): string;
  /** Reports a file `apply` created, modified or removed (an event the run artifacts list). */
  fileChanged(change: FileChanged): void;
}

/** What `apply` did. A step fails when `error` is set. */
export interface Outcome {
  changed: boolean;
  error?: StepError;
  rc?: number | null;
  stdout?: CapturedOutput;
  stderr?: CapturedOutput;
  /** Added to what `register` stores. */
  data?: Record<string, unknown>;
}

/**
 * Thrown by `check` or `apply` to fail the attempt with this kind and message (shown without a
 * stack); retries apply. A read-only action such as `assert` throws it from `check` when what
 * it observed is itself the failure, so dry-run and run give the same verdict.
 */
export class ActionError extends Error {
  constructor(readonly kind: ErrorKind, message: string, readonly outcome: Omit<Outcome, "changed" | "error"> = {}) {
    super(message);
  }
}

/**
 * Thrown by `check` when an input the step reads (a source file, an archive, a path to re-mode)
 * does not exist. A dry-run matches `path` against what earlier steps would create: a step
 * whose input is still to be made would change, rather than fail; one that `onlyLooks` at it
 * (an assert) is unknown until run.
 */
export class MissingInputError extends ActionError {
  readonly onlyLooks: boolean;
  constructor(readonly path: string, message: string, options: { kind?: ErrorKind; onlyLooks?: boolean } = {}) {
    super(options.kind ?? "io", message);
    this.onlyLooks = options.onlyLooks ?? false;
  }
}

/**
 * An action: its config language (schema, platforms) and, for actions that run, its behaviour.
 * `check` only looks at the machine and says what would change and why; `apply` makes that
 * change. A dry-run calls `check` alone, a run calls `apply` only when `check` found a change,
 * so both make every decision in the same place. Plan-time actions (`vars`, `include`,
 * `include_vars`) are resolved by the plan compiler and have neither.
 */
export interface ActionSpec<Args = any> {
  name: string;
  summary: string;
  schema: TSchema;
  platforms: readonly Platform[];
  phase: "plan" | "run";
  /** Step-level keys this action accepts besides the common fields, such as `creates`. */
  stepFields?: Readonly<Record<string, TSchema>>;
  /** Common step fields this action accepts; all of them when absent. */
  commonFields?: readonly string[];
  /** Payload fields holding paths, resolved against the directory of the declaring file. */
  pathFields?: readonly string[];
  /**
   * Payload path fields naming a template file rendered when the step runs (`template.src`):
   * the compiler parses the file, so its errors are reported before anything runs, and a saved
   * plan is stale once it changes.
   */
  templateFields?: readonly string[];
  /**
   * Rewrites the other spellings a step may use for this action into the one `check` and
   * `apply` read (`file: {state: link, dest}` -> `path`), once the step matched the schema.
   * Spellings that contradict each other come back as problems at their path in the step.
   */
  normalize?(fields: Readonly<Record<string, unknown>>): Normalized;
  /** What the step will run and touch, from its rendered arguments: the safety policy judges it before `check`. */
  touches?(args: Args): readonly Touch[];
  check?(ctx: ActionContext, args: Args): Promise<Change>;
  apply?(ctx: ActionContext, args: Args, change: Change): Promise<Outcome>;
}

/**
 * One thing a step will do to the machine, as the safety rules judge it (core/security/
 * step_safety.ts): derived from its rendered arguments alone, so it is known before `check`.
 */
export type Touch =
  /** A command line the step runs: a shell's line, a command's argv joined with spaces. */
  | { kind: "run"; command: string }
  /** A path written: created, replaced, edited or re-moded; `follow` writes what a link there points at. */
  | { kind: "write"; path: string; follow?: boolean }
  /** A path removed; with `glob`, every match of the pattern. */
  | { kind: "remove"; path: string; glob?: boolean }
  /** A directory whose entries are overwritten by a sync (and removed by one with delete) or an archive extracted into it. */
  | { kind: "fill"; path: string; how: "sync" | "sync_delete" | "extract" }
  /** A package installed, removed, upgraded to the latest version, or installed at a pinned version. */
  | { kind: "package"; name: string; change: "install" | "remove" | "latest" | "pin" }
  /** A service (unit, launchd job) started, stopped, enabled or disabled. */
  | { kind: "service"; name: string };

/** A step's fields in the action's own spelling, or why they cannot be (path in the step, message). */
export interface Normalized {
  fields: Record<string, unknown>;
  problems: { path: readonly (string | number)[]; message: string; atKey?: boolean }[];
}

/** The actions a pipeline knows, handed to core by the command line that wires it. */
export interface ActionCatalog {
  /** Every action, in the order help and schemas list them. */
  readonly all: readonly ActionSpec[];
  find(name: string): ActionSpec | undefined;
}

export function actionCatalog(actions: readonly ActionSpec[]): ActionCatalog {
  const byName = new Map(actions.map((a) => [a.name, a]));
  return { all: actions, find: (name) => byName.get(name) };
}
