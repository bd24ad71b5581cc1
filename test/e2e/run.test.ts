import { describe, expect, test } from "bun:test";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { fakeSudo } from "../helpers/fake_sudo.ts";
import { BINARY, runBinary } from "../helpers/run_binary.ts";
import { sandbox as site } from "../helpers/converge.ts";
import { jsonEvents } from "../helpers/json_events.ts";

describe("mooncake run: exit codes and output", () => {
  test("a good run exits 0 and prints each step and a summary as plain lines when not on a terminal", () => {
    const tmp = site({ "site.yml": "- name: greet\n  shell: echo hi\n- print: done\n" });
    const result = runBinary(["run", "-c", "site.yml"], { cwd: tmp.dir });
    expect(result.exitCode).toBe(0);
    expect(result.stdout).not.toContain("\x1b[");
    expect(result.stdout).toMatch(/^changed +step-0001 +greet/m);
    expect(result.stdout).toMatch(/^ok +step-0002 +print: done +\S+\n +done$/m);
    expect(result.stdout).toContain("Run finished: 1 ok, 1 changed, 0 skipped, 0 failed");
  });

  test("a failed step exits 3 and the summary names it with its origin and error", () => {
    const tmp = site({ "site.yml": "- shell: echo bad >&2; exit 5\n" });
    const result = runBinary(["run", "-c", "site.yml"], { cwd: tmp.dir });
    expect(result.exitCode).toBe(3);
    expect(result.stdout).toContain("✗ step-0001 shell: echo bad >&2; exit 5 (site.yml:1:3): Command exited with code 5: bad");
  });

  test("an invalid config exits 2 with its diagnostics on stderr; so does a usage mistake", () => {
    const tmp = site({ "site.yml": "- shell: echo {{ nope }}\n" });
    const invalid = runBinary(["run", "-c", "site.yml"], { cwd: tmp.dir });
    expect(invalid.exitCode).toBe(2);
    expect(invalid.stderr).toContain('site.yml:1:10: error: Undefined variable "nope"');
    const usage = runBinary(["run"], { cwd: tmp.dir });
    expect(usage.exitCode).not.toBe(0);
    expect(usage.exitCode).toBe(2);
    expect(usage.stderr).toContain("Give either a config");
    expect(usage.stdout + usage.stderr).not.toContain("    at ");
  });

  test("--log-format json writes only JSON event lines, in order, with the envelope", () => {
    const tmp = site({ "site.yml": "- shell: echo one; echo two\n" });
    const result = runBinary(["run", "-c", "site.yml", "--log-format", "json", "--log-level", "debug"], { cwd: tmp.dir });
    expect(result.exitCode).toBe(0);
    const events = jsonEvents(result.stdout);
    expect(events.map((e) => e.type)).toEqual(["run.started", "plan.built", "step.started", "step.stdout", "step.finished", "run.finished"]);
    expect(events.map((e: any) => e.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    for (const e of events as any[]) {
      expect(e.schema_version).toBe(1);
      expect(e.run_id).toMatch(/^\d{8}-\d{6}-[0-9a-f]{6}$/);
    }
    expect(events[3]!.data).toEqual({ lines: ["one", "two"], first_line: 1 });
  });

  test("--log-level error keeps only failures and the run's start and end in text (JSON has every event)", () => {
    const tmp = site({ "site.yml": "- shell: echo fine\n- shell: exit 1\n  ignore_errors: true\n" });
    const result = runBinary(["run", "-c", "site.yml", "--no-artifacts", "--log-level", "error"], { cwd: tmp.dir });
    expect(result.stdout.split("\n").filter(Boolean).map((l) => l.split(" ")[0])).toEqual(["Running", "Run"]);
    expect(result.stdout).toContain("Run finished: 0 ok, 1 changed, 0 skipped, 1 failed (1 ignored)");
  });

  test("--max-output-lines keeps the head and tail of a step's output and states the cut", () => {
    const tmp = site({ "site.yml": "- shell: seq 1 100\n  register: out\n" });
    const result = runBinary(["run", "-c", "site.yml", "--log-format", "json", "--max-output-lines", "4"], { cwd: tmp.dir });
    const finished = jsonEvents(result.stdout).find((e) => e.type === "step.finished")!;
    expect(finished.data.result.stdout).toBe("1\n2\n[... 281 bytes, 96 lines dropped ...]\n99\n100\n");
    expect(finished.data.stdout_capture).toMatchObject({ truncated: true, original_lines: 100, dropped_lines: 96 });
  });

  test("SIGINT stops the running step's processes, reports the run interrupted and exits 130", async () => {
    const tmp = site({ "site.yml": "- shell: sleep 30\n- shell: touch after\n" });
    const child = Bun.spawn([BINARY, "run", "-c", "site.yml", "--log-format", "json"], { cwd: tmp.dir, stdout: "pipe" });
    const reader = child.stdout.getReader();
    let seen = "";
    while (!seen.includes('"run.started"')) seen += new TextDecoder().decode((await reader.read()).value);
    await Bun.sleep(300);
    child.kill("SIGINT");
    const exitCode = await child.exited;
    while (true) {
      const chunk = await reader.read();
      if (chunk.done) break;
      seen += new TextDecoder().decode(chunk.value);
    }
    expect(exitCode).toBe(130);
    const last = jsonEvents(seen).at(-1)!;
    expect(last.type).toBe("run.finished");
    expect(last.data.status).toBe("interrupted");
    expect(existsSync(`${tmp.dir}/after`)).toBe(false);
  });
});

describe("mooncake run: idempotency and dry-run", () => {
  test("a second run of an idempotent config reports 0 changed; a dry-run changes nothing", () => {
    const tmp = site({
      "site.yml": `
- shell: echo built > artifact.txt
  creates: artifact.txt
- command: { argv: [mkdir, out] }
  unless: test -d out
`,
    });
    const dry = runBinary(["run", "-c", "site.yml", "--dry-run"], { cwd: tmp.dir });
    expect(dry.exitCode).toBe(0);
    expect(readdirSync(tmp.dir).sort()).toEqual([".mooncake", "site.yml"]); // its own artifacts, nothing else
    expect(dry.stdout).toContain("> bash -c 'echo built > artifact.txt'");
    expect(dry.stdout).toContain("Dry run finished: 0 ok, 2 would change");
    const first = runBinary(["run", "-c", "site.yml"], { cwd: tmp.dir });
    expect(first.stdout).toContain("0 ok, 2 changed");
    const second = runBinary(["run", "-c", "site.yml", "--log-format", "json"], { cwd: tmp.dir });
    const summary = jsonEvents(second.stdout).at(-1)!;
    expect(summary.data.counts).toEqual({ ok: 2, changed: 0, skipped: 0, failed: 0, ignored: 0 });
  });

  test("a dry-run and a run show the same step ids", () => {
    const tmp = site({ "site.yml": "- print: '{{ item }}'\n  with_items: [a, b]\n- shell: 'true'\n  when: os == 'linux'\n" });
    const ids = (args: string[]) => jsonEvents(runBinary(["run", "-c", "site.yml", "--log-format", "json", ...args], { cwd: tmp.dir }).stdout)
      .filter((e) => e.type === "step.finished").map((e) => e.step_id);
    expect(ids(["--dry-run"])).toEqual(["step-0001[0]", "step-0001[1]", "step-0002"]);
    expect(ids([])).toEqual(ids(["--dry-run"]));
  });
});

describe("mooncake run: list-valued arguments", () => {
  test("an argument that is exactly one tag giving a list takes the list, at plan time and from a registered result", () => {
    const tmp = site({
      "site.yml": [
        "vars:",
        "  greeting: [printf, '%s+', a, b]",
        "steps:",
        "  - command: { argv: '{{ greeting }}' }",
        "    register: first",
        "  - command: { argv: '{{ [\"printf\", \"<%s>\"] + first.stdout_lines }}' }",
        "",
      ].join("\n"),
    });
    const result = runBinary(["run", "-c", "site.yml", "--log-format", "json", "--no-artifacts"], { cwd: tmp.dir });
    expect(result.exitCode).toBe(0);
    const output = jsonEvents(result.stdout).filter((e) => e.type === "step.stdout").map((e) => JSON.stringify(e.data));
    expect(output.join("\n")).toContain("a+b+");
    expect(output.join("\n")).toContain("<a+b+>");
  });
});

describe("mooncake run --from-plan", () => {
  test("runs a saved plan; refuses it once a source file changed, and refuses an unknown schema_version", () => {
    const tmp = site({ "site.yml": "- shell: echo ran >> log\n" });
    expect(runBinary(["plan", "-c", "site.yml", "-o", "plan.json"], { cwd: tmp.dir }).exitCode).toBe(0);
    const ran = runBinary(["run", "--from-plan", "plan.json"], { cwd: tmp.dir });
    expect(ran.exitCode).toBe(0);
    expect(readFileSync(tmp.path("log"), "utf8")).toBe("ran\n");

    writeFileSync(tmp.path("site.yml"), "- shell: echo other >> log\n");
    const stale = runBinary(["run", "--from-plan", "plan.json"], { cwd: tmp.dir });
    expect(stale.exitCode).toBe(2);
    expect(stale.stderr).toBe('error: Saved plan "plan.json" is stale: "site.yml" changed since the plan was made; make the plan again\n');

    const plan = JSON.parse(readFileSync(tmp.path("plan.json"), "utf8"));
    writeFileSync(tmp.path("future.json"), JSON.stringify({ ...plan, schema_version: 99 }));
    const future = runBinary(["run", "--from-plan", "future.json"], { cwd: tmp.dir });
    expect(future.exitCode).toBe(2);
    expect(future.stderr).toContain("has schema_version 99; this mooncake reads version 1");
    expect(readFileSync(tmp.path("log"), "utf8")).toBe("ran\n");
  });
});

describe("mooncake run: inputs it refuses", () => {
  test("a saved plan that is not JSON, or not a plan, is refused with exit 2 and runs nothing", () => {
    const tmp = site({ "broken.json": "{ not json", "wrong.json": JSON.stringify({ schema_version: 1, steps: "none" }) });
    const broken = runBinary(["run", "--from-plan", "broken.json"], { cwd: tmp.dir });
    expect(broken.exitCode).toBe(2);
    expect(broken.stderr).toStartWith('error: Plan "broken.json" is not valid JSON: ');
    const wrong = runBinary(["run", "--from-plan", "wrong.json"], { cwd: tmp.dir });
    expect(wrong.exitCode).toBe(2);
    expect(wrong.stderr).toStartWith('error: Plan "wrong.json" is not a valid plan: ');
  });

  test("a saved plan whose step names an unknown action or has arguments its action refuses runs nothing; a device is not read", () => {
    const tmp = site({ "site.yml": "- command: { argv: [touch, ran] }\n- file: { path: made, state: directory }\n" });
    expect(runBinary(["plan", "-c", "site.yml", "-o", "plan.json"], { cwd: tmp.dir }).exitCode).toBe(0);
    const plan = JSON.parse(readFileSync(tmp.path("plan.json"), "utf8"));
    const edited = (edit: (steps: any[]) => void) => {
      const copy = structuredClone(plan);
      edit(copy.steps);
      writeFileSync(tmp.path("edited.json"), JSON.stringify(copy));
      return runBinary(["run", "--from-plan", "edited.json", "--no-artifacts"], { cwd: tmp.dir });
    };
    const badArgs = edited((steps) => { steps[1].args.state = "gone"; });
    expect(badArgs.exitCode).toBe(2);
    expect(badArgs.stderr).toStartWith('error: Plan "edited.json" is not a valid plan: step-0002 (file): ');
    const unknown = edited((steps) => { steps[0].action = "nosuch"; });
    expect(unknown.exitCode).toBe(2);
    expect(unknown.stderr).toBe('error: Plan "edited.json" is not a valid plan: step-0001 names the action "nosuch", which this mooncake does not have\n');
    expect(existsSync(tmp.path("ran"))).toBe(false);
    const device = runBinary(["run", "--from-plan", "/dev/zero"], { cwd: tmp.dir });
    expect(device.exitCode).toBe(2);
    expect(device.stderr).toContain('Cannot read plan "/dev/zero": it is a character device, not a regular file');
  });

  test("a --secret-vars file that is not a mapping stops a run from a saved plan with its diagnostic", () => {
    const tmp = site({ "site.yml": "- shell: echo ran >> log\n", "secrets.yml": "- just a list\n" });
    expect(runBinary(["plan", "-c", "site.yml", "-o", "plan.json"], { cwd: tmp.dir }).exitCode).toBe(0);
    const result = runBinary(["run", "--from-plan", "plan.json", "--secret-vars", "secrets.yml"], { cwd: tmp.dir });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('Vars file "secrets.yml" must hold a mapping of variables');
    expect(existsSync(tmp.path("log"))).toBe(false);
  });

  test("a missing --sudo-pass-file, or --ask-become-pass without a terminal, is refused before anything runs", () => {
    const tmp = site({ "site.yml": "- shell: touch ran\n  become: true\n" });
    const missing = runBinary(["run", "-c", "site.yml", "--sudo-pass-file", "nowhere"], { cwd: tmp.dir });
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toBe('error: Cannot read sudo password file "nowhere": it does not exist\n');
    const asked = runBinary(["run", "-c", "site.yml", "--ask-become-pass"], { cwd: tmp.dir });
    expect(asked.exitCode).toBe(2);
    expect(asked.stderr).toContain("--ask-become-pass needs a terminal");
    expect(existsSync(tmp.path("ran"))).toBe(false);
  });
});

describe("mooncake run: become and secrets", () => {
  const SECRET = "SENTINEL-var-7c1d";
  const PASSWORD = "SENTINEL-pw-4b2e";

  test("become runs through sudo, -u for become_user, env kept by name; the password goes on stdin only when sudo can ask for it", () => {
    const tmp = site({
      "bin/.keep": "",
      "site.yml": `
- shell: { cmd: cat > fed.txt, stdin: from the step }
  become: true
  become_user: app
  env: { MODE: prod }
- command: { argv: [sh, -c, 'echo "$MODE" > mode.txt'] }
  become: true
  become_user: app
  env: { MODE: prod }
`,
    });
    const path = fakeSudo(tmp.dir);
    const result = runBinary(["run", "-c", "site.yml", "--sudo-pass", PASSWORD, "--insecure-sudo-pass"], { cwd: tmp.dir, env: { PATH: path } });
    expect(result.exitCode).toBe(0);
    // As root sudo never asks, so a password fed anyway would be the first line cat reads.
    const asRoot = process.getuid?.() === 0;
    const mode = asRoot ? "-n" : "-S -p ";
    expect(readFileSync(tmp.path("sudo.argv"), "utf8")).toBe(
      `${mode} -u app --preserve-env=MODE -- bash -c cat > fed.txt\n` +
      `${mode} -u app --preserve-env=MODE -- sh -c echo "$MODE" > mode.txt\n`,
    );
    if (asRoot) expect(existsSync(tmp.path("sudo.password"))).toBe(false);
    else expect(readFileSync(tmp.path("sudo.password"), "utf8")).toBe(`${PASSWORD}\n`);
    expect(readFileSync(tmp.path("mode.txt"), "utf8")).toBe("prod\n");
    expect(readFileSync(tmp.path("fed.txt"), "utf8")).toBe("from the step");
  });

  test("without a password source sudo is told not to ask (-n) and its refusal is a become error; --sudo-pass alone is refused", () => {
    const tmp = site({ "bin/.keep": "", "site.yml": "- shell: 'true'\n  become: true\n  become_user: app\n" });
    const path = fakeSudo(tmp.dir);
    expect(runBinary(["run", "-c", "site.yml"], { cwd: tmp.dir, env: { PATH: path } }).exitCode).toBe(0);
    expect(readFileSync(tmp.path("sudo.argv"), "utf8")).toBe("-n -u app -- bash -c true\n");
    writeFileSync(tmp.path("bin/sudo"), "#!/bin/sh\necho 'sudo: a password is required' >&2\nexit 1\n");
    const denied = runBinary(["run", "-c", "site.yml"], { cwd: tmp.dir, env: { PATH: path } });
    expect(denied.exitCode).toBe(3);
    expect(denied.stdout).toContain("sudo refused: a password is required");
    const refused = runBinary(["run", "-c", "site.yml", "--sudo-pass", "x"], { cwd: tmp.dir, env: { PATH: path } });
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toContain("add --insecure-sudo-pass");
  });

  test("the sudo password and secret variables appear in no output, plan or event", () => {
    const tmp = site({
      "bin/.keep": "",
      "secrets.yml": `db_password: ${SECRET}\n`,
      "site.yml": `
- name: "use {{ db_password }}"
  shell: echo "connecting with {{ db_password }}"; echo "{{ db_password }}" >&2
  register: out
  become: true
- print: "{{ out.stdout }}"
- shell: echo "failing with {{ db_password }}" >&2; exit 1
  ignore_errors: true
- shell: 'true'
  when: db_password != ""
`,
    });
    const path = fakeSudo(tmp.dir);
    const common = ["-c", "site.yml", "--secret-vars", "secrets.yml"];
    const outputs = [
      runBinary(["run", ...common, "--sudo-pass", PASSWORD, "--insecure-sudo-pass", "--log-format", "json", "--log-level", "debug"], { cwd: tmp.dir, env: { PATH: path } }),
      runBinary(["run", ...common, "--sudo-pass", PASSWORD, "--insecure-sudo-pass", "--log-level", "debug"], { cwd: tmp.dir, env: { PATH: path } }),
      runBinary(["run", ...common, "--dry-run"], { cwd: tmp.dir, env: { PATH: path } }),
      runBinary(["plan", ...common, "--format", "json"], { cwd: tmp.dir }),
      runBinary(["plan", ...common, "-o", "plan.yaml"], { cwd: tmp.dir }),
    ];
    const everything = outputs.map((o) => o.stdout + o.stderr).join("\n") + readFileSync(tmp.path("plan.yaml"), "utf8");
    expect(outputs.map((o) => o.exitCode)).toEqual([0, 0, 0, 0, 0]);
    expect(everything).not.toContain(SECRET);
    expect(everything).not.toContain(PASSWORD);
    expect(outputs[0]!.stdout).toContain("connecting with ********");
    expect(outputs[1]!.stdout).toContain("failing with ********");
    const steps = jsonEvents(outputs[0]!.stdout).filter((e) => e.type === "step.finished");
    expect(steps.map((s) => s.data.status)).toEqual(["changed", "ok", "failed", "changed"]);
  });
});

describe("mooncake run: automatic gc", () => {
  test("with gc.auto in artifacts.yaml each recorded run applies the retention policy", () => {
    const tmp = site({ "site.yml": "- print: hi\n", ".mooncake/artifacts.yaml": "gc: {auto: true}\nretention: {\"*\": {keep: 2}}\n" });
    for (let i = 0; i < 3; i++) expect(runBinary(["run", "-c", "site.yml"], { cwd: tmp.dir }).exitCode).toBe(0);
    const runs = readdirSync(tmp.path(".mooncake/runs")).filter((name) => /^\d{8}-/.test(name));
    expect(runs).toHaveLength(2);
    expect(readdirSync(tmp.path(".mooncake/.trash")).filter((name) => /^\d{8}-/.test(name))).toHaveLength(1);
  });
});
