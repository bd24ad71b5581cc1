import type { RunEventOf, RunStatus } from "../events/event.ts";
import { EventBus } from "../events/event_bus.ts";
import { executePlan, type ExecuteOptions } from "../exec/executor.ts";
import { loopStepId } from "../plan/plan.ts";
import type { Redactor } from "../security/redactor.ts";

export type FinishedStep = RunEventOf<"step.finished">;

/** What a dry-run of the whole plan found, step by step. */
export interface DryRunFindings {
  /** The step.finished events of each plan step: one, or one per item of a loop expanded at run time. */
  finished: ReadonlyMap<string, readonly FinishedStep[]>;
  status: RunStatus;
  /** The step that failed and stopped the dry-run, if one did. */
  stoppedAt?: string;
}

/**
 * Runs the plan as `run --dry-run` does (the same executor, so the same checks and the same
 * become) and keeps each step's verdict; nothing is applied, printed or recorded. The events
 * pass through `redactor` like a run's.
 */
export async function dryRunPlan(options: Omit<ExecuteOptions, "bus" | "dryRun">, redactor: Redactor): Promise<DryRunFindings> {
  const finished = new Map<string, FinishedStep[]>();
  const planIds = new Set(options.plan.steps.map((s) => s.id));
  const bus = new EventBus("explain", redactor, [(event) => {
    if (event.type !== "step.finished" || event.step_id === undefined) return;
    const id = planIds.has(event.step_id) ? event.step_id : loopStepId(event.step_id);
    finished.set(id, [...(finished.get(id) ?? []), event as FinishedStep]);
  }]);
  const result = await executePlan({ ...options, dryRun: true, bus });
  return { finished, status: result.status, ...(result.failedSteps[0] !== undefined ? { stoppedAt: result.failedSteps[0] } : {}) };
}

