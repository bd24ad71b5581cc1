import { describe, expect, test } from "bun:test";
import { ACTIONS } from "../../../actions/registry.ts";
import { formatDiagnostic } from "../../../core/config/diagnostics.ts";
import type { FinishedStep } from "../../../core/explain/dry_run_plan.ts";
import { explainVariable, type VariableWorld } from "../../../core/explain/explain_variable.ts";
import { compilePlan, type CompileOptions } from "../../../core/plan/compile_plan.ts";
import { loadVarsFile } from "../../../core/plan/load_vars.ts";
import { varsFileSettings } from "../../../core/plan/variable_provenance.ts";
import { REDACTED } from "../../../core/security/redactor.ts";
import { sandbox } from "../../helpers/converge.ts";
import { FIXED_FACTS } from "../../helpers/fixed_facts.ts";

/** The world of site.yml in `files`, with what the dry-run registered given as `finished`. */
function world(files: Record<string, string>, options: (path: (p: string) => string) => Partial<CompileOptions> & { secretFile?: string } = () => ({}), finished: Record<string, Partial<FinishedStep["data"]>> = {}): VariableWorld {
  const tmp = sandbox(files);
  const { secretFile, ...compileOptions } = options(tmp.path);
  const secret = secretFile !== undefined ? loadVarsFile(secretFile) : undefined;
  const result = compilePlan({ configPath: tmp.path("site.yml"), actions: ACTIONS, facts: FIXED_FACTS, secretNames: Object.keys(secret?.vars ?? {}), ...compileOptions });
  expect(result.diagnostics.map(formatDiagnostic)).toEqual([]);
  const secretSettings = secret ? varsFileSettings(secret.file!, secret.vars!, "secret_vars") : [];
  return {
    steps: result.plan!.steps,
    settings: [...result.variables!, ...secretSettings],
    facts: FIXED_FACTS,
    factGroup: (name) => (Object.hasOwn(FIXED_FACTS, name) ? "basic" : undefined),
    finished: new Map(Object.entries(finished).map(([id, data]) => [id, [{ step_id: id, data } as FinishedStep]])),
  };
}

describe("explainVariable", () => {
  test("--var wins over --vars, include_vars and config vars, each shadowed by precedence with its value", () => {
    const w = world({
      "site.yml": "vars: { port: 80 }\nsteps:\n  - include_vars: v.yml\n  - print: x\n    when: port > 0\n",
      "v.yml": "port: 8080\n",
      "prod.yml": "port: 9000\n",
    }, (p) => ({ varsFiles: [p("prod.yml")], varAssignments: ["port=9090"] }));
    const port = explainVariable("port", 0, w);
    expect(port).toMatchObject({ name: "port", state: "known", value: 9090, source: { kind: "var_option", text: "--var port=9090" } });
    expect(port.shadowed.map((s) => [s.source.kind, s.value, s.by])).toEqual([
      ["vars_file", 9000, "precedence"],
      ["include_vars", 8080, "precedence"],
      ["config_vars", 80, "precedence"],
    ]);
    expect(port.shadowed[0]!.source.at).toMatchObject({ line: 1, col: 1 });
  });

  test("a vars step shadows the config's vars: as a later value of the same layer, and a config var shadows a fact", () => {
    const w = world({ "site.yml": "vars: { os: plan9 }\nsteps:\n  - vars: { os: beos }\n  - print: x\n" });
    const os = explainVariable("os", 0, w);
    expect(os).toMatchObject({ value: "beos", source: { kind: "vars_step", at: { line: 3, col: 13 } } });
    expect(os.shadowed.map((s) => [s.source.kind, s.value, s.by])).toEqual([["config_vars", "plan9", "later"], ["fact", "linux", "precedence"]]);
    expect(explainVariable("hostname", 0, w)).toMatchObject({ value: "testhost", source: { kind: "fact", fact_group: "basic", text: "fact (group basic)" }, shadowed: [] });
  });

  test("a result registered by an earlier step wins over everything else, with the value the dry-run saw", () => {
    const w = world({ "site.yml": "vars: { out: 1 }\nsteps:\n  - shell: echo hi\n    register: out\n  - print: x\n" }, () => ({}), { "step-0001": { result: { rc: 0, stdout: "hi\n" } } });
    const out = explainVariable("out", 1, w);
    expect(out).toMatchObject({ state: "known", value: { rc: 0, stdout: "hi\n" }, source: { kind: "registered", step_id: "step-0001", text: expect.stringMatching(/^registered by step-0001 \(.*site\.yml:3:5\)$/) } });
    expect(out.shadowed.map((s) => s.source.kind)).toEqual(["config_vars"]);
    // The step that registers it does not see its own result.
    expect(explainVariable("out", 0, w)).toMatchObject({ value: 1, source: { kind: "config_vars" } });
  });

  test("a result the dry-run could not know, or of a step it did not reach, is known only after a run", () => {
    const files = { "site.yml": "- shell: echo hi\n  register: out\n- print: x\n" };
    expect(explainVariable("out", 1, world(files, () => ({}), { "step-0001": { result: {}, known_after_run: true } }))).toMatchObject({ state: "known_after_run", source: { kind: "registered" } });
    expect(explainVariable("out", 1, world(files))).not.toHaveProperty("value");
  });

  test("a --secret-vars value wins over --var and is shown redacted", () => {
    const w = world({ "site.yml": "- print: x\n", "secret.yml": "token: hunter2\n" }, (p) => ({ varAssignments: ["token=plain"], secretFile: p("secret.yml") }));
    const token = explainVariable("token", 0, w);
    expect(token).toMatchObject({ value: REDACTED, source: { kind: "secret_vars", at: { line: 1, col: 1 } } });
    expect(token.shadowed.map((s) => [s.source.kind, s.value])).toEqual([["var_option", "plain"]]);
  });

  test("loop variables, preset parameters and dry_run name where they come from; an unknown name is undefined", () => {
    const w = world({
      "site.yml": "- print: '{{ item }}'\n  with_items: [a, b]\n- preset: { name: p, with: { who: you } }\n",
      "presets/p/preset.yml": "name: p\nparameters:\n  who: { type: string }\nsteps:\n  - print: '{{ parameters.who }}'\n",
    });
    expect(explainVariable("item", 1, w)).toMatchObject({ value: "b", source: { kind: "loop", text: "loop item 1 of step-0001[1]" } });
    expect(explainVariable("parameters", 2, w)).toMatchObject({ value: { who: "you" }, source: { kind: "preset_parameters", text: expect.stringMatching(/^parameters of preset "p" \(used at .*site\.yml:3:3\)$/) } });
    expect(explainVariable("dry_run", 0, w)).toMatchObject({ value: true, source: { kind: "mooncake" } });
    expect(explainVariable("nosuch", 0, w)).toEqual({ name: "nosuch", state: "undefined", source: { kind: "undefined", text: expect.any(String) }, shadowed: [] });
  });
});
