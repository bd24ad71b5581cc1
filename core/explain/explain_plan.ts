import { compileExpression } from "../expr/compile_expression.ts";
import { loopStepId, type Plan, type PlanStep } from "../plan/plan.ts";
import type { Redactor } from "../security/redactor.ts";
import type { SafetyVerdict } from "../security/step_safety.ts";
import type { DryRunFindings, FinishedStep } from "./dry_run_plan.ts";
import { explainVariable, type VariableWorld } from "./explain_variable.ts";
import {
  EXPLANATION_SCHEMA_VERSION,
  type CheckVerdict, type Explanation, type VariableExplanation, type LastRunExplanation, type StepExplanation, type StepOutcome, type TagsExplanation, type WhenExplanation,
} from "./explanation.ts";

/** The newest recorded run of the config, read from the artifacts directory; or why there is none. */
export type RecordedRun =
  | { run: { run_id: string; started_at: string; status: string }; outcomes: readonly StepOutcome[] }
  | { none: string };

export interface ExplainOptions extends Omit<VariableWorld, "steps" | "finished"> {
  plan: Plan;
  /** The plan steps to explain, by index (see selectSteps). */
  indexes: readonly number[];
  dryRun: DryRunFindings;
  lastRun: RecordedRun;
  /** The run's redactor: secrets are hidden from explanations as from run output. */
  redactor: Redactor;
  /** The safety rules that judge a step whose values are known now (see planTimeVerdicts). */
  judge(step: PlanStep): readonly SafetyVerdict[];
}

/** Explains the chosen steps of a plan from what compiling, a dry-run and the last recorded run found. */
export function explainPlan(options: ExplainOptions): Explanation {
  const { plan, dryRun } = options;
  const world: VariableWorld = { ...options, steps: plan.steps, finished: dryRun.finished };
  const steps = options.indexes.map((index): StepExplanation => {
    const step = plan.steps[index]!;
    const finished = dryRun.finished.get(step.id) ?? [];
    return {
      id: step.id,
      name: step.name,
      action: step.action,
      origin: step.origin,
      become: step.become,
      ...(step.become_user !== undefined ? { become_user: step.become_user } : {}),
      ...(step.when !== undefined ? { when: explainWhen(step.when, index, finished, world) } : {}),
      tags: explainTags(step, plan.tags),
      check: finished.length > 0 ? finished.map(verdictOf) : [notChecked(step, dryRun)],
      safety: options.judge(step).map(({ rule, from, refused, kind, message }) => ({ rule, ...(from ? { from } : {}), refused, kind, message })),
      last_run: lastRunOf(step, options.lastRun),
    };
  });
  return options.redactor.value({ schema_version: EXPLANATION_SCHEMA_VERSION, root_file: plan.root_file, tags: plan.tags, steps });
}

function explainWhen(expression: string, index: number, finished: readonly FinishedStep[], world: VariableWorld): WhenExplanation {
  const variables = compileExpression(expression).references.map((name) => withMembers(explainVariable(name, index, world), expression));
  return { expression, result: whenResult(expression, finished), variables };
}

/** A known variable with the values of the members the expression reads (`result.rc`). */
function withMembers(variable: VariableExplanation, expression: string): VariableExplanation {
  if (variable.state !== "known") return variable;
  const paths = memberPaths(expression, variable.name);
  if (paths.length === 0) return variable;
  return { ...variable, members: paths.map((path) => ({ path: [variable.name, ...path].join("."), value: memberAt(variable.value, path) })) };
}

/** The dotted member paths after `name` in an expression, outside its string literals: `r.rc == 0 and r.stdout` -> [["rc"], ["stdout"]]. */
function memberPaths(expression: string, name: string): string[][] {
  const code = expression.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, '""');
  const pattern = new RegExp(`(?<![\\w.])${name.replace(/[$]/g, "\\$")}((?:\\.[A-Za-z_][A-Za-z0-9_]*)+)`, "g");
  const paths = [...code.matchAll(pattern)].map((m) => m[1]!.slice(1));
  return [...new Set(paths)].map((p) => p.split("."));
}

function memberAt(value: unknown, path: readonly string[]): unknown {
  return path.reduce<unknown>((v, key) => (v !== null && typeof v === "object" && Object.hasOwn(v, key) ? (v as Record<string, unknown>)[key] : undefined), value);
}

/** The `when` as the dry-run found it: the executor skips a false one, and says when it reads a value unknown until run. */
function whenResult(expression: string, finished: readonly FinishedStep[]): WhenExplanation["result"] {
  const last = finished.at(-1)?.data;
  if (!last || last.skipped?.reason === "tags" || last.skipped?.reason === "empty_loop") return "not_evaluated";
  if (last.skipped?.reason === "when") return "false";
  if (last.skipped?.reason === "unknown" && last.skipped.message.startsWith("unknown until run: when:")) return "unknown";
  if (last.status === "failed" && last.error?.kind === "template" && last.error.message.includes(`"${expression}"`)) return "error";
  return "true";
}

function explainTags(step: PlanStep, filter: readonly string[]): TagsExplanation {
  const tags = step.tags;
  if (filter.length === 0) return { tags, selected: true, reason: "no --tags given, so every step runs" };
  const given = `--tags ${filter.join(",")}`;
  const shared = tags.filter((t) => filter.includes(t));
  if (shared.length > 0) return { tags, selected: true, reason: `${given} includes ${shared.join(", ")}` };
  if (tags.includes("always")) return { tags, selected: true, reason: "tagged always, which runs whatever --tags" };
  return { tags, selected: false, reason: tags.length > 0 ? `${given} includes none of its tags` : `${given} selects only steps with one of those tags` };
}

function verdictOf(event: FinishedStep): CheckVerdict {
  const { data } = event;
  const id = event.step_id!;
  const change = data.change ? { change: data.change } : {};
  if (data.status === "failed") {
    return { step_id: id, verdict: "would_fail", reason: data.error?.message ?? "the check failed", ...change, ...(data.error ? { error: data.error } : {}) };
  }
  if (data.status === "changed") return { step_id: id, verdict: "would_change", reason: data.change?.reason ?? "the check found a change", ...change };
  if (data.status === "skipped") {
    const unknown = data.skipped?.reason === "unknown";
    const reason = (data.skipped?.message ?? "skipped").replace(/^unknown until run: /, "");
    return { step_id: id, verdict: unknown ? "unknown" : "skipped", reason, ...change };
  }
  return { step_id: id, verdict: "up_to_date", reason: data.change?.reason ?? "nothing to change", ...change };
}

/** A step the dry-run did not reach: an earlier step failed (a run stops there too), or it was interrupted. */
function notChecked(step: PlanStep, dryRun: DryRunFindings): CheckVerdict {
  const reason = dryRun.stoppedAt !== undefined
    ? `the dry-run stopped at ${dryRun.stoppedAt}, which would fail, and a run stops there too`
    : "the dry-run was interrupted";
  return { step_id: step.id, verdict: "not_checked", reason };
}

/** The step's outcomes in the last recorded run: the same id, or the items of a loop expanded at run time, of the same action. */
function lastRunOf(step: PlanStep, recorded: RecordedRun): LastRunExplanation {
  if ("none" in recorded) return { outcomes: [], never_run: recorded.none };
  const outcomes = recorded.outcomes.filter((o) => o.step_id === step.id || loopStepId(o.step_id) === step.id);
  const run = recorded.run;
  if (outcomes.length === 0) return { run, outcomes, never_run: `${step.id} is not in run ${run.run_id}` };
  const other = outcomes.find((o) => o.action !== step.action);
  if (other) return { run, outcomes: [], never_run: `${step.id} of run ${run.run_id} was another step (${other.action}: ${other.name}): the config changed since` };
  return { run, outcomes };
}
