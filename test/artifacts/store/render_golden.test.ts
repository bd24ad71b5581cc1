// Printed plans and lists as golden files: test/fixtures/artifacts/<case>.json holds a policy,
// a time and entries; <case>.expected what `artifacts list --verbose` and `artifacts gc
// --verbose` print for them. UPDATE_GOLDEN=1 rewrites the expectations; review the diff.
import { afterEach, describe, expect, test } from "bun:test";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { StoreEntry } from "../../../artifacts/store/entry.ts";
import { planRetention } from "../../../artifacts/store/plan_retention.ts";
import { loadPolicy } from "../../../artifacts/store/policy.ts";
import { renderGcPlan, renderList } from "../../../artifacts/store/render_store.ts";
import { validatePlan } from "../../../artifacts/store/validate_plan.ts";
import { tempDir } from "../../helpers/temp_dir.ts";

const dir = join(import.meta.dir, "..", "..", "fixtures", "artifacts");
const cases = readdirSync(dir).filter((f) => f.endsWith(".json")).sort();

let cleanup: (() => void)[] = [];
afterEach(() => {
  for (const remove of cleanup) remove();
  cleanup = [];
});

interface Case {
  now: string;
  policy: string;
  entries: (Omit<StoreEntry, "timestamp" | "path" | "kind" | "files" | "pinned" | "locked" | "lastRunPointer"> & { timestamp: string; pinned?: boolean; locked?: boolean })[];
}

describe("printed plans", () => {
  for (const name of cases) {
    test(`${name} prints its expected list and gc plan`, () => {
      const spec = JSON.parse(readFileSync(join(dir, name), "utf8")) as Case;
      const tmp = tempDir({ "artifacts.yaml": spec.policy });
      cleanup.push(tmp.remove);
      const { policy, diagnostics } = loadPolicy(tmp.dir);
      expect(diagnostics).toEqual([]);
      const entries: StoreEntry[] = spec.entries.map((e) => ({
        ...e, timestamp: Date.parse(e.timestamp), path: e.id, kind: "dir", files: [],
        pinned: (e.pinned ?? false) || policy!.retention[e.family]?.pin.includes(e.id) === true, locked: e.locked ?? false, lastRunPointer: false,
      }));
      const plan = planRetention(entries, policy!, Date.parse(spec.now));
      expect(validatePlan(entries, plan)).toEqual([]);
      const actual = `${renderList(entries, true)}\n${renderGcPlan(entries, plan, { dryRun: true, policySource: "artifacts.yaml", verbose: true })}`;
      const expectedPath = join(dir, name.replace(/\.json$/, ".expected"));
      if (process.env.UPDATE_GOLDEN) writeFileSync(expectedPath, actual);
      expect(existsSync(expectedPath)).toBe(true);
      expect(actual).toBe(readFileSync(expectedPath, "utf8"));
    });
  }
});
