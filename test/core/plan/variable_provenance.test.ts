import { describe, expect, test } from "bun:test";
import { relative } from "node:path";
import { ACTIONS } from "../../../actions/registry.ts";
import { formatDiagnostic } from "../../../core/config/diagnostics.ts";
import { compilePlan, type CompileOptions } from "../../../core/plan/compile_plan.ts";
import { settingPosition, settingsByPrecedence, type VariableSetting } from "../../../core/plan/variable_provenance.ts";
import { sandbox } from "../../helpers/converge.ts";
import { FIXED_FACTS } from "../../helpers/fixed_facts.ts";

/** Compiles site.yml of `files` and returns the variable settings it logged; fails on any diagnostic. */
function settingsOf(files: Record<string, string>, options: (path: (p: string) => string) => Partial<CompileOptions> = () => ({})) {
  const tmp = sandbox(files);
  const result = compilePlan({ configPath: tmp.path("site.yml"), actions: ACTIONS, facts: FIXED_FACTS, ...options(tmp.path) });
  expect(result.diagnostics.map(formatDiagnostic)).toEqual([]);
  return { settings: result.variables!, plan: result.plan!, path: tmp.path };
}

/** `layer kind file:line:col = value`, file relative to the temp dir, for one name by precedence. */
function described(settings: readonly VariableSetting[], name: string, path: (p: string) => string): string[] {
  return settingsByPrecedence(settings, name).map((s) => {
    const at = settingPosition(s.origin);
    const where = at ? `${relative(path(""), at.file)}:${at.line}:${at.col}` : s.origin.kind === "var_option" ? s.origin.text : "";
    return `${s.layer} ${s.origin.kind} ${where} = ${JSON.stringify(s.value)}`;
  });
}

describe("variable provenance", () => {
  test("each layer's value is logged with the file and line of its key, ordered as the run layers them", () => {
    const { settings, path } = settingsOf({
      "site.yml": [
        "vars:",
        "  port: 80",
        "  name: app",
        "steps:",
        "  - include_vars: vars/web.yml",
        "  - vars:",
        "      port: 81",
        "  - print: '{{ port }}'",
        "",
      ].join("\n"),
      "vars/web.yml": "other: 1\nport: 8080\n",
      "prod.yml": "port: 9000\n",
    }, (p) => ({ varsFiles: [p("prod.yml")], varAssignments: ["port=9090"] }));
    expect(described(settings, "port", path)).toEqual([
      "cli var_option port=9090 = 9090",
      "cli vars_file prod.yml:1:1 = 9000",
      "include_vars include_vars vars/web.yml:2:1 = 8080",
      "config vars_step site.yml:7:7 = 81",
      "config config_vars site.yml:2:3 = 80",
    ]);
    expect(described(settings, "name", path)).toEqual(["config config_vars site.yml:3:3 = \"app\""]);
  });

  test("an include_vars value records the include_vars step that read it", () => {
    const { settings } = settingsOf({ "site.yml": "- print: x\n- include_vars: v.yml\n", "v.yml": "a: 1\n" });
    const [setting] = settingsByPrecedence(settings, "a");
    expect(setting!.origin).toMatchObject({ kind: "include_vars", includedAt: { line: 2, col: 3 } });
  });

  test("rendered values are recorded, and vars of an included file are located in that file", () => {
    const { settings, path } = settingsOf({
      "site.yml": "vars: { base: /srv }\nsteps:\n  - include: tasks/app.yml\n",
      "tasks/app.yml": "- vars:\n    dir: '{{ base }}/app'\n- print: '{{ dir }}'\n",
    });
    expect(described(settings, "dir", path)).toEqual(["config vars_step tasks/app.yml:2:5 = \"/srv/app\""]);
  });

  test("a vars step whose when is false sets nothing, so it is not logged", () => {
    const { settings } = settingsOf({ "site.yml": "vars: { x: 1 }\nsteps:\n  - vars: { x: 2 }\n    when: os == 'windows'\n  - print: '{{ x }}'\n" });
    expect(settingsByPrecedence(settings, "x").map((s) => s.value)).toEqual([1]);
  });

  test("a preset step is named in the include stack of its steps", () => {
    const { plan } = settingsOf({
      "site.yml": "- preset: { name: hello, with: { who: you } }\n",
      "presets/hello/preset.yml": "name: hello\nparameters:\n  who: { type: string, required: true }\nsteps:\n  - print: 'hi {{ parameters.who }}'\n",
    });
    expect(plan.steps[0]!.origin.include_stack).toEqual([expect.objectContaining({ line: 1, col: 3, preset: "hello" })]);
  });
});
