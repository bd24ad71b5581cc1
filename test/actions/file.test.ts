import { describe, expect, test } from "bun:test";
import { existsSync, linkSync, lstatSync, mkdirSync, readFileSync, readdirSync, readlinkSync, statSync, symlinkSync } from "node:fs";
import { runSteps } from "../helpers/run_steps.ts";
import { converge, sandbox } from "../helpers/converge.ts";

const mode = (path: string) => (statSync(path).mode & 0o7777).toString(8);
const isRoot = process.getuid?.() === 0;

describe("file state directory", () => {
  test("creates a directory with its parents and mode, then finds it as wanted", async () => {
    const tmp = sandbox();
    const { preview, first, second } = await converge(tmp.dir, "- file: { path: a/b/c, state: directory, mode: \"0750\" }\n");
    expect(preview.changes[0]).toMatchObject({ kind: "create", reason: "directory does not exist (and 2 parent directories)" });
    expect(first.counts.changed).toBe(1);
    expect(first.files.map((f) => [f.path.slice(tmp.dir.length), f.operation, f.kind])).toEqual([
      ["/a", "created", "directory"], ["/a/b", "created", "directory"], ["/a/b/c", "created", "directory"],
    ]);
    expect(mode(tmp.path("a/b/c"))).toBe("750");
    expect(second.changes[0]).toMatchObject({ kind: "none", reason: "directory exists with the wanted attributes" });
  });

  test("changes only the mode that differs, and says so in the dry-run", async () => {
    const tmp = sandbox();
    mkdirSync(tmp.path("d"), { mode: 0o700 });
    const { preview, first } = await converge(tmp.dir, "- file: { path: d, state: directory, mode: 755 }\n");
    expect(preview.changes[0]).toMatchObject({ kind: "update", reason: "mode 0700 -> 0755" });
    expect(first.files).toEqual([{ path: tmp.path("d"), operation: "modified", size_bytes: 0, kind: "directory" }]);
    expect(mode(tmp.path("d"))).toBe("755");
  });

  test("recurse applies the mode to every entry below", async () => {
    const tmp = sandbox({ "d/x": "1", "d/sub/y": "2" });
    const { preview } = await converge(tmp.dir, "- file: { path: d, state: directory, mode: \"0700\", recurse: true }\n");
    expect(preview.changes[0]?.reason).toBe("mode 0755 -> 0700, 3 entries below differ");
    expect([mode(tmp.path("d/x")), mode(tmp.path("d/sub")), mode(tmp.path("d/sub/y"))]).toEqual(["700", "700", "700"]);
  });

  test("a file in the way fails with a clear message", async () => {
    const tmp = sandbox({ d: "x" });
    const run = await runSteps(tmp.dir, "- file: { path: d, state: directory }\n");
    expect(run.status).toBe("failed");
    expect(run.errors).toEqual([`Cannot create directory "${tmp.path("d")}": a file is in the way`]);
  });
});

describe("file state file (content)", () => {
  test("creates the file with content and default mode 0644, then rewrites it only when the content differs", async () => {
    const tmp = sandbox();
    const { preview, first } = await converge(tmp.dir, "- file: { path: out/a.txt, content: \"hello\\n\" }\n");
    expect(preview.changes[0]?.diff).toBe(`--- /dev/null\n+++ ${tmp.path("out/a.txt")}\n@@ -0,0 +1 @@\n+hello\n`);
    expect(readFileSync(tmp.path("out/a.txt"), "utf8")).toBe("hello\n");
    expect(mode(tmp.path("out/a.txt"))).toBe("644");
    expect(first.files.at(-1)).toEqual({ path: tmp.path("out/a.txt"), operation: "created", size_bytes: 6, kind: "file" });

    const changed = await converge(tmp.dir, "- file: { path: out/a.txt, content: \"hello\\nworld\\n\", backup: true }\n");
    expect(changed.preview.changes[0]).toMatchObject({ kind: "update", reason: "content differs" });
    expect(changed.preview.changes[0]?.diff).toContain("@@ -1 +1,2 @@\n hello\n+world\n");
    expect(readFileSync(tmp.path("out/a.txt"), "utf8")).toBe("hello\nworld\n");
    const backups = readdirSync(tmp.path("out")).filter((n) => n.endsWith("~"));
    expect(backups).toHaveLength(1);
    expect(readFileSync(tmp.path(`out/${backups[0]}`), "utf8")).toBe("hello\n");
    expect(changed.first.files.map((f) => f.operation)).toEqual(["created", "modified"]);
  });

  test("an unquoted YAML mode 0644 (the number 644) means octal 0644; 0600 keeps the content", async () => {
    const tmp = sandbox({ "a.txt": "same" });
    await converge(tmp.dir, "- file: { path: a.txt, content: same, mode: 0600 }\n");
    expect(mode(tmp.path("a.txt"))).toBe("600");
    const run = await runSteps(tmp.dir, "- file: { path: a.txt, content: same, mode: 0644 }\n");
    expect(run.changes[0]).toMatchObject({ kind: "update", reason: "mode 0600 -> 0644" });
  });

  test("a mode whose digits are not octal is refused: from a variable when the plan is built, from a registered value when the step runs", async () => {
    const tmp = sandbox();
    const planned = runSteps(tmp.dir, "- vars: { m: 689 }\n- file: { path: b.txt, mode: \"{{ m }}\" }\n");
    expect(planned).rejects.toThrow('file.mode: "689" is not valid: expected an octal mode such as "0644" (rendered from "{{ m }}")');
    const registered = await runSteps(tmp.dir, "- shell: echo 689\n  register: m\n- file: { path: b.txt, mode: \"{{ m.stdout | trim }}\" }\n");
    expect(registered.errors).toEqual([expect.stringMatching(/site\.yml:3:30: file\.mode: "689" is not valid: expected an octal mode such as "0644"/)]);
    expect(existsSync(tmp.path("b.txt"))).toBe(false);
  });

  test("a parent that is a file fails in the dry-run already, and nothing is written", async () => {
    const tmp = sandbox({ blocker: "x" });
    const preview = await runSteps(tmp.dir, "- file: { path: blocker/a.txt, content: x }\n", { dryRun: true });
    expect(preview.errors).toEqual([`Cannot create file "${tmp.path("blocker/a.txt")}": "${tmp.path("blocker")}" is a file, not a directory`]);
  });

  test("touch creates an empty file once and leaves content and times alone afterwards", async () => {
    const tmp = sandbox({ kept: "content" });
    const before = statSync(tmp.path("kept")).mtimeMs;
    await converge(tmp.dir, "- file: { path: new, state: touch }\n- file: { path: kept, state: touch }\n");
    expect(readFileSync(tmp.path("new"), "utf8")).toBe("");
    expect(readFileSync(tmp.path("kept"), "utf8")).toBe("content");
    expect(statSync(tmp.path("kept")).mtimeMs).toBe(before);
  });

  test.skipIf(!isRoot)("owner and group by name or id are applied and compared", async () => {
    const tmp = sandbox({ f: "x" });
    const { preview } = await converge(tmp.dir, "- file: { path: f, state: touch, owner: nobody, group: 65534 }\n");
    expect(preview.changes[0]).toMatchObject({ kind: "update", reason: "owner 0 -> 65534, group 0 -> 65534" });
    expect(statSync(tmp.path("f")).uid).toBe(65534);
  });

  test("an unknown owner fails the step by name", async () => {
    const tmp = sandbox({ f: "x" });
    const run = await runSteps(tmp.dir, "- file: { path: f, state: touch, owner: no-such-user-here }\n");
    expect(run.errors).toEqual(['Unknown user "no-such-user-here"']);
  });
});

describe("file state absent", () => {
  test("removes a file, then is ok when it is already absent", async () => {
    const tmp = sandbox({ "gone.txt": "12345" });
    const { preview, first, second } = await converge(tmp.dir, "- file: { path: gone.txt, state: absent }\n");
    expect(preview.changes[0]).toMatchObject({ kind: "delete", reason: "file exists" });
    expect(first.files).toEqual([{ path: tmp.path("gone.txt"), operation: "removed", size_bytes: 5, kind: "file" }]);
    expect(second.changes[0]).toMatchObject({ kind: "none", reason: "already absent" });
  });

  test("a directory that is not empty needs force", async () => {
    const tmp = sandbox({ "d/x": "1" });
    const refused = await runSteps(tmp.dir, "- file: { path: d, state: absent }\n");
    expect(refused.errors).toEqual([`Cannot remove directory "${tmp.path("d")}": it is not empty (force: true removes it with its contents)`]);
    await converge(tmp.dir, "- file: { path: d, state: absent, force: true }\n");
    expect(existsSync(tmp.path("d"))).toBe(false);
  });

  test("refuses / and the home directory without --i-accept-danger, even in a dry-run", async () => {
    const tmp = sandbox();
    for (const path of ["/", "/etc", "/usr/", process.env.HOME ?? "/root"]) {
      const run = await runSteps(tmp.dir, `- file: { path: "${path}", state: absent }\n`, { dryRun: true });
      expect(run.status).toBe("failed");
      expect(run.errors[0]).toMatch(/^Refusing to remove ".*": it is (the root directory|a system directory|the home directory) \(danger category "protected_paths": run with --i-accept-danger to allow it\)$/);
    }
  });

  test("refuses an empty path, whatever the flags", async () => {
    const tmp = sandbox();
    const run = await runSteps(tmp.dir, "- vars: { p: \"\" }\n- file: { path: \"{{ p }}\", state: absent }\n", { acceptDanger: true });
    expect(run.errors).toEqual(["Refusing to remove an empty path"]);
  });

  test("a glob is literal unless allow_glob, then every match goes", async () => {
    const tmp = sandbox({ "logs/a.log": "a", "logs/b.log": "bb", "logs/keep.txt": "k", "logs/*.log": "literal" });
    const literal = await runSteps(tmp.dir, "- file: { path: \"logs/*.log\", state: absent }\n");
    expect(literal.files.map((f) => f.path)).toEqual([tmp.path("logs/*.log")]);
    const { preview } = await converge(tmp.dir, "- file: { path: \"logs/*.log\", state: absent, allow_glob: true }\n");
    expect(preview.changes[0]).toMatchObject({ kind: "delete", reason: "2 paths match" });
    expect(readdirSync(tmp.path("logs"))).toEqual(["keep.txt"]);
  });
});

describe("file state link and hardlink", () => {
  test("creates a symlink, replaces one pointing elsewhere, and is ok when it points at src", async () => {
    const tmp = sandbox({ "v1/x": "1", "v2/x": "2" });
    symlinkSync(tmp.path("v1"), tmp.path("current"));
    const { preview, first } = await converge(tmp.dir, "- file: { path: current, src: v2, state: link }\n");
    expect(preview.changes[0]).toMatchObject({ kind: "update", reason: `link points at "${tmp.path("v1")}"` });
    expect(readlinkSync(tmp.path("current"))).toBe(tmp.path("v2"));
    expect(first.files).toEqual([{ path: tmp.path("current"), operation: "modified", size_bytes: 0, kind: "link" }]);
  });

  test("a file in the way fails unless force", async () => {
    const tmp = sandbox({ target: "t", current: "a file" });
    const refused = await runSteps(tmp.dir, "- file: { path: current, src: target, state: link }\n");
    expect(refused.errors).toEqual([`Cannot create link "${tmp.path("current")}": a file is in the way (force: true replaces it)`]);
    await converge(tmp.dir, "- file: { path: current, src: target, state: link, force: true }\n");
    expect(lstatSync(tmp.path("current")).isSymbolicLink()).toBe(true);
  });

  test("hardlink shares the inode of src; a missing src fails", async () => {
    const tmp = sandbox({ src: "data" });
    await converge(tmp.dir, "- file: { path: twin, src: src, state: hardlink }\n");
    expect(statSync(tmp.path("twin")).ino).toBe(statSync(tmp.path("src")).ino);
    linkSync(tmp.path("src"), tmp.path("twin2"));
    const missing = await runSteps(tmp.dir, "- file: { path: other, src: nothing, state: hardlink }\n");
    expect(missing.errors).toEqual([`Cannot create hard link "${tmp.path("other")}": no such file`]);
  });
});

describe("file state perms", () => {
  test("sets the mode of an existing path and fails on a missing one", async () => {
    const tmp = sandbox({ f: "x" });
    await converge(tmp.dir, "- file: { path: f, state: perms, mode: \"0600\" }\n");
    expect(mode(tmp.path("f"))).toBe("600");
    const missing = await runSteps(tmp.dir, "- file: { path: nope, state: perms, mode: \"0600\" }\n");
    expect(missing.errors).toEqual([`Cannot change the permissions of "${tmp.path("nope")}": no such file`]);
  });
});
