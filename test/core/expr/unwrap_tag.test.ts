import { describe, expect, test } from "bun:test";
import { unwrapTag } from "../../../core/expr/compile_expression.ts";

describe("unwrapTag", () => {
  test("returns the expression inside a string that is exactly one tag", () => {
    expect(unwrapTag("{{ x > 1 }}")).toBe("x > 1");
    expect(unwrapTag("  {{result.rc == 0}}\n")).toBe("result.rc == 0");
  });

  test("returns anything else unchanged", () => {
    for (const source of ["x > 1", "{{ a }} and {{ b }}", "{{ a }} x", "{{{ a }}}", "{{ a"]) {
      expect(unwrapTag(source)).toBe(source);
    }
  });
});
