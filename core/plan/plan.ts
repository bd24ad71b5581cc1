import { Type, type Static } from "@sinclair/typebox";
import { SafetyPolicy } from "../security/safety_policy.ts";

/**
 * The plan: what `mooncake plan` prints and `mooncake run --from-plan` executes. The types are
 * TypeBox schemas, so a saved plan is checked against the same definition that writes it, and
 * `schemas/plan.schema.json` is generated from it.
 */
export const PLAN_SCHEMA_VERSION = 1;

/** Items one loop may have: each becomes a plan step with its own events and result. */
export const MAX_LOOP_ITEMS = 100_000;

/** Why a loop list is refused, or undefined when its length is allowed. */
export function loopTooLong(field: string, length: number): string | undefined {
  if (length <= MAX_LOOP_ITEMS) return undefined;
  return `${field} has ${length.toLocaleString("en")} items, more than the ${MAX_LOOP_ITEMS.toLocaleString("en")} a loop may have: split the list, or loop inside one command`;
}

/** The step a loop item belongs to: `step-0004[2]` -> `step-0004`; any other id is its own. */
export function loopStepId(id: string): string {
  return id.replace(/\[\d+\]$/, "");
}

export const SourcePosition = Type.Object({ file: Type.String(), line: Type.Integer(), col: Type.Integer() });
export type SourcePosition = Static<typeof SourcePosition>;

/** An `include` or `preset` step that led to a step: where it is, and the preset's name for a preset. */
export const IncludeSite = Type.Composite([SourcePosition, Type.Object({ preset: Type.Optional(Type.String()) })]);
export type IncludeSite = Static<typeof IncludeSite>;

export const Origin = Type.Composite([
  SourcePosition,
  /** The include and preset steps that led here, outermost first. */
  Type.Object({ include_stack: Type.Array(IncludeSite) }),
]);
export type Origin = Static<typeof Origin>;

const LoopVars = Type.Object({
  item: Type.Unknown(),
  index: Type.Integer(),
  first: Type.Boolean(),
  last: Type.Boolean(),
});
export type LoopVars = Static<typeof LoopVars>;

const SkipMark = Type.Object({
  reason: Type.Union([Type.Literal("tags"), Type.Literal("empty_loop")]),
  message: Type.String(),
});
export type SkipMark = Static<typeof SkipMark>;

/** Step fields the executor needs as they were written (or rendered, where known at plan time). */
export const RUNTIME_FIELDS = [
  "become_user", "env", "cwd", "register", "timeout", "retries", "retry_delay",
  "changed_when", "failed_when", "ignore_errors", "creates", "unless", "dry_run",
] as const;

/** The variable that tells templates and conditions whether the run is a dry-run: known only when the plan runs. */
export const DRY_RUN_VARIABLE = "dry_run";

export const PlanStep = Type.Object({
  id: Type.String(),
  name: Type.String(),
  action: Type.String(),
  args: Type.Unknown(),
  when: Type.Optional(Type.String()),
  tags: Type.Array(Type.String()),
  become: Type.Boolean(),
  skipped: Type.Optional(SkipMark),
  /** Loop variables of an item expanded at plan time. */
  loop: Type.Optional(LoopVars),
  /** Inside a preset: its parameters, for fields rendered when the step runs. */
  parameters: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  /** A `with_items` whose list is only known at run time; the step expands when it runs. */
  deferred_with_items: Type.Optional(Type.String()),
  become_user: Type.Optional(Type.String()),
  env: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  cwd: Type.Optional(Type.String()),
  register: Type.Optional(Type.String()),
  timeout: Type.Optional(Type.String()),
  /** A number, or the template of one that reads a registered result. */
  retries: Type.Optional(Type.Union([Type.Integer(), Type.String()])),
  retry_delay: Type.Optional(Type.String()),
  changed_when: Type.Optional(Type.String()),
  failed_when: Type.Optional(Type.String()),
  ignore_errors: Type.Optional(Type.Boolean()),
  creates: Type.Optional(Type.String()),
  unless: Type.Optional(Type.String()),
  /** `run`: the step runs for real in a dry-run too (a read-only probe). */
  dry_run: Type.Optional(Type.Literal("run")),
  /**
   * Templated fields kept for run time (`download.url`, `timeout`), with where they are
   * written: their format is checked once they are rendered, and a mismatch is reported there.
   */
  run_time_formats: Type.Optional(Type.Record(Type.String(), Type.Object({ line: Type.Integer(), col: Type.Integer() }))),
  origin: Origin,
});
export type PlanStep = Static<typeof PlanStep>;

const PlanSource = Type.Object({
  file: Type.String(),
  /** Of the file's bytes, or for a `with_filetree` directory of its items (see filetreeDigest). */
  sha256: Type.String(),
  kind: Type.Optional(Type.Literal("filetree")),
});
export type PlanSource = Static<typeof PlanSource>;

export const Plan = Type.Object({
  schema_version: Type.Integer(),
  generated_at: Type.String(),
  root_file: Type.String(),
  /** Every file the plan was compiled from, with its hash, so a stale saved plan is detected. */
  sources: Type.Array(PlanSource),
  tags: Type.Array(Type.String()),
  initial_vars: Type.Record(Type.String(), Type.Unknown()),
  /** The rules of the configs' `safety:` blocks, rendered: the run adds them to the machine's --policy. */
  safety: Type.Optional(SafetyPolicy),
  steps: Type.Array(PlanStep),
}, { $schema: "http://json-schema.org/draft-07/schema#", title: "mooncake plan" });
export type Plan = Static<typeof Plan>;
