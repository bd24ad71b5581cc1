import { executePlan, type RunResult } from "../../core/exec/executor.ts";
import type { RunEvent } from "../../core/events/event.ts";
import { EventBus } from "../../core/events/event_bus.ts";
import { compilePlan } from "../../core/plan/compile_plan.ts";
import { Redactor } from "../../core/security/redactor.ts";
import { FIXED_FACTS } from "./fixed_facts.ts";

export interface ConfigRun extends RunResult {
  events: RunEvent[];
  /** The step.finished data of every step, in order. */
  finished: Record<string, any>[];
}

/**
 * Compiles and executes a config in this process, so a test can serve HTTP on 127.0.0.1 while
 * it runs; the compiled binary is driven by the e2e tests instead.
 */
export async function runConfig(configPath: string, options: { dryRun?: boolean; facts?: Readonly<Record<string, unknown>>; env?: Record<string, string> } = {}): Promise<ConfigRun> {
  const facts = options.facts ?? FIXED_FACTS;
  const { plan, diagnostics } = compilePlan({ configPath, facts });
  if (!plan) throw new Error(diagnostics.map((d) => d.message).join("\n"));
  const bus = new EventBus("test-run", new Redactor([]));
  const events: RunEvent[] = [];
  bus.subscribe((event) => events.push(event));
  const result = await executePlan({
    plan,
    facts,
    dryRun: options.dryRun ?? false,
    bus,
    signal: new AbortController().signal,
    sudo: { kind: "none" },
    limits: { maxBytes: 65536, maxLines: 1000 },
    baseEnv: { ...process.env, ...options.env },
  });
  const finished = events.filter((e) => e.type === "step.finished").map((e) => e.data as Record<string, any>);
  return { ...result, events, finished };
}
