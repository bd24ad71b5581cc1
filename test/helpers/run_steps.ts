import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { FileChanged } from "../../actions/action.ts";
import type { Change, RunEvent } from "../../core/events/event.ts";
import { EventBus } from "../../core/events/event_bus.ts";
import { executePlan, type RunResult } from "../../core/exec/executor.ts";
import { compilePlan } from "../../core/plan/compile_plan.ts";
import { Redactor } from "../../core/security/redactor.ts";
import { FIXED_FACTS } from "./fixed_facts.ts";

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
  const compiled = compilePlan({ configPath, facts: { ...FIXED_FACTS, os } });
  if (!compiled.plan) throw new Error(`config does not compile: ${JSON.stringify(compiled.diagnostics)}`);
  const events: RunEvent[] = [];
  const bus = new EventBus("test-run", new Redactor([]), [(event) => events.push(event)]);
  const result = await executePlan({
    plan: compiled.plan,
    facts: FIXED_FACTS,
    dryRun: options.dryRun ?? false,
    acceptDanger: options.acceptDanger ?? false,
    bus,
    signal: new AbortController().signal,
    sudo: { kind: "none" },
    limits: { maxBytes: 1 << 20, maxLines: 1000 },
  });
  const finished = events.flatMap((e) => (e.type === "step.finished" ? [e.data] : []));
  return {
    ...result,
    events,
    files: events.flatMap((e) => (e.type === "file.changed" ? [e.data] : [])),
    changes: finished.map((f) => f.change),
    errors: finished.flatMap((f) => (f.error ? [f.error.message] : [])),
  };
}
