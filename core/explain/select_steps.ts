import { closeMatches } from "../config/closest_match.ts";
import { loopStepId, type Plan } from "../plan/plan.ts";

export interface StepSelection {
  /** Indexes into the plan's steps, in plan order. */
  indexes: number[];
  /** Names that are no step's id, each with the ids that look like it. */
  unknown: { name: string; close: string[] }[];
}

const MAX_CLOSE = 5;

/**
 * The plan steps `names` pick: a step's id, or a loop's (`step-0004` picks `step-0004[0]`,
 * `step-0004[1]`, ...). No names picks every step.
 */
export function selectSteps(plan: Plan, names: readonly string[]): StepSelection {
  if (names.length === 0) return { indexes: plan.steps.map((_, i) => i), unknown: [] };
  const picked = new Set<number>();
  const unknown: StepSelection["unknown"] = [];
  for (const name of names) {
    const matches = plan.steps.flatMap((s, i) => (s.id === name || s.id.startsWith(`${name}[`) ? [i] : []));
    if (matches.length === 0) unknown.push({ name, close: closeIds(name, plan) });
    for (const i of matches) picked.add(i);
  }
  return { indexes: [...picked].sort((a, b) => a - b), unknown };
}

/** Ids like `name`: the one with the same number (`step-3`, `3` -> `step-0003`), then those a few edits away. */
function closeIds(name: string, plan: Plan): string[] {
  const ids = [...new Set(plan.steps.map((s) => loopStepId(s.id)))];
  const number = /(\d+)(\[\d+\])?$/.exec(name);
  const sameNumber = number ? `step-${number[1]!.replace(/^0+(?=\d)/, "").padStart(4, "0")}` : undefined;
  const close = closeMatches(name, ids, 2);
  const all = sameNumber !== undefined && ids.includes(sameNumber) ? [sameNumber, ...close.filter((id) => id !== sameNumber)] : close;
  return all.slice(0, MAX_CLOSE);
}
