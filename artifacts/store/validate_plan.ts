import { countsAsPass } from "./entry.ts";
import type { RetentionEntry, RetentionPlan } from "./plan_retention.ts";

/**
 * Why each protected entry may never be deleted, worked out apart from the planner so that
 * one checks the other: pinned, a run in progress, an incomplete run, last_run.json, and the
 * last run and the last pass of each family.
 */
export function protectionsOf(entries: readonly RetentionEntry[]): Map<RetentionEntry, string> {
  const protections = new Map<RetentionEntry, string>();
  const newestRun = new Map<string, RetentionEntry>();
  const newestPass = new Map<string, RetentionEntry>();
  const newer = (e: RetentionEntry, best: RetentionEntry | undefined) => !best || e.timestamp > best.timestamp || (e.timestamp === best.timestamp && e.id > best.id);
  for (const e of entries) {
    if (e.lastRunPointer) continue;
    if (newer(e, newestRun.get(e.family))) newestRun.set(e.family, e);
    if (countsAsPass(e) && newer(e, newestPass.get(e.family))) newestPass.set(e.family, e);
  }
  for (const e of entries) {
    const why = e.pinned ? "pinned"
      : e.locked ? "a run in progress"
      : e.status === "incomplete" ? "an incomplete run"
      : e.lastRunPointer ? "last_run.json"
      : newestRun.get(e.family) === e ? `the last run of family ${e.family}`
      : newestPass.get(e.family) === e ? `the last pass of family ${e.family}`
      : undefined;
    if (why) protections.set(e, why);
  }
  return protections;
}

/**
 * The problems of a plan: an entry without exactly one decision, or a protected entry marked
 * for deletion. A plan with problems must not be executed.
 */
export function validatePlan(entries: readonly RetentionEntry[], plan: RetentionPlan): string[] {
  const problems: string[] = [];
  if (plan.decisions.length !== entries.length) problems.push(`The plan has ${plan.decisions.length} decisions for ${entries.length} entries`);
  const protections = protectionsOf(entries);
  entries.forEach((entry, i) => {
    const decision = plan.decisions[i];
    if (!decision || decision.id !== entry.id) {
      problems.push(`Entry "${entry.id}" has no decision`);
      return;
    }
    const protection = protections.get(entry);
    if (decision.action === "delete" && protection) problems.push(`Refusing to delete "${entry.id}": it is ${protection}`);
  });
  return problems;
}
