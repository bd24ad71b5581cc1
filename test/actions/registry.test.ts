import { expect, test } from "bun:test";
import { ACTIONS } from "../../actions/registry.ts";

test("every action that runs has a check; the plan-time ones have neither check nor apply", () => {
  for (const action of ACTIONS.all) {
    expect([action.name, typeof action.check]).toEqual([action.name, action.phase === "run" ? "function" : "undefined"]);
    if (action.phase === "plan") expect(action.apply).toBeUndefined();
  }
});

test("each action loads under the name steps use for it, once", () => {
  for (const name of ACTIONS.names) {
    expect(ACTIONS.find(name)?.name).toBe(name);
    expect(ACTIONS.find(name)).toBe(ACTIONS.find(name)!);
  }
  expect(ACTIONS.all.map((a) => a.name)).toEqual([...ACTIONS.names]);
  for (const name of ["name", "when", "constructor", "__proto__", "toString"]) expect(ACTIONS.find(name)).toBeUndefined();
});
