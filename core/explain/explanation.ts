import { Type, type Static } from "@sinclair/typebox";
import { Change, ErrorKind, StepError, StepStatus } from "../events/event.ts";
import { Origin, SourcePosition } from "../plan/plan.ts";
import { RuleSource } from "../security/safety_policy.ts";

/**
 * What `mooncake explain --format json` prints: for each step, why it is in the plan, what its
 * `when` reads and where each value came from, the tags decision, the live check verdict, the
 * safety rules that apply and its outcome in the last recorded run. docs/explain.md describes
 * it; `schemas/explain.schema.json` is generated from these types.
 */
export const EXPLANATION_SCHEMA_VERSION = 1;

const literals = <T extends string>(values: readonly T[]) => Type.Union(values.map((v) => Type.Literal(v)));

/** Where a variable's value comes from, highest precedence first in docs/explain.md. */
export const SOURCE_KINDS = [
  "loop", "preset_parameters", "registered", "mooncake", "secret_vars", "var_option", "vars_file",
  "include_vars", "vars_step", "config_vars", "fact", "undefined",
] as const;

export const VariableSource = Type.Object({
  kind: literals(SOURCE_KINDS),
  /** In words: `--var port=8080`, `vars of site.yml:3:3`, `registered by step-0003`, `fact (group cpu)`. */
  text: Type.String(),
  /** Where the value is written, for a value from a file. */
  at: Type.Optional(SourcePosition),
  /** The step that registers the value, for `registered`. */
  step_id: Type.Optional(Type.String()),
  /** The fact group, for `fact`. */
  fact_group: Type.Optional(Type.String()),
});
export type VariableSource = Static<typeof VariableSource>;

export const VariableExplanation = Type.Object({
  name: Type.String(),
  /** known: `value` is what the step reads; known_after_run: only a real run tells; undefined: nothing sets it. */
  state: literals(["known", "known_after_run", "undefined"] as const),
  value: Type.Optional(Type.Unknown()),
  /** The members of a known value the expression reads (`result.rc`), with their values. */
  members: Type.Optional(Type.Array(Type.Object({ path: Type.String(), value: Type.Unknown() }))),
  source: VariableSource,
  /** Other values of the same name that lost: to a higher layer (`precedence`) or to a later value in the same layer (`later`). */
  shadowed: Type.Array(Type.Object({ source: VariableSource, value: Type.Unknown(), by: literals(["precedence", "later"] as const) })),
});
export type VariableExplanation = Static<typeof VariableExplanation>;

export const WhenExplanation = Type.Object({
  /** The step's `when`, combined with those of the includes around it. */
  expression: Type.String(),
  /** As the dry-run found it; not_evaluated when the step was not reached (tags, an earlier failure). */
  result: literals(["true", "false", "unknown", "error", "not_evaluated"] as const),
  /** Every variable the expression reads. */
  variables: Type.Array(VariableExplanation),
});
export type WhenExplanation = Static<typeof WhenExplanation>;

export const TagsExplanation = Type.Object({
  tags: Type.Array(Type.String()),
  selected: Type.Boolean(),
  reason: Type.String(),
});
export type TagsExplanation = Static<typeof TagsExplanation>;

export const CheckVerdict = Type.Object({
  /** The step's id, or a loop item's when the loop expands only at run time. */
  step_id: Type.String(),
  verdict: literals(["would_change", "up_to_date", "skipped", "unknown", "would_fail", "not_checked"] as const),
  reason: Type.String(),
  change: Type.Optional(Change),
  error: Type.Optional(StepError),
});
export type CheckVerdict = Static<typeof CheckVerdict>;

/** A step's outcome in a recorded run (one per loop item expanded at run time). */
export const StepOutcome = Type.Object({
  step_id: Type.String(),
  name: Type.String(),
  action: Type.String(),
  status: StepStatus,
  changed: Type.Boolean(),
  started_at: Type.String(),
  duration_ms: Type.Number(),
  error_kind: Type.Optional(ErrorKind),
  error_message: Type.Optional(Type.String()),
});
export type StepOutcome = Static<typeof StepOutcome>;

export const LastRunExplanation = Type.Object({
  /** The newest real (not dry) run of this config in the artifacts directory. */
  run: Type.Optional(Type.Object({ run_id: Type.String(), started_at: Type.String(), status: Type.String() })),
  /** Empty when the step never ran: `never_run` says why. */
  outcomes: Type.Array(StepOutcome),
  never_run: Type.Optional(Type.String()),
});
export type LastRunExplanation = Static<typeof LastRunExplanation>;

/** One safety rule judging a step: `commands.deny`, `commands.allow`, `workspace` or `category:<name>`. */
export const SafetyRule = Type.Object({
  rule: Type.String(),
  /** Where the rule is written; none for a built-in danger category. */
  from: Type.Optional(RuleSource),
  refused: Type.Boolean(),
  /** `policy` (nothing lifts it) or `danger` (--i-accept-danger does). */
  kind: Type.Union([Type.Literal("policy"), Type.Literal("danger")]),
  message: Type.String(),
});
export type SafetyRule = Static<typeof SafetyRule>;

export const StepExplanation = Type.Object({
  id: Type.String(),
  name: Type.String(),
  action: Type.String(),
  /** Where the step is written, and the include and preset steps that led there, outermost first. */
  origin: Origin,
  become: Type.Boolean(),
  become_user: Type.Optional(Type.String()),
  when: Type.Optional(WhenExplanation),
  tags: TagsExplanation,
  /** What a run would do now, from a dry-run of the whole plan: nothing is applied. */
  check: Type.Array(CheckVerdict),
  /** The safety rules (the policy's and the built-in danger categories) that judge the step, passed or refused. */
  safety: Type.Array(SafetyRule),
  last_run: LastRunExplanation,
});
export type StepExplanation = Static<typeof StepExplanation>;

export const Explanation = Type.Object({
  schema_version: Type.Literal(EXPLANATION_SCHEMA_VERSION),
  root_file: Type.String(),
  /** The --tags given. */
  tags: Type.Array(Type.String()),
  steps: Type.Array(StepExplanation),
}, { $schema: "http://json-schema.org/draft-07/schema#", title: "mooncake explain" });
export type Explanation = Static<typeof Explanation>;
