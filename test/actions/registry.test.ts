import { expect, test } from "bun:test";
import { ACTIONS } from "../../actions/registry.ts";

test("every action that runs has a check; the plan-time ones have neither check nor apply", () => {
  for (const action of ACTIONS.all) {
    expect([action.name, typeof action.check]).toEqual([action.name, action.phase === "run" ? "function" : "undefined"]);
    if (action.phase === "plan") expect(action.apply).toBeUndefined();
  }
});
