import { displayPath } from "../../core/fs/display_path.ts";
import type { RecordedRun } from "../../core/explain/explain_plan.ts";
import type { StepOutcome } from "../../core/explain/explanation.ts";
import type { StepResult } from "../run_files.ts";
import { readHistory } from "./read_history.ts";
import { readRun, RunNotFound } from "./read_run.ts";

/**
 * The newest real run (not a dry-run) of the config `rootFile` recorded under `runsDir` whose
 * results can be read, with each step's outcome; or why there is none. Runs gc moved away and
 * runs killed before their results are passed over for the one before.
 */
export function lastRunOutcomes(runsDir: string, rootFile: string): RecordedRun {
  const runs = readHistory(runsDir).entries.filter((e) => e.root_file === rootFile && !e.dry_run);
  for (const entry of runs) {
    let view;
    try {
      view = readRun(runsDir, entry.run_id);
    } catch (e) {
      if (e instanceof RunNotFound) continue;
      throw e;
    }
    if (!view.results?.steps) continue;
    const run = { run_id: entry.run_id, started_at: entry.start_time, status: entry.status };
    return { run, outcomes: view.results.steps.map(outcomeOf) };
  }
  return { none: `no run of ${displayPath(rootFile)} recorded in ${displayPath(runsDir)}${runs.length ? " that can still be read" : ""}` };
}

function outcomeOf(step: StepResult): StepOutcome {
  return {
    step_id: step.step_id,
    name: step.name,
    action: step.action,
    status: step.status,
    changed: step.changed,
    started_at: step.started_at,
    duration_ms: step.duration_ms,
    ...(step.error_kind !== null ? { error_kind: step.error_kind } : {}),
    ...(step.error_message !== null ? { error_message: step.error_message } : {}),
  };
}
