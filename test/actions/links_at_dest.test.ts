import { describe, expect, test } from "bun:test";
import { lstatSync, mkdirSync, readFileSync, readdirSync, readlinkSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { runSteps } from "../helpers/run_steps.ts";
import { sandbox } from "../helpers/converge.ts";

const mode = (path: string) => (statSync(path).mode & 0o7777).toString(8);

/** A config dir, and outside it a "system" file and directory a link in the config dir points at. */
function hostileSetup(): { dir: string; path: (p: string) => string; victim: string; victimDir: string } {
  const tmp = sandbox();
  const outside = sandbox({ "shadow": "root:secret\n", "etc/passwd": "root:x:0:0\n" });
  const victim = outside.path("shadow");
  const victimDir = outside.path("etc");
  Bun.spawnSync(["chmod", "0600", victim]);
  Bun.spawnSync(["chmod", "0755", victimDir]);
  symlinkSync(victim, tmp.path("dest"));
  symlinkSync(victimDir, tmp.path("confdir"));
  return { dir: tmp.dir, path: tmp.path, victim, victimDir };
}

function expectVictimUntouched(setup: ReturnType<typeof hostileSetup>): void {
  expect(readFileSync(setup.victim, "utf8")).toBe("root:secret\n");
  expect(mode(setup.victim)).toBe("600");
  expect(mode(setup.victimDir)).toBe("755");
  expect(readdirSync(setup.victimDir)).toEqual(["passwd"]);
}

describe("a symbolic link at dest is replaced, never written through", () => {
  test("file with content and mode replaces the link with the file; the dry-run says so", async () => {
    const setup = hostileSetup();
    const yaml = "- file: { path: dest, content: \"owned\\n\", mode: \"0666\" }\n";
    const preview = await runSteps(setup.dir, yaml, { dryRun: true });
    expect(preview.changes[0]).toMatchObject({ kind: "update", reason: `a symbolic link to "${setup.victim}" is in the way: the file replaces it (follow: true writes what it points at)` });
    const run = await runSteps(setup.dir, yaml);
    expect(run.errors).toEqual([]);
    expectVictimUntouched(setup);
    expect(lstatSync(setup.path("dest")).isFile()).toBe(true);
    expect(readFileSync(setup.path("dest"), "utf8")).toBe("owned\n");
    expect(mode(setup.path("dest"))).toBe("666");
  });

  test("copy and template replace the link", async () => {
    for (const step of ["copy: { src: src.txt, dest: dest }", "template: { src: src.txt, dest: dest }"]) {
      const setup = hostileSetup();
      writeFileSync(setup.path("src.txt"), "new content\n");
      const run = await runSteps(setup.dir, `- ${step}\n`);
      expect(run.errors).toEqual([]);
      expectVictimUntouched(setup);
      expect(readFileSync(setup.path("dest"), "utf8")).toBe("new content\n");
      expect(lstatSync(setup.path("dest")).isSymbolicLink()).toBe(false);
    }
  });

  test("backup keeps the link as a link, and never copies what it points at", async () => {
    const setup = hostileSetup();
    const run = await runSteps(setup.dir, "- file: { path: dest, content: \"x\\n\", backup: true }\n");
    expect(run.errors).toEqual([]);
    expectVictimUntouched(setup);
    const backups = readdirSync(setup.dir).filter((name) => name.startsWith("dest.") && name.endsWith("~"));
    expect(backups.length).toBe(1);
    expect(readlinkSync(setup.path(backups[0]!))).toBe(setup.victim);
  });

  test("mode without content, perms and directory refuse to change what a link points at", async () => {
    const cases = [
      ["- file: { path: dest, mode: \"0666\" }\n", `Cannot change attributes of "PATH/dest": it is a symbolic link (follow: true acts on what it points at)`],
      ["- file: { path: dest, state: touch, mode: \"0666\" }\n", `Cannot change attributes of "PATH/dest": it is a symbolic link (follow: true acts on what it points at)`],
      ["- file: { path: dest, state: perms, mode: \"0666\" }\n", `Cannot change the permissions of "PATH/dest": it is a symbolic link (follow: true acts on what it points at)`],
      ["- file: { path: confdir, state: directory, mode: \"0777\" }\n", `Cannot change the permissions of "PATH/confdir": it is a symbolic link (follow: true acts on what it points at)`],
    ];
    for (const [yaml, error] of cases) {
      const setup = hostileSetup();
      const run = await runSteps(setup.dir, yaml!, { dryRun: true });
      expect(run.errors).toEqual([error!.replace("PATH", setup.dir)]);
      await runSteps(setup.dir, yaml!);
      expectVictimUntouched(setup);
    }
  });

  test("a link to a directory counts as the directory when nothing is to change", async () => {
    const setup = hostileSetup();
    const run = await runSteps(setup.dir, "- file: { path: confdir, state: directory }\n");
    expect(run.changes[0]).toMatchObject({ kind: "none", reason: `directory exists through a symbolic link to "${setup.victimDir}"` });
  });

  test("follow: true manages what the link points at", async () => {
    const setup = hostileSetup();
    const run = await runSteps(setup.dir, "- file: { path: dest, state: perms, mode: \"0640\", follow: true }\n");
    expect(run.errors).toEqual([]);
    expect(mode(setup.victim)).toBe("640");
    expect(lstatSync(setup.path("dest")).isSymbolicLink()).toBe(true);
  });

  test("a parent directory that is a link is resolved: the change names the real path", async () => {
    const setup = hostileSetup();
    writeFileSync(setup.path("src.txt"), "conf\n");
    const preview = await runSteps(setup.dir, "- copy: { src: src.txt, dest: confdir/app.conf }\n", { dryRun: true });
    expect(preview.changes[0]).toMatchObject({ kind: "create", detail: `${setup.victimDir}/app.conf` });
  });

  test("recurse changes entries below but never what a link below points at", async () => {
    const tmp = sandbox({ "tree/a.txt": "a" });
    const setup = hostileSetup();
    mkdirSync(tmp.path("tree/sub"));
    symlinkSync(setup.victim, tmp.path("tree/sub/shadow"));
    const run = await runSteps(tmp.dir, "- file: { path: tree, state: directory, mode: \"0777\", recurse: true }\n");
    expect(run.errors).toEqual([]);
    expect(mode(tmp.path("tree/a.txt"))).toBe("777");
    expectVictimUntouched(setup);
  });
});

describe("sources that never end are refused, not read", () => {
  test("copy from a device and a template from a device fail before writing anything", async () => {
    const tmp = sandbox();
    const run = await runSteps(tmp.dir, "- copy: { src: /dev/zero, dest: out }\n", { dryRun: true });
    expect(run.errors[0]).toBe('Cannot copy "/dev/zero": it is not a regular file');
    // A template file known when the plan is built is read (to be parsed) by the compiler, which refuses a device.
    expect(runSteps(tmp.dir, "- template: { src: /dev/zero, dest: out2 }\n", { dryRun: true })).rejects.toThrow('Cannot read "/dev/zero": it is a character device, not a regular file');
    const template = await runSteps(tmp.dir, "- shell: echo /dev/zero\n  register: src\n- template: { src: \"{{ src.stdout | trim }}\", dest: out2 }\n");
    expect(template.errors).toEqual(['Cannot read template "/dev/zero": it is not a regular file']);
    expect(readdirSync(tmp.dir)).toEqual(["site.yml"]);
  });
});

describe("in-place edits", () => {
  test("file_replace on a link refuses: the target's text never lands in a new file at the link", async () => {
    const setup = hostileSetup();
    const run = await runSteps(setup.dir, "- file_replace: { path: dest, pattern: secret, replace: public }\n");
    expect(run.errors).toEqual([`Cannot edit "${setup.path("dest")}": it is a symbolic link to "${setup.victim}"; edit that file instead`]);
    expectVictimUntouched(setup);
    expect(lstatSync(setup.path("dest")).isSymbolicLink()).toBe(true);
  });
});

describe("follow: true on writes", () => {
  test("copy with follow writes the file the link points at and keeps the link; a dangling link is replaced", async () => {
    const setup = hostileSetup();
    writeFileSync(setup.path("src.txt"), "through\n");
    symlinkSync(setup.path("nowhere"), setup.path("dangling"));
    const run = await runSteps(setup.dir, "- copy: { src: src.txt, dest: dest, follow: true }\n- copy: { src: src.txt, dest: dangling, follow: true }\n");
    expect(run.errors).toEqual([]);
    expect(readFileSync(setup.victim, "utf8")).toBe("through\n");
    expect(lstatSync(setup.path("dest")).isSymbolicLink()).toBe(true);
    expect(lstatSync(setup.path("dangling")).isFile()).toBe(true);
  });
});
