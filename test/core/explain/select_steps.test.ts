import { describe, expect, test } from "bun:test";
import { ACTIONS } from "../../../actions/registry.ts";
import { selectSteps } from "../../../core/explain/select_steps.ts";
import { compilePlan } from "../../../core/plan/compile_plan.ts";
import { sandbox } from "../../helpers/converge.ts";
import { FIXED_FACTS } from "../../helpers/fixed_facts.ts";

describe("selectSteps", () => {
  const tmp = sandbox({ "site.yml": "- print: a\n- print: '{{ item }}'\n  with_items: [x, y]\n- print: c\n" });
  const plan = compilePlan({ configPath: tmp.path("site.yml"), actions: ACTIONS, facts: FIXED_FACTS }).plan!;

  test("no names picks every step; a loop's id picks its items; plan order, no repeats", () => {
    expect(selectSteps(plan, []).indexes).toEqual([0, 1, 2, 3]);
    expect(selectSteps(plan, ["step-0003", "step-0002", "step-0002[1]"])).toEqual({ indexes: [1, 2, 3], unknown: [] });
  });

  test("an unknown name lists the ids closest to it: the same number first, then a few edits away", () => {
    expect(selectSteps(plan, ["step-3", "stpe-0001", "zzz"]).unknown).toEqual([
      { name: "step-3", close: ["step-0003"] },
      { name: "stpe-0001", close: ["step-0001"] },
      { name: "zzz", close: [] },
    ]);
  });
});
