import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { FileChanged } from "../../core/exec/action.ts";
import type { Change, RunEvent } from "../../core/events/event.ts";
import type { RunResult } from "../../core/exec/executor.ts";
import { FIXED_FACTS } from "./fixed_facts.ts";
import { runConfig } from "./run_config.ts";

export interface StepsRun extends RunResult {
  events: RunEvent[];
  /** The `file.changed` events, in order. */
  files: FileChanged[];
  /** Each finished step's change, in order. */
  changes: (Change | undefined)[];
  /** Each failed step's error message, in order. */
  errors: string[];
}

/**
 * Writes `yaml` as `site.yml` into `dir`, compiles it and runs it through the real executor
 * (facts of the fixed test machine, with this host's os so platform checks pass).
 */
export async function runSteps(dir: string, yaml: string, options: { dryRun?: boolean; acceptDanger?: boolean } = {}): Promise<StepsRun> {
  const configPath = join(dir, "site.yml");
  writeFileSync(configPath, yaml);
  const os = process.platform === "win32" ? "windows" : process.platform;
  const { result, events, steps } = await runConfig(configPath, { ...options, facts: { ...FIXED_FACTS, os } });
  return {
    ...result,
    events,
    files: events.flatMap((e) => (e.type === "file.changed" ? [e.data] : [])),
    changes: steps.map((f) => f.change),
    errors: steps.flatMap((f) => (f.error ? [f.error.message] : [])),
  };
}
