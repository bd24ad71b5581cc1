import { describe, expect, test } from "bun:test";
import { existsSync, symlinkSync, writeFileSync } from "node:fs";
import { sandbox } from "../helpers/converge.ts";
import { fakePackageManagers } from "../helpers/fake_package_managers.ts";
import { jsonEvents } from "../helpers/json_events.ts";
import { runBinary } from "../helpers/run_binary.ts";
import { inThrowawayRoot, throwawayRootUnavailable } from "../helpers/throwaway_root.ts";

const POLICY = [
  "safety:",
  "  commands:",
  '    deny: ["curl * | sh"]',
  '    allow: ["echo *", "touch *"]',
  "  workspace: [work]",
  "",
].join("\n");

function site(config: string, files: Record<string, string> = {}) {
  const tmp = sandbox({ "site.yml": config, "policy.yml": POLICY, ...files });
  const mc = (args: string[], env: Record<string, string> = {}) => runBinary(args, { cwd: tmp.dir, env });
  return { ...tmp, mc };
}

describe("--policy and MOONCAKE_POLICY", () => {
  test("validate, plan and run refuse a step the policy file forbids: exit 2, located at the step, naming the rule and the file; nothing runs", () => {
    const s = site("- shell: touch ran.txt\n- shell: curl -fsSL https://x.example/i.sh | sh\n");
    const expected = 'site.yml:2:3: error: step-0002: Refusing to run "curl -fsSL https://x.example/i.sh | sh": it matches "curl * | sh" in commands.deny of the --policy file policy.yml:3:12';
    const validate = s.mc(["validate", "site.yml", "--policy", "policy.yml"]);
    expect(validate.exitCode).toBe(2);
    expect(validate.stdout).toContain(expected);
    for (const args of [["plan", "site.yml", "--policy", "policy.yml"], ["run", "site.yml", "--policy", "policy.yml", "--no-artifacts"], ["run", "site.yml", "--dry-run", "--no-artifacts"]]) {
      const result = s.mc(args, args.includes("--policy") ? {} : { MOONCAKE_POLICY: "policy.yml" });
      expect(result.exitCode).toBe(2);
      expect(result.stderr).toContain(expected);
      expect(result.stderr).toContain('step-0002: Refusing to run "curl -fsSL https://x.example/i.sh | sh": no pattern of commands.allow in the --policy file policy.yml:4:12 matches it');
    }
    expect(existsSync(s.path("ran.txt"))).toBe(false);
    // Without the policy the same config is valid.
    expect(s.mc(["validate", "site.yml"]).exitCode).toBe(0);
  }, 60_000);

  test("a config cannot loosen the policy file: its allow-everything and its workspace of / still meet the file's rules", () => {
    const s = site([
      "safety:",
      '  commands: {allow: ["*"]}',
      "  workspace: [/]",
      "steps:",
      "  - shell: rm -rf elsewhere",
      "  - file: {path: elsewhere.txt, content: x}",
      "  - file: {path: work/inside.txt, content: x}",
      "",
    ].join("\n"));
    const result = s.mc(["validate", "site.yml", "--policy", "policy.yml"]);
    expect(result.exitCode).toBe(2);
    expect(result.stdout.split("\n").filter((l) => l.includes("error:"))).toEqual([
      'site.yml:5:5: error: step-0001: Refusing to run "rm -rf elsewhere": no pattern of commands.allow in the --policy file policy.yml:4:12 matches it',
      `site.yml:6:5: error: step-0002: Refusing to write "${s.path("elsewhere.txt")}": it is outside the workspace of the --policy file policy.yml:5:14 (${s.path("work")})`,
    ]);
  }, 60_000);

  test("a config's safety block tightens: the plan carries it, so run --from-plan still enforces it with the machine's policy", () => {
    const s = site("safety:\n  commands: {deny: [\"touch *\"]}\nsteps:\n  - shell: echo ok\n  - shell: \"touch {{ 'x' }}.txt\"\n");
    expect(s.mc(["plan", "site.yml", "-o", "plan.json"]).exitCode).toBe(2);
    writeFileSync(s.path("site.yml"), "safety:\n  commands: {deny: [\"touch *\"]}\nsteps:\n  - shell: echo ok\n    register: r\n  - shell: \"touch {{ r.rc }}.txt\"\n");
    expect(s.mc(["plan", "site.yml", "-o", "plan.json"]).exitCode).toBe(0);
    const run = s.mc(["run", "--from-plan", "plan.json", "--policy", "policy.yml", "--log-format", "json", "--no-artifacts"]);
    expect(run.exitCode).toBe(3);
    const failed = jsonEvents(run.stdout).filter((e) => e.type === "step.finished" && e.data.status === "failed");
    expect(failed.map((e) => e.data.error)).toEqual([{ kind: "policy", message: `Refusing to run "touch 0.txt": it matches "touch *" in commands.deny of the safety block of site.yml:2:21` }]);
    expect(existsSync(s.path("0.txt"))).toBe(false);
  }, 60_000);

  test("a value known only at run time fails the step with kind policy, in a run and as a failure of a dry-run", () => {
    const s = site("- shell: echo outside.txt\n  register: out\n- file: {path: \"work/lnk/{{ out.stdout | trim }}\", content: x}\n", { "work/keep": "" });
    symlinkSync("..", s.path("work/lnk"));
    const run = s.mc(["run", "site.yml", "--policy", "policy.yml", "--log-format", "json", "--no-artifacts"]);
    expect(run.exitCode).toBe(3);
    const error = jsonEvents(run.stdout).find((e) => e.type === "step.finished" && e.step_id === "step-0002")!.data.error;
    expect(error).toEqual({ kind: "policy", message: `Refusing to write "${s.path("work/lnk/outside.txt")}": its real path "${s.path("outside.txt")}" is outside the workspace of the --policy file policy.yml:5:14 (${s.path("work")})` });
    expect(existsSync(s.path("outside.txt"))).toBe(false);
    writeFileSync(s.path("site.yml"), "- file: {path: \"{{ where }}\", content: x}\n");
    const dry = s.mc(["run", "site.yml", "--policy", "policy.yml", "--var", "where=/tmp/x", "--dry-run", "--raw", "--no-artifacts"]);
    expect(dry.exitCode).toBe(2);
    expect(dry.stderr).toContain('step-0001: Refusing to write "/tmp/x": it is outside the workspace');
  }, 60_000);

  test("a bad policy file is a located error and exit 2", () => {
    const s = site("- shell: echo hi\n", { "bad.yml": "safety:\n  workspace: /srv\n  confirm: [kernel]\n" });
    const result = s.mc(["run", "site.yml", "--policy", "bad.yml", "--dry-run", "--no-artifacts"]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain("bad.yml:2:14: error: safety.workspace: Expected a list");
    const missing = s.mc(["validate", "site.yml"], { MOONCAKE_POLICY: "nope.yml" });
    expect(missing.exitCode).toBe(2);
    expect(missing.stdout).toContain('nope.yml:1:1: error: Cannot read "nope.yml": no such file');
  }, 60_000);

  test("confirm: packages in the policy makes every package step need --i-accept-danger", () => {
    const tmp = sandbox({ "site.yml": "- package: { name: jq }\n", "policy.yml": "safety:\n  confirm: [packages]\n" });
    const fakes = fakePackageManagers(tmp.dir, { installed: {}, available: { jq: "1.6" } });
    const env = { PATH: `${tmp.dir}:${process.env.PATH}` };
    const validate = runBinary(["validate", "site.yml", "--policy", "policy.yml"], { cwd: tmp.dir, env });
    expect(validate.exitCode).toBe(0);
    expect(validate.stdout).toContain('site.yml:1:3: warning: step-0001 would install package "jq": it changes the installed packages (danger category "packages", confirmed by the --policy file policy.yml:2:13: a run needs --i-accept-danger)');
    const refused = runBinary(["run", "site.yml", "--policy", "policy.yml", "--raw", "--no-artifacts"], { cwd: tmp.dir, env });
    expect(refused.exitCode).toBe(3);
    expect(fakes.calls()).toEqual([]);
    const accepted = runBinary(["run", "site.yml", "--policy", "policy.yml", "--raw", "--no-artifacts", "--i-accept-danger"], { cwd: tmp.dir, env });
    expect(accepted.exitCode).toBe(0);
    expect(fakes.installed()).toEqual({ jq: "1.6" });
  }, 60_000);
});

describe("built-in danger categories (dry-run only: nothing is written)", () => {
  const refusedInDryRun = (config: string, expected: string, env: Record<string, string> = {}) => {
    const tmp = sandbox({ "site.yml": config, "home/.profile": "p", "a.tgz": "" });
    const e = { HOME: tmp.path("home"), ...env };
    const validate = runBinary(["validate", "site.yml"], { cwd: tmp.dir, env: e });
    expect(validate.exitCode).toBe(0);
    expect(validate.stdout).toContain("warning: step-0001 would ");
    const dry = runBinary(["run", "site.yml", "--dry-run", "--raw", "--no-artifacts"], { cwd: tmp.dir, env: e });
    expect(dry.exitCode).toBe(3);
    expect(dry.stdout.replaceAll(tmp.dir, "TMP")).toContain(expected);
    return tmp;
  };

  test("boot: writing /etc/fstab or /boot, editing /etc/default/grub", () => {
    refusedInDryRun("- file: {path: /etc/fstab, content: x}\n", 'Refusing to write "/etc/fstab": it is boot configuration (danger category "boot": run with --i-accept-danger to allow it)');
    refusedInDryRun("- copy: {src: site.yml, dest: /boot/grub/custom.cfg}\n", 'Refusing to write "/boot/grub/custom.cfg": it is in boot configuration "/boot"');
    refusedInDryRun("- file_replace: {path: /etc/default/grub, pattern: quiet, replace: verbose}\n", 'Refusing to write "/etc/default/grub": it is boot configuration');
  }, 60_000);

  test("users: /etc/sudoers.d and /etc/shadow", () => {
    refusedInDryRun("- file: {path: /etc/sudoers.d/app, content: \"app ALL=(ALL) NOPASSWD: ALL\"}\n", 'Refusing to write "/etc/sudoers.d/app": it is user and sudo configuration (danger category "users"');
    refusedInDryRun("- file: {path: /etc/shadow, state: absent}\n", 'Refusing to remove "/etc/shadow"');
  }, 60_000);

  test("protected_paths: sync with delete and an archive extracted over the home directory", () => {
    refusedInDryRun("- sync: {src: ., dest: \"~\", delete: true}\n", 'Refusing to sync with delete into "TMP/home": it is the home directory (danger category "protected_paths"');
    refusedInDryRun("- unarchive: {src: a.tgz, dest: \"~\"}\n", 'Refusing to extract into "TMP/home": it is the home directory (danger category "protected_paths"');
  }, 60_000);

  test("drivers: removing an NVIDIA driver package; --i-accept-danger lets the run send it", () => {
    const tmp = sandbox({ "site.yml": "- package: { name: nvidia-driver-535, state: absent }\n" });
    const fakes = fakePackageManagers(tmp.dir, { installed: { "nvidia-driver-535": "535.1" }, available: {} });
    const env = { PATH: `${tmp.dir}:${process.env.PATH}` };
    const refused = runBinary(["run", "site.yml", "--raw", "--no-artifacts"], { cwd: tmp.dir, env });
    expect(refused.exitCode).toBe(3);
    expect(refused.stdout).toContain('Refusing to remove package "nvidia-driver-535": it is a kernel or GPU driver package (danger category "drivers": run with --i-accept-danger to allow it)');
    expect(fakes.calls()).toEqual([]);
    const accepted = runBinary(["run", "site.yml", "--raw", "--no-artifacts", "--i-accept-danger"], { cwd: tmp.dir, env });
    expect(accepted.exitCode).toBe(0);
    expect(fakes.installed()).toEqual({});
  }, 60_000);
});

describe.skipIf(throwawayRootUnavailable !== undefined)("danger categories for real, in a throwaway root", () => {
  test("/etc/fstab and /etc/sudoers.d are written only with --i-accept-danger; a workspace policy holds even then", () => {
    const files = {
      "etc/fstab": "original\n",
      "work/site.yml": "- file: {path: /etc/fstab, content: \"changed\\n\"}\n- file: {path: /etc/sudoers.d/app, content: \"app ALL=(ALL) ALL\\n\"}\n",
      "work/policy.yml": "safety:\n  workspace: [/etc/sudoers.d]\n",
    };
    const script = [
      "cd /work",
      "/opt/mc/mooncake run site.yml --raw --no-artifacts > /tmp/1 2>&1; echo \"plain exit $?\"; cat /etc/fstab",
      "/opt/mc/mooncake run site.yml --raw --no-artifacts --i-accept-danger --policy policy.yml > /tmp/2 2>&1; echo \"policy exit $?\"; cat /etc/fstab; grep -o 'outside the workspace' /tmp/2",
      "/opt/mc/mooncake run site.yml --raw --no-artifacts --i-accept-danger > /tmp/3 2>&1; echo \"accepted exit $?\"; cat /etc/fstab /etc/sudoers.d/app",
    ].join("\n");
    const result = inThrowawayRoot({ files }, script);
    expect(result.stderr).toBe("");
    expect(result.stdout.trim().split("\n")).toEqual([
      "plain exit 3", "original",
      "policy exit 2", "original", "outside the workspace",
      "accepted exit 0", "changed", "app ALL=(ALL) ALL",
    ]);
  }, 60_000);
});
if (throwawayRootUnavailable) test.skip(`danger categories for real: ${throwawayRootUnavailable}`, () => {});
