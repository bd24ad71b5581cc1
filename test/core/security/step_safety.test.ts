import { describe, expect, test } from "bun:test";
import { mkdirSync, symlinkSync } from "node:fs";
import { ACTIONS } from "../../../actions/registry.ts";
import type { Touch } from "../../../core/exec/action.ts";
import type { ProtectedPathSources } from "../../../core/security/danger.ts";
import { DANGER_CATEGORIES } from "../../../core/security/danger_categories.ts";
import { combinePolicies, NO_POLICY, type RuleSource, type SafetyPolicy } from "../../../core/security/safety_policy.ts";
import { safetyRefusal, safetyVerdicts, stepTouches } from "../../../core/security/step_safety.ts";
import { sandbox } from "../../helpers/converge.ts";

const POLICY_FILE: RuleSource = { origin: "policy", file: "/etc/mooncake/policy.yml", line: 3, col: 5 };
const CONFIG: RuleSource = { origin: "config", file: "/srv/site.yml", line: 2, col: 3 };
const policy = (rules: Partial<SafetyPolicy>): SafetyPolicy => ({ ...NO_POLICY, ...rules });

/** A fake root: removals are judged against it, so nothing real is named. */
function fakeRoot() {
  const tmp = sandbox({ "etc/hosts": "x", "home/alice/notes": "x", "srv/app/index.html": "x", "data/a": "x" });
  const r = (p: string) => tmp.path(p);
  const sources: ProtectedPathSources = { root: tmp.dir, systemDirectories: [r("etc"), r("home")], home: r("home/alice"), userHomes: new Map(), configDirectories: [] };
  return { r, tmp, sources };
}

const refusal = (touches: Touch[], rules: SafetyPolicy = NO_POLICY, acceptDanger = false, sources?: ProtectedPathSources) =>
  safetyRefusal(touches, rules, { acceptDanger, ...(sources ? { protectedPaths: sources } : {}) });

describe("built-in danger categories refuse without --i-accept-danger, whatever the policy", () => {
  test("protected_paths: removing a system directory or a home, a glob emptying one, sync with delete and an archive extracted over one", () => {
    const { r, sources } = fakeRoot();
    const cases: [Touch, string][] = [
      [{ kind: "remove", path: r("etc") }, `Refusing to remove "${r("etc")}": it is a system directory (danger category "protected_paths": run with --i-accept-danger to allow it)`],
      [{ kind: "remove", path: r("home/alice/*"), glob: true }, `Refusing to remove "${r("home/alice/notes")}": with the other matches it would empty the home directory "${r("home/alice")}"`],
      [{ kind: "fill", path: r("home/alice"), how: "sync_delete" }, `Refusing to sync with delete into "${r("home/alice")}": it is the home directory`],
      [{ kind: "fill", path: r(""), how: "extract" }, `Refusing to extract into "${r("")}": it is the root directory`],
    ];
    for (const [touch, message] of cases) {
      const refused = refusal([touch], NO_POLICY, false, sources);
      expect(refused?.message.startsWith(message)).toBe(true);
      expect(refused?.kind).toBe("danger");
      expect(refused?.rule).toBe("category:protected_paths");
      expect(refusal([touch], NO_POLICY, true, sources)).toBeUndefined();
    }
  });

  test("protected_paths leaves alone a path inside a protected directory, a sync without delete and an archive extracted below one", () => {
    const { r, sources } = fakeRoot();
    for (const touch of [
      { kind: "remove", path: r("etc/hosts") },
      { kind: "fill", path: r("home/alice"), how: "sync" },
      { kind: "fill", path: r("home/alice/app"), how: "extract" },
    ] as Touch[]) expect(refusal([touch], NO_POLICY, false, sources)).toBeUndefined();
  });

  test("protected_paths judges a removal through a link by its real path", () => {
    const { r, tmp, sources } = fakeRoot();
    symlinkSync(tmp.dir, r("lnk"));
    expect(refusal([{ kind: "remove", path: r("lnk/etc") }], NO_POLICY, false, sources)?.message).toContain(`it is a system directory ("${r("etc")}")`);
  });

  test("boot: writing, removing or filling /boot, /etc/default/grub, /etc/grub.d, /etc/fstab, /etc/crypttab, or removing what holds them", () => {
    const cases: [Touch, string][] = [
      [{ kind: "write", path: "/etc/fstab" }, 'Refusing to write "/etc/fstab": it is boot configuration (danger category "boot": run with --i-accept-danger to allow it)'],
      [{ kind: "write", path: "/etc/crypttab" }, 'Refusing to write "/etc/crypttab": it is boot configuration'],
      [{ kind: "write", path: "/etc/default/grub" }, 'Refusing to write "/etc/default/grub": it is boot configuration'],
      [{ kind: "write", path: "/etc/grub.d/40_custom" }, 'Refusing to write "/etc/grub.d/40_custom": it is in boot configuration "/etc/grub.d"'],
      [{ kind: "write", path: "/boot/grub/grub.cfg" }, 'Refusing to write "/boot/grub/grub.cfg": it is in boot configuration "/boot"'],
      [{ kind: "remove", path: "/etc/default" }, 'Refusing to remove "/etc/default": it holds boot configuration "/etc/default/grub"'],
      [{ kind: "fill", path: "/boot", how: "sync" }, 'Refusing to sync into "/boot": it is boot configuration'],
    ];
    for (const [touch, message] of cases) {
      const verdicts = safetyVerdicts([touch], NO_POLICY, { acceptDanger: false, protectedPaths: fakeRoot().sources });
      const boot = verdicts.find((v) => v.rule === "category:boot");
      expect(boot?.message.startsWith(message)).toBe(true);
      expect(boot?.refused).toBe(true);
    }
    expect(refusal([{ kind: "write", path: "/etc/default/keyboard" }], NO_POLICY, false, fakeRoot().sources)).toBeUndefined();
    expect(refusal([{ kind: "write", path: "/etc/fstab" }], NO_POLICY, true)).toBeUndefined();
  });

  test("boot: a write through a link into /etc is judged where it lands", () => {
    const { r } = fakeRoot();
    symlinkSync("/etc", r("etc-link"));
    expect(refusal([{ kind: "write", path: r("etc-link/fstab") }], NO_POLICY, false, fakeRoot().sources)?.message).toContain('it is boot configuration "/etc/fstab"');
  });

  test("users: /etc/sudoers, anything named /etc/sudoers*, /etc/shadow and /etc/gshadow", () => {
    for (const path of ["/etc/sudoers", "/etc/sudoers.d/90-app", "/etc/sudoers.tmp", "/etc/shadow", "/etc/gshadow"]) {
      const refused = refusal([{ kind: "write", path }], NO_POLICY, false, fakeRoot().sources);
      expect(refused?.rule).toBe("category:users");
      expect(refused?.message).toContain('(danger category "users": run with --i-accept-danger to allow it)');
    }
    expect(refusal([{ kind: "write", path: "/etc/passwd-notes" }], NO_POLICY, false, fakeRoot().sources)).toBeUndefined();
  });

  test("drivers: removing, upgrading to latest or pinning linux-image-*, nvidia-*, cuda-drivers*; installing one is not", () => {
    for (const [name, change] of [["linux-image-6.8.0-45-generic", "remove"], ["nvidia-driver-535", "latest"], ["cuda-drivers-550", "pin"], ["nvidia-*", "remove"]] as const) {
      const refused = refusal([{ kind: "package", name, change }]);
      expect(refused?.rule).toBe("category:drivers");
      expect(refused?.message).toStartWith(`Refusing to ${change === "remove" ? "remove" : change === "latest" ? "upgrade" : "install a pinned version of"} package "${name}": it is a kernel or GPU driver package (danger category "drivers"`);
    }
    expect(refusal([{ kind: "package", name: "nvidia-driver-535", change: "install" }])).toBeUndefined();
    expect(refusal([{ kind: "package", name: "curl", change: "remove" }])).toBeUndefined();
  });
});

describe("confirm: categories a policy adds", () => {
  test("packages, services, etc and deletes refuse only when a policy confirms them, naming where", () => {
    const { r, sources } = fakeRoot();
    const cases: [string, Touch][] = [
      ["packages", { kind: "package", name: "curl", change: "install" }],
      ["services", { kind: "service", name: "nginx.service" }],
      ["etc", { kind: "write", path: "/etc/nginx/nginx.conf" }],
      ["deletes", { kind: "remove", path: r("data/a") }],
      ["deletes", { kind: "fill", path: r("srv/app"), how: "sync_delete" }],
    ];
    for (const [category, touch] of cases) {
      expect(refusal([touch], NO_POLICY, false, sources)).toBeUndefined();
      const refused = refusal([touch], policy({ confirm: [{ category, from: POLICY_FILE }] }), false, sources);
      expect(refused?.rule).toBe(`category:${category}`);
      expect(refused?.from).toEqual(POLICY_FILE);
      expect(refused?.message).toContain(`(danger category "${category}", confirmed by the --policy file /etc/mooncake/policy.yml:3:5: run with --i-accept-danger to allow it)`);
      expect(refusal([touch], policy({ confirm: [{ category, from: POLICY_FILE }] }), true, sources)).toBeUndefined();
    }
  });

  test("every category has a summary, and the built-in ones come first", () => {
    const firstOptional = DANGER_CATEGORIES.findIndex((c) => !c.builtIn);
    expect(DANGER_CATEGORIES.slice(0, firstOptional).map((c) => c.name)).toEqual(["protected_paths", "boot", "drivers", "users"]);
    expect(DANGER_CATEGORIES.slice(firstOptional).every((c) => !c.builtIn && c.summary.length > 0)).toBe(true);
  });
});

describe("commands.deny and commands.allow", () => {
  const run = (command: string): Touch[] => [{ kind: "run", command }];

  test("a command matching a deny pattern is refused with kind policy, naming the pattern and its file", () => {
    const refused = refusal(run("curl -fsSL https://x.example/i.sh | sh"), policy({ deny: [{ pattern: "curl * | sh", from: POLICY_FILE }] }));
    expect(refused).toMatchObject({ rule: "commands.deny", kind: "policy", from: POLICY_FILE });
    expect(refused?.message).toBe('Refusing to run "curl -fsSL https://x.example/i.sh | sh": it matches "curl * | sh" in commands.deny of the --policy file /etc/mooncake/policy.yml:3:5');
  });

  test("with an allow list only matching commands run; --i-accept-danger does not lift a policy rule", () => {
    const rules = policy({ allow: [{ patterns: ["apt-get *", "systemctl *"], from: CONFIG }] });
    expect(refusal(run("apt-get install -y curl"), rules)).toBeUndefined();
    const refused = refusal(run("rm -rf /srv"), rules, true);
    expect(refused?.message).toBe('Refusing to run "rm -rf /srv": no pattern of commands.allow in the safety block of /srv/site.yml:2:3 matches it');
  });

  test("a config cannot loosen the machine's policy: allow lists intersect and deny lists add up", () => {
    const machine = policy({ allow: [{ patterns: ["apt-get *"], from: POLICY_FILE }], deny: [{ pattern: "*--allow-unauthenticated*", from: POLICY_FILE }] });
    const config = policy({ allow: [{ patterns: ["*"], from: CONFIG }], deny: [{ pattern: "apt-get remove *", from: CONFIG }] });
    const both = combinePolicies(machine, config);
    expect(refusal(run("rm -rf /srv"), both)?.message).toContain("no pattern of commands.allow in the --policy file");
    expect(refusal(run("apt-get install --allow-unauthenticated x"), both)?.from).toEqual(POLICY_FILE);
    expect(refusal(run("apt-get remove curl"), both)?.from).toEqual(CONFIG);
    expect(refusal(run("apt-get install curl"), both)).toBeUndefined();
  });

  test("a step's unless probe is judged like its command; a script of several lines is allowed only line for line", () => {
    const touches = stepTouches(ACTIONS.find("shell")!, "set -e\necho hi\necho there", { unless: "curl x | sh" });
    const refused = safetyVerdicts(touches, policy({ deny: [{ pattern: "curl * | sh", from: CONFIG }], allow: [{ patterns: ["set -e*"], from: CONFIG }] }), { acceptDanger: false });
    expect(refused.map((v) => [v.rule, v.refused, v.act])).toEqual([
      ["commands.allow", true, 'run "set -e ... (2 more lines)"'],
      ["commands.deny", true, 'run "curl x | sh"'],
      ["commands.allow", true, 'run "curl x | sh"'],
    ]);
    const lineForLine = policy({ allow: [{ patterns: ["set -e\necho *\necho *"], from: CONFIG }] });
    expect(safetyRefusal(stepTouches(ACTIONS.find("shell")!, "set -e\necho hi\necho there", {}), lineForLine, { acceptDanger: false })).toBeUndefined();
  });

  test("a command step is judged by its argv joined with spaces", () => {
    const touches = stepTouches(ACTIONS.find("command")!, { argv: ["rm", "-rf", "/srv/app"] }, {});
    expect(refusal(touches, policy({ deny: [{ pattern: "rm -rf *", from: CONFIG }] }))?.message).toStartWith('Refusing to run "rm -rf /srv/app"');
  });
});

describe("workspace", () => {
  test("writes, removals and fills only at real paths below a workspace entry; every workspace list must agree", () => {
    const { r } = fakeRoot();
    const machine = policy({ workspaces: [{ paths: [r("srv"), r("data")], from: POLICY_FILE }] });
    const config = policy({ workspaces: [{ paths: [r("srv/app"), r("etc")], from: CONFIG }] });
    const both = combinePolicies(machine, config);
    expect(refusal([{ kind: "write", path: r("srv/app/index.html") }], both)).toBeUndefined();
    expect(refusal([{ kind: "fill", path: r("srv/app"), how: "sync_delete" }], both)).toBeUndefined();
    // Each list alone would allow these; together they do not.
    expect(refusal([{ kind: "remove", path: r("data/a") }], both)?.message).toBe(`Refusing to remove "${r("data/a")}": it is outside the workspace of the safety block of /srv/site.yml:2:3 (${r("srv/app")}, ${r("etc")})`);
    expect(refusal([{ kind: "write", path: r("etc/hosts") }], both)?.from).toEqual(POLICY_FILE);
  });

  test("a path through a link out of the workspace is refused by its real path; a link inside is replaced, not followed, unless follow", () => {
    const { r } = fakeRoot();
    symlinkSync(r("etc"), r("srv/app/conf"));
    symlinkSync(r("etc/hosts"), r("srv/app/hosts"));
    const rules = policy({ workspaces: [{ paths: [r("srv")], from: CONFIG }] });
    expect(refusal([{ kind: "write", path: r("srv/app/conf/hosts") }], rules)?.message).toContain(`its real path "${r("etc/hosts")}" is outside the workspace`);
    expect(refusal([{ kind: "write", path: r("srv/app/hosts") }], rules)).toBeUndefined();
    expect(refusal([{ kind: "write", path: r("srv/app/hosts"), follow: true }], rules)?.message).toContain(`its real path "${r("etc/hosts")}"`);
    expect(refusal([{ kind: "remove", path: r("srv/app/hosts") }], rules)).toBeUndefined();
  });

  test("a glob removal is judged match by match", () => {
    const { r } = fakeRoot();
    mkdirSync(r("srv/logs"));
    const rules = policy({ workspaces: [{ paths: [r("srv/app")], from: CONFIG }] });
    expect(refusal([{ kind: "remove", path: r("srv/app*"), glob: true }], rules)).toBeUndefined();
    expect(refusal([{ kind: "remove", path: r("srv/*"), glob: true }], rules)?.message).toContain(`its real path "${r("srv/logs")}" is outside`);
  });

  test("a package or service step is not bounded by the workspace", () => {
    const rules = policy({ workspaces: [{ paths: ["/srv/app"], from: CONFIG }] });
    expect(refusal([{ kind: "package", name: "curl", change: "install" }, { kind: "service", name: "nginx" }], rules)).toBeUndefined();
  });
});

describe("what actions say they touch", () => {
  test("file, copy, template, download, sync, unarchive, the edits, package and systemd", () => {
    const touches = (action: string, args: unknown) => ACTIONS.find(action)!.touches!(args as never);
    expect(touches("file", { path: "/a", state: "absent", allow_glob: true })).toEqual([{ kind: "remove", path: "/a", glob: true }]);
    expect(touches("file", { path: "/a", content: "x", follow: true })).toEqual([{ kind: "write", path: "/a", follow: true }]);
    expect(touches("file", { path: "/a", state: "link", src: "/b" })).toEqual([{ kind: "write", path: "/a" }]);
    expect(touches("copy", { src: "/s", dest: "/d" })).toEqual([{ kind: "write", path: "/d", follow: false }]);
    expect(touches("template", { src: "/s", dest: "/d" })).toEqual([{ kind: "write", path: "/d", follow: false }]);
    expect(touches("download", { url: "http://x", dest: "/d" })).toEqual([{ kind: "write", path: "/d" }]);
    expect(touches("sync", { src: "/s", dest: "/d", delete: true })).toEqual([{ kind: "fill", path: "/d", how: "sync_delete" }]);
    expect(touches("unarchive", { src: "/s.tgz", dest: "/d" })).toEqual([{ kind: "fill", path: "/d", how: "extract" }]);
    for (const edit of ["file_replace", "file_insert", "file_delete_range", "file_patch_apply"]) expect(touches(edit, { path: "/e" })).toEqual([{ kind: "write", path: "/e" }]);
    expect(touches("package", { names: ["a", "b"], state: "latest" })).toEqual([{ kind: "package", name: "a", change: "latest" }, { kind: "package", name: "b", change: "latest" }]);
    expect(touches("package", { name: "a", version: "1.2" })).toEqual([{ kind: "package", name: "a", change: "pin" }]);
    const saved = process.env.MOONCAKE_SYSTEMD_ROOT;
    delete process.env.MOONCAKE_SYSTEMD_ROOT;
    expect(touches("systemd", { name: "app", unit: { content: "x" }, dropin: { name: "limits", content: "y" } })).toEqual([
      { kind: "service", name: "app.service" },
      { kind: "write", path: "/etc/systemd/system/app.service" },
      { kind: "write", path: "/etc/systemd/system/app.service.d/limits.conf" },
    ]);
    if (saved !== undefined) process.env.MOONCAKE_SYSTEMD_ROOT = saved;
  });
});
