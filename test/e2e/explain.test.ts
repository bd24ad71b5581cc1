import { describe, expect, test } from "bun:test";
import Ajv from "ajv";
import { chmodSync, existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Explanation, StepExplanation, VariableExplanation } from "../../core/explain/explanation.ts";
import { sandbox } from "../helpers/converge.ts";
import { fakeSudo } from "../helpers/fake_sudo.ts";
import { runBinary } from "../helpers/run_binary.ts";
import { treeSnapshot } from "../helpers/tree_snapshot.ts";

const validateExplanation = new Ajv({ allErrors: true, strict: true }).compile(JSON.parse(readFileSync(join(import.meta.dir, "..", "..", "schemas", "explain.schema.json"), "utf8")));

const SITE = [
  'version: "1"',
  "vars:",
  "  env: dev",
  "  port: 80",
  "  greeting: hello",
  "steps:",
  "  - include_vars: vars/web.yml",
  "  - vars:",
  "      greeting: hi",
  "  - name: Probe",
  "    shell: echo probing",
  "    register: probe",
  "    dry_run: run",
  "    tags: [web]",
  "  - include: tasks/web.yml",
  "    tags: [web]",
  "  - name: Already there",
  "    file: { path: ./same.txt, content: \"same\\n\" }",
  "    tags: [web]",
  "  - name: Later",
  "    shell: echo later",
  "    register: later",
  "    tags: [db]",
  "  - name: After later",
  "    print: done",
  "    when: later.rc == 0",
  "",
].join("\n");

const FILES = {
  "site.yml": SITE,
  "vars/web.yml": "port: 8080\n",
  "tasks/web.yml": [
    "- name: Write motd",
    "  file: { path: ../motd.txt, content: \"{{ greeting }} on {{ env }}:{{ port }}\\n\" }",
    '  when: env == "prod" and port > 1000 and os != "" and probe.rc == 0',
    "",
  ].join("\n"),
  "prod.yml": "env: prod\n",
  "same.txt": "same\n",
};

function project(files: Record<string, string> = FILES) {
  const tmp = sandbox(files);
  const run = (...args: string[]) => runBinary(args, { cwd: tmp.dir });
  const explain = (...args: string[]): Explanation => {
    const result = run("explain", ...args, "--format", "json");
    expect(result.stderr).toBe("");
    expect(result.exitCode).toBe(0);
    const explanation = JSON.parse(result.stdout);
    expect(validateExplanation(explanation) ? [] : validateExplanation.errors).toEqual([]);
    return explanation;
  };
  return { ...tmp, run, explain };
}

function step(explanation: Explanation, id: string): StepExplanation {
  return explanation.steps.find((s) => s.id === id)!;
}

function variable(s: StepExplanation, name: string): VariableExplanation {
  return s.when!.variables.find((v) => v.name === name)!;
}

describe("mooncake explain", () => {
  test("says where each value the when reads comes from, which layers it shadowed, and shows the diff without applying it", () => {
    const p = project();
    const before = treeSnapshot(p.dir, []);
    const explanation = p.explain("site.yml", "--vars", "prod.yml", "--var", "port=9090", "--tags", "web");
    expect(treeSnapshot(p.dir, [])).toEqual(before);
    expect(existsSync(p.path("motd.txt"))).toBe(false);
    expect(existsSync(p.path(".mooncake"))).toBe(false);
    expect(explanation.steps.map((s) => s.id)).toEqual(["step-0001", "step-0002", "step-0003", "step-0004", "step-0005"]);

    const motd = step(explanation, "step-0002");
    expect(motd.origin).toMatchObject({ file: p.path("tasks/web.yml"), line: 1, col: 3, include_stack: [{ file: p.path("site.yml"), line: 15, col: 5 }] });
    expect(motd.tags).toEqual({ tags: ["web"], selected: true, reason: "--tags web includes web" });
    expect(motd.when!.result).toBe("true");
    expect(variable(motd, "env")).toMatchObject({ value: "prod", source: { kind: "vars_file", at: { file: p.path("prod.yml"), line: 1, col: 1 } } });
    expect(variable(motd, "env").shadowed).toEqual([{ source: expect.objectContaining({ kind: "config_vars", at: { file: p.path("site.yml"), line: 3, col: 3 } }), value: "dev", by: "precedence" }]);
    const port = variable(motd, "port");
    expect(port).toMatchObject({ value: 9090, source: { kind: "var_option", text: "--var port=9090" } });
    expect(port.shadowed.map((s) => [s.source.kind, s.value, s.by])).toEqual([["include_vars", 8080, "precedence"], ["config_vars", 80, "precedence"]]);
    expect(port.shadowed[0]!.source.text).toBe("include_vars file vars/web.yml:1:1 (included at site.yml:7:5)");
    expect(variable(motd, "os").source).toMatchObject({ kind: "fact", fact_group: "basic" });
    expect(variable(motd, "probe")).toMatchObject({ state: "known", members: [{ path: "probe.rc", value: 0 }], source: { kind: "registered", step_id: "step-0001" } });
    expect(motd.check).toEqual([expect.objectContaining({ step_id: "step-0002", verdict: "would_change", change: expect.objectContaining({ kind: "create", diff: expect.stringContaining("+hi on prod:9090") }) })]);
    expect(motd.safety).toEqual([]);
    expect(motd.last_run).toEqual({ outcomes: [], never_run: "no run of site.yml recorded in .mooncake/runs" });

    expect(step(explanation, "step-0003").check).toEqual([expect.objectContaining({ verdict: "up_to_date", reason: "content and attributes are as wanted" })]);
    expect(step(explanation, "step-0004").tags).toEqual({ tags: ["db"], selected: false, reason: "--tags web includes none of its tags" });
    expect(step(explanation, "step-0004").check).toEqual([expect.objectContaining({ verdict: "skipped", reason: "not tagged web" })]);
    const afterLater = step(explanation, "step-0005");
    expect(afterLater.tags.selected).toBe(false);
    expect(afterLater.when).toMatchObject({ result: "not_evaluated", variables: [{ name: "later", source: { kind: "registered", step_id: "step-0004" } }] });
  });

  test("a value only a run knows makes the when unknown until run; the text output shows the same story", { timeout: 20_000 }, () => {
    const p = project();
    const explanation = p.explain("site.yml", "step-0005");
    expect(explanation.steps.map((s) => s.id)).toEqual(["step-0005"]);
    expect(step(explanation, "step-0005").when).toMatchObject({ result: "unknown", variables: [{ name: "later", state: "known_after_run" }] });
    expect(step(explanation, "step-0005").check[0]).toMatchObject({ verdict: "unknown", reason: "when: later.rc == 0 reads later, known after step-0004 runs" });

    const text = p.run("explain", "--config", "site.yml", "step-0002", "--var", "env=prod", "--var", "port=9090");
    expect(text.exitCode).toBe(0);
    expect(text.stdout).toContain("step-0002  Write motd  (file)");
    expect(text.stdout).toContain("  origin    tasks/web.yml:1:3\n            via include at site.yml:15:5\n");
    expect(text.stdout).toMatch(/ {14}env = "prod" {2}from --var env=prod\n {16}over "dev" from vars at site\.yml:3:3 \(lower precedence\)\n/);
    expect(text.stdout).toContain("probe.rc = 0  from registered by step-0001 (site.yml:10:5)");
    expect(text.stdout).toMatch(/check {5}would change\n {14}\+ .*motd\.txt {2}\(file does not exist\)\n[^]*\+hi on prod:9090/);
    expect(text.stdout).toContain("  last run  never run: no run of site.yml recorded in .mooncake/runs");
    expect(existsSync(p.path("motd.txt"))).toBe(false);
  });

  test("after a real run: each step's outcome in it, and the changed step now up to date", { timeout: 30_000 }, () => {
    const p = project();
    const run = p.run("run", "site.yml", "--var", "env=prod", "--var", "port=9090", "--raw");
    expect(run.exitCode).toBe(0);
    const [runId] = readdirSync(p.path(".mooncake/runs")).filter((n) => /^\d{8}-/.test(n));
    expect(readFileSync(p.path("motd.txt"), "utf8")).toBe("hi on prod:9090\n");

    const explanation = p.explain("site.yml", "step-0002", "--var", "env=prod", "--var", "port=9090");
    const motd = step(explanation, "step-0002");
    expect(motd.check).toEqual([expect.objectContaining({ verdict: "up_to_date" })]);
    expect(motd.last_run).toEqual({
      run: { run_id: runId!, started_at: expect.any(String), status: "ok" },
      outcomes: [expect.objectContaining({ step_id: "step-0002", name: "Write motd", action: "file", status: "changed", changed: true, duration_ms: expect.any(Number) })],
    });
    // A dry-run is not a run: it leaves the last run's outcome in place.
    expect(p.run("run", "site.yml", "--dry-run", "--raw").exitCode).toBe(0);
    expect(step(p.explain("site.yml", "step-0002"), "step-0002").last_run.run?.run_id).toBe(runId!);

    const text = p.run("explain", "site.yml", "step-0002");
    expect(text.stdout).toContain(`  last run  run ${runId} (`);
    expect(text.stdout).toMatch(/ {12}step-0002: changed in \d+(ms|\.\ds)\n/);
    expect(p.run("explain", "site.yml", "step-0002", "--artifacts-dir", "elsewhere").stdout).toContain("never run: no run of site.yml recorded in elsewhere/runs");
  });

  test("the safety rules judging each step, passed or refused, with where they are written; a refused step is explained, not fatal", () => {
    const p = project({ "policy.yml": "safety:\n  commands:\n    deny: ['curl * | sh']\n" });
    writeFileSync(p.path("site.yml"), `safety:\n  workspace: ['${p.path("ws")}']\nsteps:\n  - shell: curl http://x | sh\n  - file: { path: ws/a, state: directory }\n  - file: { path: /etc/fstab, state: file }\n`);
    const explanation = p.explain("site.yml", "--policy", "policy.yml");
    expect(step(explanation, "step-0001").safety).toEqual([
      expect.objectContaining({ rule: "commands.deny", refused: true, kind: "policy", from: { origin: "policy", file: p.path("policy.yml"), line: 3, col: 12 } }),
    ]);
    expect(step(explanation, "step-0001").check[0]).toMatchObject({ verdict: "would_fail", error: { kind: "policy" } });
    expect(step(explanation, "step-0002").safety).toEqual([expect.objectContaining({ rule: "workspace", refused: false })]);
    expect(step(explanation, "step-0003").safety.map((r) => [r.rule, r.refused, r.kind])).toEqual([["category:boot", true, "danger"], ["workspace", true, "policy"]]);
    const text = p.run("explain", "site.yml", "step-0003", "--policy", "policy.yml");
    expect(text.stdout).toContain(`refused by category:boot: Refusing to write "/etc/fstab": it is boot configuration`);
    expect(text.stdout).toMatch(/refused by workspace \(the safety block of site\.yml:2:14\)/);
  });

  test("an unknown step id is a usage error naming the closest ids", () => {
    const p = project();
    const result = p.run("explain", "site.yml", "step-2", "stpe-0003");
    expect(result.exitCode).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain('No step "step-2" in the plan: did you mean step-0002?');
    expect(result.stderr).toContain('No step "stpe-0003" in the plan: did you mean step-0003?');
    expect(result.stderr).not.toContain("    at ");
    const invalid = p.run("explain", "missing.yml");
    expect(invalid.exitCode).toBe(2);
    expect(invalid.stderr).toContain("missing.yml");
  });

  test("secrets are redacted from values, diffs and text as in a run", () => {
    const p = project({
      "site.yml": "- name: Key\n  file: { path: ./key.txt, content: \"key={{ token }}\\n\" }\n  when: token != \"\"\n",
      "secret.yml": "token: hunter2\n",
    });
    const json = p.run("explain", "site.yml", "--secret-vars", "secret.yml", "--format", "json");
    const text = p.run("explain", "site.yml", "--secret-vars", "secret.yml");
    for (const result of [json, text]) {
      expect(result.exitCode).toBe(0);
      expect(result.stdout).not.toContain("hunter2");
      expect(result.stdout).toContain("********");
    }
    const token = variable(step(JSON.parse(json.stdout), "step-0001"), "token");
    expect(token).toMatchObject({ value: "********", source: { kind: "secret_vars", at: { line: 1, col: 1 } } });
    expect(existsSync(p.path("key.txt"))).toBe(false);
  });

  test("become is handled as in a dry-run: only a dry_run: run probe goes through sudo, with the password from --sudo-pass-file where sudo asks", () => {
    const p = project({
      "site.yml": [
        "- name: Probe as app",
        "  shell: echo probed",
        "  become: true",
        "  become_user: app",
        "  dry_run: run",
        "  register: probe",
        "- name: Change as app",
        "  shell: touch made",
        "  become: true",
        "  become_user: app",
        "  when: probe.rc == 0",
        "",
      ].join("\n"),
    });
    writeFileSync(p.path("pw"), "s3cret-pass\n");
    chmodSync(p.path("pw"), 0o600);
    const result = runBinary(["explain", "site.yml", "--sudo-pass-file", "pw", "--format", "json"], { cwd: p.dir, env: { PATH: fakeSudo(p.dir) } });
    expect(result.exitCode).toBe(0);
    // As root sudo never asks, so it gets no password (docs/run.md).
    const asRoot = process.getuid?.() === 0;
    expect(readFileSync(p.path("sudo.argv"), "utf8")).toBe(`${asRoot ? "-n" : "-S -p "} -u app -- bash -c echo probed\n`);
    if (asRoot) expect(existsSync(p.path("sudo.password"))).toBe(false);
    else expect(readFileSync(p.path("sudo.password"), "utf8")).toBe("s3cret-pass\n");
    expect(existsSync(p.path("made"))).toBe(false);
    const change = step(JSON.parse(result.stdout), "step-0002");
    expect(change).toMatchObject({ become: true, become_user: "app", when: { result: "true" }, check: [{ verdict: "would_change", change: { kind: "run" } }] });
    expect(result.stdout).not.toContain("s3cret-pass");
  });

  test("a preset's steps name the preset in their include chain and read its parameters", () => {
    const p = project({
      "site.yml": "- preset: { name: greet, with: { who: you } }\n",
      "presets/greet/preset.yml": "name: greet\nparameters:\n  who: { type: string }\nsteps:\n  - print: 'hi {{ parameters.who }}'\n    when: parameters.who != \"\"\n",
    });
    const greet = p.explain("site.yml").steps[0]!;
    expect(greet.origin.include_stack).toEqual([{ file: p.path("site.yml"), line: 1, col: 3, preset: "greet" }]);
    expect(variable(greet, "parameters")).toMatchObject({ members: [{ path: "parameters.who", value: "you" }], source: { kind: "preset_parameters" } });
    expect(p.run("explain", "site.yml").stdout).toContain('via preset "greet" at site.yml:1:3');
  });
});
