import { describe, expect, test } from "bun:test";
import { compileExpression, UndefinedVariableError } from "../../../core/expr/compile_expression.ts";
import { KNOWN_AFTER_RUN, trackUnknown, Unknown, UnknownValueError } from "../../../core/expr/unknown.ts";
import { parseTemplate } from "../../../core/template/parse_template.ts";

const pages = new Unknown("pages", "step-0002");
const vars = { pages, app: "web", items: ["a", "b"] };

describe("unknown values (a dry-run's registered results of steps that did not run)", () => {
  test("an expression that reads one is unknown, whatever it does with it", () => {
    for (const source of ["pages.rc == 0", "pages.stdout | trim", "default(pages.nothing, 1)", "pages is changed", "app == 'web' and pages.rc == 0"]) {
      expect(() => compileExpression(source).evaluate(vars)).toThrow(UnknownValueError);
    }
    const error = (() => {
      try {
        compileExpression("pages.rc == 0").evaluate(vars);
      } catch (e) {
        return e as UnknownValueError;
      }
    })();
    expect(error?.message).toBe("pages.rc == 0 reads pages, known after step-0002 runs");
  });

  test("one that does not reach it is known, and an undefined variable is still an error", () => {
    expect(compileExpression("app == 'db' and pages.rc == 0").evaluate(vars)).toBe(false);
    expect(() => compileExpression("nope == 1 or pages.rc == 0").evaluate(vars)).toThrow(UndefinedVariableError);
  });

  test("a template shows (known after run) where a tag or section reads one, and its tracker learns of it", () => {
    const { value, unknown } = trackUnknown(() => parseTemplate("{{ app }}: {{ pages.stdout | trim }} pages, {{#pages.stdout_lines}}[{{ . }}]{{/pages.stdout_lines}}{{#items}}{{.}}{{/items}}").render(vars));
    expect(value).toBe(`web: ${KNOWN_AFTER_RUN} pages, ${KNOWN_AFTER_RUN}ab`);
    expect(unknown).toEqual([pages, pages]);
    expect(trackUnknown(() => parseTemplate("{{ app }}").render(vars)).unknown).toEqual([]);
  });
});
