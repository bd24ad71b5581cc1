// Data-driven validation cases: test/fixtures/validate/<case>.yml with the diagnostics
// `validate` must print beside it in <case>.expected (empty for a valid config).
// UPDATE_GOLDEN=1 rewrites the expectations; review the diff before committing it.
import { ACTIONS } from "../../../actions/registry.ts";
import { describe, expect, test } from "bun:test";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { formatDiagnostic } from "../../../core/config/diagnostics.ts";
import { compilePlan } from "../../../core/plan/compile_plan.ts";
import { FIXED_FACTS } from "../../helpers/fixed_facts.ts";

const dir = join(import.meta.dir, "..", "..", "fixtures", "validate");
const cases = readdirSync(dir).filter((f) => f.endsWith(".yml")).sort();

describe("validate fixtures", () => {
  for (const name of cases) {
    test(`${name} reports exactly its expected diagnostics`, () => {
      const configPath = relative(process.cwd(), join(dir, name));
      const { diagnostics } = compilePlan({ configPath, actions: ACTIONS, facts: FIXED_FACTS });
      const actual = diagnostics.map(formatDiagnostic).join("\n");
      const expectedPath = join(dir, name.replace(/\.yml$/, ".expected"));
      if (process.env.UPDATE_GOLDEN) writeFileSync(expectedPath, actual ? `${actual}\n` : "");
      expect(existsSync(expectedPath)).toBe(true);
      expect(actual).toBe(readFileSync(expectedPath, "utf8").trimEnd());
    });
  }
});
