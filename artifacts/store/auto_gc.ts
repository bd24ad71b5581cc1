import { applyGc, type GcOutcome } from "./apply_gc.ts";
import { discoverEntries } from "./discover_entries.ts";
import { planRetention } from "./plan_retention.ts";
import { loadPolicy } from "./policy.ts";
import { repairStore } from "./repair_store.ts";
import { rescanAndWrite } from "./scan_store.ts";
import { acquireStoreLock } from "./store_lock.ts";
import { expiredTrash, purgeTrashItem } from "./trash.ts";

/**
 * What `mooncake run` calls after writing a run: when `artifacts.yaml` says `gc.auto: true`,
 * applies the retention policy exactly as `artifacts gc --apply --force` would. Returns
 * undefined when auto gc is off or the policy is invalid (the run must not fail for it); a
 * locked store is left for the next run.
 */
export async function autoGc(root: string, now: Date): Promise<GcOutcome | undefined> {
  const { policy } = loadPolicy(root);
  if (!policy?.gcAuto) return undefined;
  let release: () => void;
  try {
    release = acquireStoreLock(root, "gc (auto)");
  } catch {
    return undefined;
  }
  try {
    repairStore(root);
    for (const item of expiredTrash(root, policy.trashRetention.ms, now.getTime())) purgeTrashItem(root, item);
    const entries = discoverEntries(root, policy);
    const plan = planRetention(entries, policy, now.getTime());
    if (!plan.decisions.some((d) => d.action === "delete")) return { moved: [], skipped: [], reportPath: "" };
    const outcome = applyGc(root, entries, plan, now, policy.source);
    await rescanAndWrite(root, policy, now);
    return outcome;
  } finally {
    release();
  }
}
