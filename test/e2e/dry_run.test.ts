import { describe, expect, test } from "bun:test";
import { FormatRegistry } from "@sinclair/typebox";
import { Value } from "@sinclair/typebox/value";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { RunResults } from "../../artifacts/run_files.ts";
import { eventSchema } from "../../core/events/event.ts";
import { fakePackageManagers } from "../helpers/fake_package_managers.ts";
import { runBinary } from "../helpers/run_binary.ts";
import { sandbox as site } from "../helpers/converge.ts";
import { jsonEvents } from "../helpers/json_events.ts";

/** A deploy as people write it: build with a shell, package it, unpack it, render from it, smoke-test it. */
const DEPLOY = `
- name: build
  shell: mkdir -p build && cp src/app.conf.mustache build/ && echo 3 > build/pages
  creates: build/pages
  register: built
- name: package
  shell: tar czf app.tgz -C build .
  creates: app.tgz
- unarchive: { src: app.tgz, dest: srv }
- template: { src: srv/app.conf.mustache, dest: srv/app.conf, vars: { port: 8080 } }
- copy: { src: build/pages, dest: srv/pages }
- file: { path: srv/pages, state: perms, mode: "0640" }
- name: count pages
  shell: cat srv/pages
  register: pages
- print: "{{ pages.stdout | trim }} pages written"
- name: smoke test
  assert: { expr: 'trim(pages.stdout) == "3"' }
- name: announce
  print: deployed
  when: built.changed
`;

describe("mooncake run --dry-run: previews that know what they don't know", () => {
  test("later steps that use what earlier steps create would change, naming the step; unknown values are said so; nothing is written", () => {
    const tmp = site({ "site.yml": DEPLOY, "src/app.conf.mustache": "port={{ port }}\n" });
    const before = readdirSync(tmp.dir).sort();
    const dry = runBinary(["run", "-c", "site.yml", "--dry-run", "--no-artifacts"], { cwd: tmp.dir });
    expect(dry.stderr).toBe("");
    expect(dry.exitCode).toBe(0);
    expect(readdirSync(tmp.dir).sort()).toEqual(before);
    const out = dry.stdout;
    expect(out).toMatch(/^would change +step-0003 +unarchive +\S+$/m);
    expect(out).toContain(`~ ${tmp.path("srv")}  (\`${tmp.path("app.tgz")}\` is created by step-0002)`);
    expect(out).toContain(`~ ${tmp.path("srv/app.conf")}  (\`${tmp.path("srv/app.conf.mustache")}\` is created by step-0003)`);
    expect(out).toContain(`~ ${tmp.path("srv/pages")}  (\`${tmp.path("build/pages")}\` is created by step-0001)`);
    expect(out).toContain(`(\`${tmp.path("srv/pages")}\` is created by step-0005)`);
    expect(out).toMatch(/^ok +step-0008 .*\n +\(known after run\) pages written$/m);
    expect(out).toMatch(/^unknown +step-0009 +smoke test\n +unknown until run: trim\(pages.stdout\) == "3" reads pages, known after step-0007 runs$/m);
    expect(out).toMatch(/^unknown +step-0010 +announce\n +unknown until run: when: built.changed reads built, known after step-0001 runs$/m);
    expect(out).toContain("Dry run finished: 1 ok, 7 would change, 2 skipped (2 unknown until run), 0 failed");
    expect(out).not.toContain("failed       ");

    const real = runBinary(["run", "-c", "site.yml", "--no-artifacts"], { cwd: tmp.dir });
    expect(real.exitCode).toBe(0);
    expect(real.stdout).toMatch(/^ok +step-0008 .*\n +3 pages written$/m);
    expect(readFileSync(tmp.path("srv/app.conf"), "utf8")).toBe("port=8080\n");
  });

  test("the JSON events say which results are known after the run, which steps are unknown, and count them, as their schema says", () => {
    const tmp = site({ "site.yml": DEPLOY, "src/app.conf.mustache": "port={{ port }}\n" });
    const dry = runBinary(["run", "-c", "site.yml", "--dry-run", "--artifacts-dir", "artifacts", "--log-format", "json"], { cwd: tmp.dir });
    expect(dry.exitCode).toBe(0);
    FormatRegistry.Set("date-time", (value) => !Number.isNaN(Date.parse(value)));
    for (const event of jsonEvents(dry.stdout)) expect([...Value.Errors(eventSchema(), event)].map((e) => `${event.type}${e.path}: ${e.message}`)).toEqual([]);
    const [runDir] = readdirSync(tmp.path("artifacts/runs"), { withFileTypes: true }).filter((e) => e.isDirectory());
    const results = JSON.parse(readFileSync(join(tmp.path("artifacts/runs"), runDir!.name, "results.json"), "utf8"));
    expect(Value.Check(RunResults, results)).toBe(true);
    expect(results.steps[8]).toMatchObject({ status: "skipped", skip_reason: "unknown until run: trim(pages.stdout) == \"3\" reads pages, known after step-0007 runs" });
    const finished = new Map(jsonEvents(dry.stdout).filter((e) => e.type === "step.finished").map((e) => [e.step_id, e.data]));
    expect(finished.get("step-0007")).toMatchObject({ status: "changed", known_after_run: true });
    expect(finished.get("step-0008")!.known_after_run).toBeUndefined();
    expect(finished.get("step-0008")!.change.message).toBe("(known after run) pages written");
    expect(finished.get("step-0009")).toMatchObject({ status: "skipped", known_after_run: true, skipped: { reason: "unknown" } });
    expect(finished.get("step-0009")!.error).toBeUndefined();
    expect(finished.get("step-0004")!.change).toMatchObject({ kind: "update", paths: [tmp.path("srv/app.conf")] });
    const runFinished = jsonEvents(dry.stdout).at(-1)!;
    expect(runFinished.data.counts).toEqual({ ok: 1, changed: 7, skipped: 2, failed: 0, ignored: 0, unknown: 2 });
  });

  test("a dry_run: run probe runs in the preview and its result is known; dry_run is a variable; other commands do not run", () => {
    const tmp = site({
      "site.yml": `
- name: probe
  command: { argv: [cat, version.txt] }
  dry_run: run
  register: version
- print: "upgrading from {{ version.stdout | trim }} (dry run: {{ dry_run }})"
- shell: echo ran > marker
  when: not dry_run
- shell: echo ran > other
`,
      "version.txt": "1.4.2\n",
    });
    const dry = runBinary(["run", "-c", "site.yml", "--dry-run", "--no-artifacts"], { cwd: tmp.dir });
    expect(dry.exitCode).toBe(0);
    expect(dry.stdout).toMatch(/^changed +step-0001 +probe/m);
    expect(dry.stdout).toContain("upgrading from 1.4.2 (dry run: true)");
    expect(dry.stdout).toMatch(/^skipped +step-0003 .*\n +when: not dry_run is false$/m);
    expect(existsSync(tmp.path("marker")) || existsSync(tmp.path("other"))).toBe(false);

    const real = runBinary(["run", "-c", "site.yml", "--no-artifacts"], { cwd: tmp.dir });
    expect(real.stdout).toContain("upgrading from 1.4.2 (dry run: false)");
    expect(existsSync(tmp.path("marker"))).toBe(true);

    expect(runBinary(["plan", "-c", "site.yml"], { cwd: tmp.dir }).stdout).toMatch(/^ +step-0001 +command +probe +\[runs in a dry-run too\]$/m);
    const plan = runBinary(["plan", "-c", "site.yml", "--format", "json"], { cwd: tmp.dir });
    expect(plan.exitCode).toBe(0);
    const steps = JSON.parse(plan.stdout).steps;
    expect(steps[0].dry_run).toBe("run");
    expect(steps[2].when).toBe("not dry_run");
  });

  test("a package file an earlier step fetches would be installed; the preview sends the manager nothing that changes", () => {
    const tmp = site({
      "site.yml": `
- shell: |
    printf 'Package: tool\\nVersion: 3.1\\n' > tool.deb
  creates: tool.deb
- package: { deb: tool.deb }
`,
    });
    const fakes = fakePackageManagers(tmp.dir, {});
    const env = { PATH: `${tmp.dir}:${process.env.PATH}` };
    const dry = runBinary(["run", "-c", "site.yml", "--dry-run", "--no-artifacts"], { cwd: tmp.dir, env });
    expect(dry.exitCode).toBe(0);
    expect(dry.stdout).toContain(`(\`${tmp.path("tool.deb")}\` is created by step-0001)`);
    expect(fakes.calls()).toEqual([]);
    expect(runBinary(["run", "-c", "site.yml", "--no-artifacts"], { cwd: tmp.dir, env }).exitCode).toBe(0);
    expect(fakes.installed()).toEqual({ tool: "3.1" });
  });

  test("dry_run takes only `run`, and validate says where", () => {
    const tmp = site({ "site.yml": "- shell: echo hi\n  dry_run: yes\n" });
    const result = runBinary(["validate", "-c", "site.yml"], { cwd: tmp.dir });
    expect(result.exitCode).toBe(2);
    expect(result.stdout + result.stderr).toContain("site.yml:2:12");
  });
});

describe("mooncake run --dry-run --detailed-exitcode", () => {
  test("0 when nothing would change, 4 when something would, 3 when a step fails, 2 for bad input", () => {
    const tmp = site({
      "same.yml": "- file: { path: here.txt, content: x }\n- print: nothing to do\n",
      "here.txt": "x",
      "changes.yml": "- file: { path: new.txt, content: x }\n",
      "fails.yml": "- copy: { src: missing.txt, dest: out.txt }\n",
      "invalid.yml": "- shell: echo {{ nope }}\n",
    });
    const run = (config: string, ...extra: string[]) =>
      runBinary(["run", "-c", config, "--dry-run", "--detailed-exitcode", "--no-artifacts", ...extra], { cwd: tmp.dir }).exitCode;
    expect(run("same.yml")).toBe(0);
    expect(run("changes.yml")).toBe(4);
    expect(existsSync(tmp.path("new.txt"))).toBe(false);
    expect(run("fails.yml")).toBe(3);
    expect(run("invalid.yml")).toBe(2);
    // Without the flag a preview that finds changes succeeds as before.
    expect(runBinary(["run", "-c", "changes.yml", "--dry-run", "--no-artifacts"], { cwd: tmp.dir }).exitCode).toBe(0);
  });

  test("is refused without --dry-run", () => {
    const tmp = site({ "site.yml": "- print: hi\n" });
    const result = runBinary(["run", "-c", "site.yml", "--detailed-exitcode", "--no-artifacts"], { cwd: tmp.dir });
    expect(result.exitCode).not.toBe(0);
    expect(result.stdout + result.stderr).toContain("--detailed-exitcode goes with --dry-run");
  });
});
