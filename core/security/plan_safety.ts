import type { ActionCatalog } from "../exec/action.ts";
import { configDirectoriesOf } from "../exec/resolve_step.ts";
import { error, warning, type Diagnostic } from "../config/diagnostics.ts";
import { compileExpression, type Vars } from "../expr/compile_expression.ts";
import { conditionValue } from "../expr/condition_value.ts";
import { displayPath } from "../fs/display_path.ts";
import type { Plan, PlanStep } from "../plan/plan.ts";
import { layerVars, withLoopVars } from "../plan/variable_layers.ts";
import { combinePolicies, NO_POLICY, type SafetyPolicy } from "./safety_policy.ts";
import { safetyVerdicts, stepTouches, type SafetyVerdict } from "./step_safety.ts";

export interface PlanSafetyOptions {
  /** The machine's --policy, to which the plan's own safety blocks are added. */
  policy?: SafetyPolicy;
  facts: Readonly<Record<string, unknown>>;
  /**
   * What becomes of a danger category a step falls in: `warn` (validate and plan, which cannot
   * accept it) or `skip` (a run, which refuses the step itself unless --i-accept-danger).
   */
  danger: "warn" | "skip";
}

/**
 * The safety rules judged at plan time on every step whose values are known: what it runs and
 * touches holds no template, it is not outside the tags, and its `when` is not known to be
 * false. A refusal by the policy is an error at the step (exit 2 before anything runs); one by
 * a danger category a warning. Steps with values known only at run time are judged when they run.
 */
export function checkPlanSafety(plan: Plan, actions: ActionCatalog, options: PlanSafetyOptions): Diagnostic[] {
  const policy = combinePolicies(options.policy ?? NO_POLICY, plan.safety ?? NO_POLICY);
  const noRules = policy.deny.length + policy.allow.length + policy.workspaces.length + policy.confirm.length === 0;
  if (noRules && options.danger === "skip") return [];
  const scope = layerVars(options.facts, plan.initial_vars);
  const realPaths = new Map<string, string>();
  const diagnostics: Diagnostic[] = [];
  for (const step of plan.steps) {
    const refusals = planTimeVerdicts(step, actions, policy, scope, realPaths).filter((v) => v.refused);
    // One danger category says what --i-accept-danger is for; each policy rule broken is a problem of its own.
    const danger = options.danger === "warn" ? refusals.find((v) => v.kind === "danger") : undefined;
    for (const verdict of [...(danger ? [danger] : []), ...refusals.filter((v) => v.kind === "policy")]) diagnostics.push(located(step, verdict));
  }
  return diagnostics;
}

/**
 * Every safety rule that applies to a planned step, passed or refused (as `safetyVerdicts`
 * says), or none when the step's values are only known at run time or it will not run.
 */
export function planTimeVerdicts(step: PlanStep, actions: ActionCatalog, policy: SafetyPolicy, scope: Vars, realPaths = new Map<string, string>()): SafetyVerdict[] {
  const action = actions.find(step.action);
  if (!action || step.skipped || step.deferred_with_items !== undefined) return [];
  if (JSON.stringify(step.args).includes("{{") || step.unless?.includes("{{")) return [];
  if (knownFalse(step, scope)) return [];
  const touches = stepTouches(action, step.args, step.unless !== undefined ? { unless: step.unless } : {});
  return safetyVerdicts(touches, policy, { acceptDanger: false, configDirectories: configDirectoriesOf(step), realPaths });
}

function knownFalse(step: PlanStep, scope: Vars): boolean {
  if (step.when === undefined) return false;
  try {
    const local = { ...step.loop, ...(step.parameters ? { parameters: step.parameters } : {}) };
    return !conditionValue(compileExpression(step.when).evaluate(withLoopVars(scope, local)), step.when);
  } catch {
    return false;
  }
}

function located(step: PlanStep, verdict: SafetyVerdict): Diagnostic {
  const subject = { file: displayPath(step.origin.file), line: step.origin.line, col: step.origin.col };
  const d = verdict.kind === "policy"
    ? error("MC1604", `${step.id}: ${verdict.message}`, subject)
    : warning("MC1605", `${step.id} would ${verdict.act}: ${verdict.why.replace("run with --i-accept-danger to allow it", "a run needs --i-accept-danger")}`, subject);
  const chain = step.origin.include_stack.map((p) => displayPath(p.file));
  return chain.length ? { ...d, includeChain: chain } : d;
}
