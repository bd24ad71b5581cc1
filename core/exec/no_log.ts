import type { EventData, StepError } from "../events/event.ts";
import type { Plan } from "../plan/plan.ts";
import { stringValues } from "../security/redactor.ts";

/** What a `no_log` step shows instead of its error message, command, output or registered values. */
export const HIDDEN_BY_NO_LOG = "(hidden by no_log)";

/** Register fields that say how a step went, not what it said: a `no_log` step keeps these. */
const STATUS_FIELDS = ["rc", "changed", "failed", "skipped", "status", "duration_ms"];

/**
 * A `no_log` step's step.finished as every output sees it: its status, whether it changed, the
 * kind of change and of error stay; the command line, diff, message, output and registered values go.
 */
export function hideForNoLog(data: EventData<"step.finished">): EventData<"step.finished"> {
  const { change, error, result, ...rest } = data;
  return {
    ...rest,
    no_log: true,
    result: Object.fromEntries(STATUS_FIELDS.filter((key) => key in result).map((key) => [key, result[key]])),
    ...(change ? { change: { kind: change.kind, reason: change.reason } } : {}),
    ...(error ? { error: hiddenError(error) } : {}),
  };
}

export function hiddenError(error: StepError): StepError {
  return { kind: error.kind, message: HIDDEN_BY_NO_LOG };
}

/** The texts a step registered into a secret variable: its output, line by line, and what its action added. */
export function registeredTexts(register: Readonly<Record<string, unknown>>): string[] {
  const texts = Object.entries(register).filter(([key]) => !STATUS_FIELDS.includes(key)).flatMap(([, value]) => stringValues(value));
  return texts.flatMap((text) => [text, text.trim(), ...text.split("\n")]).filter((text) => text.trim().length > 0);
}


/** The plan as a run records it: a no_log step's action arguments (its command line, its content) left out. */
export function planForRecord(plan: Plan): Plan {
  if (!plan.steps.some((step) => step.no_log)) return plan;
  return { ...plan, steps: plan.steps.map((step) => (step.no_log ? { ...step, args: HIDDEN_BY_NO_LOG } : step)) };
}
