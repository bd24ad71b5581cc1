import { ACTIONS } from "../../actions/registry.ts";
import { DEFAULT_CAPTURE_LIMITS, type CaptureLimits } from "../../core/exec/capture.ts";
import { formatDiagnostic } from "../../core/config/diagnostics.ts";
import type { RunEvent, RunEventOf } from "../../core/events/event.ts";
import { EventBus } from "../../core/events/event_bus.ts";
import { executePlan, type RunResult } from "../../core/exec/executor.ts";
import { compilePlan } from "../../core/plan/compile_plan.ts";
import type { Plan } from "../../core/plan/plan.ts";
import type { SudoAuth } from "../../core/security/become.ts";
import { Redactor } from "../../core/security/redactor.ts";
import type { SafetyPolicy } from "../../core/security/safety_policy.ts";
import { FIXED_FACTS } from "./fixed_facts.ts";

export interface RunOptions {
  dryRun?: boolean;
  acceptDanger?: boolean;
  facts?: Readonly<Record<string, unknown>>;
  secretVars?: Record<string, unknown>;
  sudo?: SudoAuth;
  limits?: CaptureLimits;
  env?: Record<string, string | undefined>;
  signal?: AbortSignal;
  tags?: string[];
  /** The machine's policy, as --policy gives it. */
  policy?: SafetyPolicy;
}

export interface ConfigRun {
  plan: Plan;
  result: RunResult;
  events: RunEvent[];
  /** The step.finished events, by step id. */
  finished: Map<string, RunEventOf<"step.finished">["data"]>;
  /** The same, in order. */
  steps: RunEventOf<"step.finished">["data"][];
}

/**
 * Compiles `configPath` (with fixed facts unless given) and runs it through the real executor
 * in this process, collecting every event; a test can serve HTTP on 127.0.0.1 meanwhile.
 * Throws the diagnostics when the config does not compile.
 */
export async function runConfig(configPath: string, options: RunOptions = {}): Promise<ConfigRun> {
  const compiled = compilePlan({
    configPath,
    actions: ACTIONS,
    facts: options.facts ?? FIXED_FACTS,
    secretNames: Object.keys(options.secretVars ?? {}),
    ...(options.tags ? { tags: options.tags } : {}),
  });
  if (!compiled.plan) throw new Error(compiled.diagnostics.map(formatDiagnostic).join("\n"));
  const plan = compiled.plan;
  return { plan, ...(await runPlan(plan, options)) };
}

async function runPlan(plan: Plan, options: RunOptions = {}): Promise<Omit<ConfigRun, "plan">> {
  const events: RunEvent[] = [];
  const secrets = Object.values(options.secretVars ?? {});
  const sudo = options.sudo ?? { kind: "none" };
  const bus = new EventBus("test-run", new Redactor([...secrets, ...(sudo.kind === "password" ? [sudo.password] : [])]), [(e) => events.push(e)]);
  const result = await executePlan({
    plan,
    actions: ACTIONS,
    facts: options.facts ?? FIXED_FACTS,
    secretVars: options.secretVars ?? {},
    dryRun: options.dryRun ?? false,
    acceptDanger: options.acceptDanger ?? false,
    ...(options.policy ? { policy: options.policy } : {}),
    bus,
    signal: options.signal ?? new AbortController().signal,
    sudo,
    limits: options.limits ?? DEFAULT_CAPTURE_LIMITS,
    baseEnv: { ...process.env, ...options.env },
  });
  const finished = new Map<string, RunEventOf<"step.finished">["data"]>();
  for (const e of events) if (e.type === "step.finished") finished.set(e.step_id!, e.data);
  return { result, events, finished, steps: [...finished.values()] };
}
