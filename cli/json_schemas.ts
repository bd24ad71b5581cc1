import type { TSchema } from "@sinclair/typebox";
import { ACTIONS } from "../actions/registry.ts";
import { HistoryEntry, LastRun, RunDiff, RunFacts, RunResults, RunSummary } from "../artifacts/run_files.ts";
import { ManifestSchema } from "../artifacts/store/manifest.ts";
import { PolicySchema } from "../artifacts/store/policy_schema.ts";
import { configSchema } from "../core/config/step_schema.ts";
import { eventSchema } from "../core/events/event.ts";
import { Explanation } from "../core/explain/explanation.ts";
import { Plan } from "../core/plan/plan.ts";

/** Every file in schemas/, generated from the TypeBox types the code itself uses. */
export const JSON_SCHEMAS: Readonly<Record<string, () => TSchema>> = {
  "config.schema.json": () => configSchema(ACTIONS),
  "plan.schema.json": () => Plan,
  "event.schema.json": eventSchema,
  "summary.schema.json": () => RunSummary,
  "results.schema.json": () => RunResults,
  "diff.schema.json": () => RunDiff,
  "facts.schema.json": () => RunFacts,
  "last_run.schema.json": () => LastRun,
  "history.schema.json": () => HistoryEntry,
  "manifest.schema.json": () => ManifestSchema,
  "artifacts-policy.schema.json": () => PolicySchema,
  "explain.schema.json": () => Explanation,
};
