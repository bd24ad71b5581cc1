import { describe, expect, test } from "bun:test";
import { ACTIONS } from "../../../actions/registry.ts";
import { formatDiagnostic } from "../../../core/config/diagnostics.ts";
import { compilePlan } from "../../../core/plan/compile_plan.ts";
import { loadPolicyFile } from "../../../core/security/load_policy_file.ts";
import { checkPlanSafety } from "../../../core/security/plan_safety.ts";
import { sandbox } from "../../helpers/converge.ts";
import { FIXED_FACTS } from "../../helpers/fixed_facts.ts";
import { runConfig } from "../../helpers/run_config.ts";

function compileIn(files: Record<string, string>, vars: string[] = []) {
  const tmp = sandbox(files);
  const result = compilePlan({ configPath: tmp.path("site.yml"), actions: ACTIONS, facts: FIXED_FACTS, varAssignments: vars });
  return { ...result, tmp, shown: result.diagnostics.map(formatDiagnostic).map((d) => d.replaceAll(tmp.dir, "TMP")) };
}

describe("the safety block of a config", () => {
  test("is kept in the plan, workspace templates rendered with the config's variables and --var, paths resolved against the file", () => {
    const { plan, tmp } = compileIn({
      "site.yml": 'vars: {work: /srv/work}\nsafety:\n  commands: {deny: ["curl * | sh"], allow: ["echo *"]}\n  workspace: ["{{ work }}", out, "~/cache"]\n  confirm: [packages]\nsteps:\n  - print: hi\n',
    }, ["work=/srv/other"]);
    expect(plan!.safety).toEqual({
      deny: [{ pattern: "curl * | sh", from: { origin: "config", file: tmp.path("site.yml"), line: 3, col: 21 } }],
      allow: [{ patterns: ["echo *"], from: { origin: "config", file: tmp.path("site.yml"), line: 3, col: 44 } }],
      workspaces: [{ paths: ["/srv/other", tmp.path("out"), `${process.env.HOME}/cache`], from: { origin: "config", file: tmp.path("site.yml"), line: 4, col: 14 } }],
      confirm: [{ category: "packages", from: { origin: "config", file: tmp.path("site.yml"), line: 5, col: 13 } }],
    });
  });

  test("a bad shape is a located error at the value or the unknown key", () => {
    const { plan, shown } = compileIn({ "site.yml": "safety:\n  commands: {deny: curl}\n  allow: [x]\nsteps:\n  - print: hi\n" });
    expect(plan).toBeUndefined();
    expect(shown).toEqual([
      'TMP/site.yml:2:20: error: safety.commands.deny: Expected a list, got "curl"',
      'TMP/site.yml:3:3: error: safety.allow: Unknown key "allow": expected one of commands, workspace, confirm',
    ]);
  });

  test("an unknown danger category and a run-time workspace are errors at their entry", () => {
    const { plan, shown } = compileIn({
      "site.yml": 'safety:\n  workspace: ["{{ out.stdout }}"]\n  confirm: [boot, kernel]\nsteps:\n  - shell: pwd\n    register: out\n',
    });
    expect(plan).toBeUndefined();
    expect(shown).toEqual([
      'TMP/site.yml:2:15: error: safety.workspace[0]: "{{ out.stdout }}" reads "out", which is only known at run time: a workspace must be known when the plan is made',
      'TMP/site.yml:3:19: error: safety.confirm[1]: unknown danger category "kernel" (known: protected_paths, boot, drivers, users, packages, services, etc, deletes)',
    ]);
  });

  test("rules are located in the file whether the block comes before the steps or after them", () => {
    const steps = Array.from({ length: 50 }, (_, i) => `  - print: "${i}"`).join("\n");
    const before = compileIn({ "site.yml": `safety:\n  commands:\n    deny: ["a*", "b*"]\nsteps:\n${steps}\n` });
    expect(before.plan!.safety!.deny.map((d) => [d.from.line, d.from.col])).toEqual([[3, 12], [3, 18]]);
    const after = compileIn({ "site.yml": `steps:\n${steps}\nsafety:\n  commands:\n    deny: ["a*", "b*"]\n` });
    expect(after.plan!.safety!.deny.map((d) => [d.from.line, d.from.col])).toEqual([[54, 12], [54, 18]]);
  });

  test("safety blocks of included files tighten the run too", () => {
    const { plan } = compileIn({
      "site.yml": 'safety: {commands: {deny: ["a*"]}}\nsteps:\n  - include: more.yml\n',
      "more.yml": 'safety: {commands: {deny: ["b*"]}}\nsteps:\n  - print: hi\n',
    });
    expect(plan!.safety!.deny.map((d) => d.pattern)).toEqual(["a*", "b*"]);
  });
});

describe("a machine policy file", () => {
  test("reads its safety block; workspace templates see the facts only, never the config's variables", () => {
    const tmp = sandbox({ "policy.yml": 'safety:\n  workspace: ["/srv/{{ hostname }}", rel]\n  commands: {allow: ["apt-get *"]}\n' });
    const { policy, diagnostics } = loadPolicyFile(tmp.path("policy.yml"), { ...FIXED_FACTS, hostname: "web1" });
    expect(diagnostics).toEqual([]);
    expect(policy.workspaces[0]!.paths).toEqual(["/srv/web1", tmp.path("rel")]);
    expect(policy.allow[0]!.from).toEqual({ origin: "policy", file: tmp.path("policy.yml"), line: 3, col: 21 });
    const undefinedVar = loadPolicyFile((() => {
      const t = sandbox({ "p.yml": 'safety:\n  workspace: ["{{ work }}"]\n' });
      return t.path("p.yml");
    })(), FIXED_FACTS);
    expect(undefinedVar.diagnostics.map((d) => [d.code, d.subject?.line, d.subject?.col])).toEqual([["MC1602", 2, 15]]);
  });

  test("a bad shape, an unknown key, a YAML error and a missing file are located diagnostics", () => {
    const tmp = sandbox({
      "shape.yml": "safety:\n  commands:\n    deny: [1]\n",
      "key.yml": "safety: {}\nsteps: []\n",
      "list.yml": "- safety: {}\n",
      "yaml.yml": "safety: [\n",
    });
    const located = (name: string) => loadPolicyFile(tmp.path(name), FIXED_FACTS).diagnostics.map((d) => `${d.code} ${d.subject?.line}:${d.subject?.col} ${d.message}`);
    expect(located("shape.yml")).toEqual(["MC1601 3:12 safety.commands.deny.0: Expected a string, got a number (1)"]);
    expect(located("key.yml")).toEqual(['MC1601 2:1 Unknown key "steps" in a policy file: it holds only "safety:"']);
    expect(located("list.yml")).toEqual(['MC1601 1:1 A policy file is a mapping with "safety:", got a list']);
    expect(located("yaml.yml")[0]).toStartWith("MC1005 ");
    expect(located("missing.yml")[0]).toStartWith("MC1001 1:1 Cannot read");
  });

  test("a device is refused without being read (the read is bounded)", () => {
    const { diagnostics } = loadPolicyFile("/dev/zero", FIXED_FACTS);
    expect(diagnostics[0]!.message).toBe('Cannot read "/dev/zero": it is a character device, not a regular file');
  });
});

describe("plan-time checks", () => {
  test("a policy refusal is an error at the step naming the rule and its file; a danger category a warning; unknown values wait for the run", () => {
    const { plan, tmp } = compileIn({
      "site.yml": [
        "safety:",
        '  commands: {deny: ["curl * | sh"]}',
        "steps:",
        "  - shell: echo",
        "    register: r",
        "  - shell: curl x | sh",
        "  - file: {path: /etc/fstab, content: x}",
        '  - shell: "curl {{ r.stdout }} | sh"',
        "  - shell: curl y | sh",
        '    when: os == "windows"',
        "",
      ].join("\n"),
    });
    const shown = checkPlanSafety(plan!, ACTIONS, { facts: FIXED_FACTS, danger: "warn" }).map(formatDiagnostic).map((d) => d.replaceAll(tmp.dir, "TMP"));
    expect(shown).toEqual([
      'TMP/site.yml:6:5: error: step-0002: Refusing to run "curl x | sh": it matches "curl * | sh" in commands.deny of the safety block of TMP/site.yml:2:21',
      'TMP/site.yml:7:5: warning: step-0003 would write "/etc/fstab": it is boot configuration (danger category "boot": a run needs --i-accept-danger)',
    ]);
    expect(checkPlanSafety(plan!, ACTIONS, { facts: FIXED_FACTS, danger: "skip" }).map((d) => d.severity)).toEqual(["error"]);
  });
});

describe("run-time checks", () => {
  test("a value known only at run time is judged when the step runs: it fails with kind policy and nothing runs", async () => {
    const tmp = sandbox({
      "site.yml": [
        "safety:",
        "  workspace: [work]",
        "steps:",
        "  - shell: echo outside.txt",
        "    register: name",
        '  - file: {path: "{{ name.stdout | trim }}", content: x}',
        '  - shell: "touch {{ name.stdout | trim }}"',
        "",
      ].join("\n"),
    });
    const run = await runConfig(tmp.path("site.yml"), { policy: { deny: [{ pattern: "touch *", from: { origin: "policy", file: "/p.yml", line: 1, col: 1 } }], allow: [], workspaces: [], confirm: [] } });
    expect(run.result.status).toBe("failed");
    expect(run.steps[1]!.error).toEqual({ kind: "policy", message: `Refusing to write "${tmp.path("outside.txt")}": it is outside the workspace of the safety block of ${tmp.path("site.yml")}:2:14 (${tmp.path("work")})` });
    expect(run.steps[1]!.attempts).toBe(0);
    expect(await Bun.file(tmp.path("outside.txt")).exists()).toBe(false);
  });

  test("in a dry-run a refusal is a failure; with --i-accept-danger a danger category passes but a policy rule does not", async () => {
    const tmp = sandbox({ "site.yml": "- file: {path: /etc/fstab, content: x}\n- shell: rm -rf /srv/x\n" });
    const policy = { deny: [{ pattern: "rm *", from: { origin: "policy" as const, file: "/p.yml", line: 1, col: 1 } }], allow: [], workspaces: [], confirm: [] };
    const preview = await runConfig(tmp.path("site.yml"), { dryRun: true, policy });
    expect(preview.steps.map((s) => [s.status, s.error?.kind])).toEqual([["failed", "danger"]]);
    // A dry-run with the flag checks the next step (its change is only shown), and refuses the second.
    const accepted = await runConfig(tmp.path("site.yml"), { dryRun: true, acceptDanger: true, policy });
    expect(accepted.steps[0]!.error?.kind).not.toBe("danger");
    expect(accepted.steps.at(-1)!.error).toEqual({ kind: "policy", message: 'Refusing to run "rm -rf /srv/x": it matches "rm *" in commands.deny of the --policy file /p.yml:1:1' });
  });
});
