import { describe, expect, test } from "bun:test";
import { planRetention, type RetentionEntry } from "../../../artifacts/store/plan_retention.ts";
import { defaultPolicy, withKeep, type Policy } from "../../../artifacts/store/policy.ts";
import { protectionsOf, validatePlan } from "../../../artifacts/store/validate_plan.ts";
import { seededRandom } from "../../helpers/artifact_store.ts";

const NOW = Date.UTC(2026, 5, 1);
const DAY = 86_400_000;

function entry(id: string, family: string, daysAgo: number, extra: Partial<RetentionEntry> = {}): RetentionEntry {
  return { id, family, timestamp: NOW - daysAgo * DAY, size: 1000, fileCount: 3, status: "pass", pinned: false, locked: false, lastRunPointer: false, dryRun: false, ...extra };
}

function policyOf(rules: Partial<Policy["fallback"]> = {}): Policy {
  const base = defaultPolicy();
  return { ...base, fallback: { ...base.fallback, ...rules } };
}

function randomStore(seed: number): { entries: RetentionEntry[]; policy: Policy } {
  const random = seededRandom(seed);
  const families = ["site.yml", "bench", "proofs", "smoke90"].slice(0, 1 + Math.floor(random() * 4));
  const entries: RetentionEntry[] = [];
  const count = Math.floor(random() * 60);
  for (let i = 0; i < count; i++) {
    const roll = random();
    entries.push(entry(`e${i}`, families[Math.floor(random() * families.length)]!, Math.floor(random() * 90), {
      // Equal timestamps happen: ties are broken by id.
      status: roll < 0.5 ? "pass" : roll < 0.8 ? "fail" : roll < 0.9 ? "unknown" : "incomplete",
      pinned: random() < 0.08,
      locked: random() < 0.04,
      lastRunPointer: random() < 0.03,
      dryRun: random() < 0.15,
      size: Math.floor(random() * 10_000),
    }));
  }
  const within = random() < 0.5 ? { text: "20d", ms: 20 * DAY } : undefined;
  const maxSize = random() < 0.4 ? Math.floor(random() * 50_000) : undefined;
  return { entries, policy: policyOf({ keep: Math.floor(random() * 12), ...(within ? { keepWithin: within } : {}), ...(maxSize !== undefined ? { maxSize } : {}) }) };
}

describe("planRetention invariants over 500 random stores", () => {
  test("kept + deleted = all, one reason per decision", () => {
    for (let seed = 1; seed <= 500; seed++) {
      const { entries, policy } = randomStore(seed);
      const plan = planRetention(entries, policy, NOW);
      const kept = plan.decisions.filter((d) => d.action === "keep").length;
      const deleted = plan.decisions.filter((d) => d.action === "delete").length;
      expect(kept + deleted).toBe(entries.length);
      expect(new Set(plan.decisions.map((d) => d.id)).size).toBe(entries.length);
      expect(plan.families.reduce((s, f) => s + f.kept + f.deleted, 0)).toBe(entries.length);
    }
  });

  test("protected entries are never deleted", () => {
    for (let seed = 1; seed <= 500; seed++) {
      const { entries, policy } = randomStore(seed);
      const plan = planRetention(entries, policy, NOW);
      const protections = protectionsOf(entries);
      entries.forEach((e, i) => {
        if (protections.has(e)) expect({ id: e.id, action: plan.decisions[i]!.action }).toEqual({ id: e.id, action: "keep" });
      });
      expect(validatePlan(entries, plan)).toEqual([]);
    }
  });

  test("each family keeps at least its keep newest entries", () => {
    for (let seed = 1; seed <= 500; seed++) {
      const { entries, policy } = randomStore(seed);
      const plan = planRetention(entries, policy, NOW);
      for (const family of new Set(entries.map((e) => e.family))) {
        const newest = entries
          .map((e, i) => [e, plan.decisions[i]!] as const)
          .filter(([e]) => e.family === family && !e.lastRunPointer)
          .sort(([a], [b]) => b.timestamp - a.timestamp || (a.id < b.id ? 1 : -1))
          .slice(0, policy.fallback.keep);
        for (const [, d] of newest) expect(d.action).toBe("keep");
      }
    }
  });

  test("the same input gives the same plan", () => {
    const { entries, policy } = randomStore(42);
    expect(planRetention(entries, policy, NOW)).toEqual(planRetention([...entries], policy, NOW));
  });
});

describe("planRetention reasons", () => {
  test("each rule gives its reason, first match wins", () => {
    const entries = [
      entry("r1", "site.yml", 1, { status: "fail" }),
      entry("r2", "site.yml", 2, { status: "fail", pinned: true }),
      entry("r3", "site.yml", 3),
      entry("r4", "site.yml", 4, { status: "fail" }),
      entry("r5", "site.yml", 5, { status: "fail", locked: true }),
      entry("r6", "site.yml", 6, { status: "incomplete" }),
      entry("r7", "site.yml", 7, { status: "fail" }),
    ];
    const plan = planRetention(entries, policyOf({ keep: 3 }), NOW);
    expect(plan.decisions.map((d) => `${d.id} ${d.reason}`)).toEqual([
      "r1 kept: last run of family site.yml",
      "r2 kept: pinned",
      "r3 kept: last pass of family site.yml",
      "r4 deleted: rank 4 beyond keep 3",
      "r5 kept: run in progress",
      "r6 kept: incomplete run (no summary)",
      "r7 deleted: rank 7 beyond keep 3",
    ]);
    expect(plan.families).toEqual([{ family: "site.yml", policy: "keep 3 last", total: 7, kept: 5, deleted: 2, bytesDeleted: 2000, filesDeleted: 6 }]);
  });

  test("keep_within keeps young entries beyond keep, max_size then trims the oldest of them", () => {
    const entries = [1, 2, 3, 4, 5, 40].map((d) => entry(`d${d}`, "bench", d, { status: "fail" }));
    const within = planRetention(entries, policyOf({ keep: 2, keepWithin: { text: "30d", ms: 30 * DAY } }), NOW);
    expect(within.decisions.map((d) => d.reason)).toEqual([
      "kept: last run of family bench", "kept: rank 2 of keep 2", "kept: within 30d (age 3d)",
      "kept: within 30d (age 4d)", "kept: within 30d (age 5d)", "deleted: rank 6 beyond keep 2, older than 30d",
    ]);
    const sized = planRetention(entries, policyOf({ keep: 2, keepWithin: { text: "30d", ms: 30 * DAY }, maxSize: 3500 }), NOW);
    expect(sized.decisions.map((d) => d.action)).toEqual(["keep", "keep", "keep", "delete", "delete", "delete"]);
    expect(sized.decisions[4]!.reason).toBe("deleted: rank 5 over max_size 3.4K");
  });

  test("a dry run that passed is never the last pass: the real pass before it is", () => {
    const entries = [entry("r1", "site.yml", 1, { status: "fail" }), entry("r2", "site.yml", 2, { dryRun: true }), entry("r3", "site.yml", 3), entry("r4", "site.yml", 4)];
    const plan = planRetention(entries, policyOf({ keep: 1 }), NOW);
    expect(plan.decisions.map((d) => `${d.id} ${d.reason}`)).toEqual([
      "r1 kept: last run of family site.yml",
      "r2 deleted: rank 2 beyond keep 1",
      "r3 kept: last pass of family site.yml",
      "r4 deleted: rank 4 beyond keep 1",
    ]);
  });

  test("last_run.json is kept and not ranked", () => {
    const entries = [entry("p/last_run.json", "p", 0, { lastRunPointer: true }), entry("p/r1", "p", 1), entry("p/r2", "p", 2)];
    const plan = planRetention(entries, policyOf({ keep: 0 }), NOW);
    expect(plan.decisions.map((d) => d.reason)).toEqual(["kept: last_run.json is never deleted", "kept: last run of family p", "deleted: rank 2 beyond keep 0"]);
  });

  test("--keep for one family overrides only that family", () => {
    const entries = [1, 2, 3].flatMap((d) => [entry(`a${d}`, "a", d, { status: "fail" }), entry(`b${d}`, "b", d, { status: "fail" })]);
    const plan = planRetention(entries, withKeep(policyOf({ keep: 1 }), 3, "a"), NOW);
    expect(plan.families.map((f) => `${f.family} ${f.kept}/${f.total}`)).toEqual(["a 3/3", "b 1/3"]);
  });

  test("validatePlan rejects a plan deleting a protected entry", () => {
    const entries = [entry("r1", "f", 1), entry("r2", "f", 2, { pinned: true })];
    const plan = planRetention(entries, policyOf(), NOW);
    plan.decisions[1] = { ...plan.decisions[1]!, action: "delete", reason: "deleted: forced" };
    plan.decisions[0] = { ...plan.decisions[0]!, action: "delete", reason: "deleted: forced" };
    expect(validatePlan(entries, plan)).toEqual(['Refusing to delete "r1": it is the last run of family f', 'Refusing to delete "r2": it is pinned']);
  });
});
