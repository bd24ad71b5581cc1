import { countsAsPass, type StoreEntry } from "./entry.ts";
import { formatAge, formatSize } from "./parse_size.ts";
import { ruleFor, type FamilyRule, type Policy } from "./policy.ts";

/** What the planner needs of an entry. */
export type RetentionEntry = Pick<StoreEntry, "id" | "family" | "timestamp" | "size" | "fileCount" | "status" | "pinned" | "locked" | "lastRunPointer" | "dryRun">;

export type RuleName = "pinned" | "in_progress" | "incomplete" | "last_run_pointer" | "last_run" | "last_pass" | "keep" | "keep_within" | "max_size" | "beyond_keep";

export interface Decision {
  id: string;
  family: string;
  action: "keep" | "delete";
  rule: RuleName;
  /** "kept: rank 3 of keep 10", "deleted: rank 12 beyond keep 10", ... */
  reason: string;
  /** 1 for the newest entry of its family; 0 for last_run.json, which is not a run. */
  rank: number;
}

export interface FamilySummary {
  family: string;
  policy: string;
  total: number;
  kept: number;
  deleted: number;
  bytesDeleted: number;
  filesDeleted: number;
}

export interface RetentionPlan {
  decisions: Decision[];
  families: FamilySummary[];
}

interface Context {
  entry: RetentionEntry;
  family: string;
  rank: number;
  rule: FamilyRule;
  age: number;
  lastPass: boolean;
}

/** The rules in the order they are tried; the first that speaks decides, so each entry gets one reason. */
const RULES: readonly { name: RuleName; action: Decision["action"]; test: (c: Context) => string | undefined }[] = [
  { name: "pinned", action: "keep", test: (c) => (c.entry.pinned ? "kept: pinned" : undefined) },
  { name: "in_progress", action: "keep", test: (c) => (c.entry.locked ? "kept: run in progress" : undefined) },
  { name: "incomplete", action: "keep", test: (c) => (c.entry.status === "incomplete" ? "kept: incomplete run (no summary)" : undefined) },
  { name: "last_run_pointer", action: "keep", test: (c) => (c.entry.lastRunPointer ? "kept: last_run.json is never deleted" : undefined) },
  { name: "last_run", action: "keep", test: (c) => (c.rank === 1 ? `kept: last run of family ${c.family}` : undefined) },
  { name: "last_pass", action: "keep", test: (c) => (c.lastPass ? `kept: last pass of family ${c.family}` : undefined) },
  { name: "keep", action: "keep", test: (c) => (c.rank <= c.rule.keep ? `kept: rank ${c.rank} of keep ${c.rule.keep}` : undefined) },
  {
    name: "keep_within", action: "keep",
    test: (c) => (c.rule.keepWithin && c.age <= c.rule.keepWithin.ms ? `kept: within ${c.rule.keepWithin.text} (age ${formatAge(c.age)})` : undefined),
  },
  {
    name: "beyond_keep", action: "delete",
    test: (c) => `deleted: rank ${c.rank} beyond keep ${c.rule.keep}${c.rule.keepWithin ? `, older than ${c.rule.keepWithin.text}` : ""}`,
  },
];

/**
 * Decides, for every entry, keep or delete and why. Pure: the same entries, policy and time
 * give the same plan. Each family is ranked newest first; after the rules, `max_size` deletes
 * the oldest entries kept only by `keep_within` until the family fits its budget (never one
 * within `keep` or protected).
 */
export function planRetention(entries: readonly RetentionEntry[], policy: Policy, now: number): RetentionPlan {
  const byFamily = new Map<string, RetentionEntry[]>();
  for (const entry of entries) {
    const list = byFamily.get(entry.family) ?? [];
    list.push(entry);
    byFamily.set(entry.family, list);
  }
  const decisions = new Map<RetentionEntry, Decision>();
  const families: FamilySummary[] = [];
  for (const family of [...byFamily.keys()].sort()) {
    const rule = ruleFor(policy, family);
    const members = byFamily.get(family)!;
    const runs = members.filter((e) => !e.lastRunPointer).sort(newestFirst);
    const lastPass = runs.find(countsAsPass);
    const ranked: [RetentionEntry, number][] = [...members.filter((e) => e.lastRunPointer).map((e) => [e, 0] as [RetentionEntry, number]), ...runs.map((e, i) => [e, i + 1] as [RetentionEntry, number])];
    for (const [entry, rank] of ranked) {
      const context: Context = { entry, family, rank, rule, age: now - entry.timestamp, lastPass: entry === lastPass };
      for (const r of RULES) {
        const reason = r.test(context);
        if (reason === undefined) continue;
        decisions.set(entry, { id: entry.id, family, action: r.action, rule: r.name, reason, rank });
        break;
      }
    }
    if (rule.maxSize !== undefined) applyMaxSize(runs, decisions, rule.maxSize);
    const summary: FamilySummary = { family, policy: describeRule(rule), total: members.length, kept: 0, deleted: 0, bytesDeleted: 0, filesDeleted: 0 };
    for (const entry of members) {
      if (decisions.get(entry)!.action === "keep") summary.kept++;
      else {
        summary.deleted++;
        summary.bytesDeleted += entry.size;
        summary.filesDeleted += entry.fileCount;
      }
    }
    families.push(summary);
  }
  return { decisions: entries.map((e) => decisions.get(e)!), families };
}

function applyMaxSize(runs: readonly RetentionEntry[], decisions: Map<RetentionEntry, Decision>, maxSize: number): void {
  let total = runs.filter((e) => decisions.get(e)!.action === "keep").reduce((sum, e) => sum + e.size, 0);
  for (let i = runs.length - 1; i >= 0 && total > maxSize; i--) {
    const entry = runs[i]!;
    const decision = decisions.get(entry)!;
    if (decision.rule !== "keep_within") continue;
    total -= entry.size;
    decisions.set(entry, { ...decision, action: "delete", rule: "max_size", reason: `deleted: rank ${decision.rank} over max_size ${formatSize(maxSize)}` });
  }
}

function newestFirst(a: RetentionEntry, b: RetentionEntry): number {
  return b.timestamp - a.timestamp || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);
}

/** "keep 10 last, within 30d, max 1.0G": the rule in words, as restic describes its policy. */
export function describeRule(rule: FamilyRule): string {
  const parts = [`keep ${rule.keep} last`];
  if (rule.keepWithin) parts.push(`within ${rule.keepWithin.text}`);
  if (rule.maxSize !== undefined) parts.push(`max ${formatSize(rule.maxSize)}`);
  if (rule.pin.length) parts.push(`${rule.pin.length} pinned by policy`);
  return parts.join(", ");
}
