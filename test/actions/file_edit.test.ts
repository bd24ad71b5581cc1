import { describe, expect, test } from "bun:test";
import { chmodSync, readdirSync, readFileSync, statSync, symlinkSync } from "node:fs";
import { converge, sandbox } from "../helpers/converge.ts";
import { runSteps } from "../helpers/run_steps.ts";

const SSHD = "Port 22\n#PermitRootLogin yes\nPasswordAuthentication yes\n";

describe("file_replace", () => {
  test("replaces a regex with capture groups, previews a diff, keeps the mode, and changes nothing the second time", async () => {
    const tmp = sandbox({ sshd_config: SSHD });
    chmodSync(tmp.path("sshd_config"), 0o600);
    const yaml = "- file_replace: { path: sshd_config, pattern: '^#?(PermitRootLogin) .*$', replace: '${1} no', flags: { multiline: true } }\n";
    const { preview, second } = await converge(tmp.dir, yaml);
    expect(preview.changes[0]).toMatchObject({ kind: "update", reason: "pattern matched 1 time" });
    expect(preview.changes[0]?.diff).toContain("-#PermitRootLogin yes\n+PermitRootLogin no\n");
    expect(readFileSync(tmp.path("sshd_config"), "utf8")).toBe("Port 22\nPermitRootLogin no\nPasswordAuthentication yes\n");
    expect(statSync(tmp.path("sshd_config")).mode & 0o777).toBe(0o600);
    expect(second.changes[0]).toMatchObject({ kind: "none", reason: "pattern matched 1 time; the text is already as wanted" });
  });

  test("a literal pattern (regex: false) matches its text only, and $ in the replacement is literal", async () => {
    const tmp = sandbox({ f: "a.b axb\n" });
    await converge(tmp.dir, "- file_replace: { path: f, pattern: 'a.b', replace: 'x$1', flags: { regex: false }, allow_no_match: true }\n");
    expect(readFileSync(tmp.path("f"), "utf8")).toBe("x$1 axb\n");
  });

  test("count: 1 with more matches left is refused: a later run would replace the next one", async () => {
    const tmp = sandbox({ f: "k=1\nk=1\n" });
    const refused = await runSteps(tmp.dir, "- file_replace: { path: f, pattern: 'k=1', replace: 'k=2', count: 1 }\n");
    expect(refused.errors[0]).toStartWith('Replacing "k=1" would change the file again on every run');
    expect(readFileSync(tmp.path("f"), "utf8")).toBe("k=1\nk=1\n");
  });

  test("no match fails unless allow_no_match, which reports why nothing changes", async () => {
    const tmp = sandbox({ f: "hello\n" });
    const failed = await runSteps(tmp.dir, "- file_replace: { path: f, pattern: 'absent', replace: 'x' }\n");
    expect(failed.errors).toEqual(['Pattern "absent" matched nothing in the file (set allow_no_match: true if that is expected)']);
    const allowed = await runSteps(tmp.dir, "- file_replace: { path: f, pattern: 'absent', replace: 'x', allow_no_match: true }\n");
    expect(allowed.changes[0]).toMatchObject({ kind: "none", reason: "pattern matched 0 times and allow_no_match is set" });
  });

  test("a replacement that the pattern matches again is refused instead of growing the file on every run", async () => {
    const tmp = sandbox({ f: "foo\n" });
    const run = await runSteps(tmp.dir, "- file_replace: { path: f, pattern: 'foo', replace: 'foobar' }\n");
    expect(run.errors[0]).toStartWith('Replacing "foo" would change the file again on every run');
    expect(readFileSync(tmp.path("f"), "utf8")).toBe("foo\n");
  });

  test("backup keeps the previous content beside the file", async () => {
    const tmp = sandbox({ f: "v1\n" });
    await runSteps(tmp.dir, "- file_replace: { path: f, pattern: 'v1', replace: 'v2', backup: true }\n");
    const backups = readdirSync(tmp.dir).filter((n) => n.startsWith("f.") && n.endsWith("~"));
    expect(backups.map((b) => readFileSync(tmp.path(b), "utf8"))).toEqual(["v1\n"]);
  });

  test("a missing file fails the step with the path named", async () => {
    const tmp = sandbox();
    const run = await runSteps(tmp.dir, "- file_replace: { path: nope, pattern: a, replace: b }\n");
    expect(run.errors).toEqual([`Cannot edit "${tmp.path("nope")}": the file does not exist`]);
  });
});

describe("file_insert", () => {
  test("adds a line at the end once (lineinfile), adding the missing final newline", async () => {
    const tmp = sandbox({ "sysctl.conf": "kernel.a = 1" });
    const { preview, second } = await converge(tmp.dir, "- file_insert: { path: sysctl.conf, content: 'vm.swappiness = 10' }\n");
    expect(preview.changes[0]).toMatchObject({ kind: "update", reason: "content added at the end of the file" });
    expect(readFileSync(tmp.path("sysctl.conf"), "utf8")).toBe("kernel.a = 1\nvm.swappiness = 10\n");
    expect(second.changes[0]).toMatchObject({ kind: "none", reason: "content present" });
  });

  test("inserts before or after an anchor, at every match with allow_multiple, and not twice", async () => {
    const tmp = sandbox({ f: "[a]\nx=1\n[b]\nx=2\n" });
    await converge(tmp.dir, "- file_insert: { path: f, anchor: '^\\[', regex: true, content: '# section', position: before, allow_multiple: true }\n");
    expect(readFileSync(tmp.path("f"), "utf8")).toBe("# section\n[a]\nx=1\n# section\n[b]\nx=2\n");
    await converge(tmp.dir, "- file_insert: { path: f, anchor: 'x=2', content: 'y=3' }\n");
    expect(readFileSync(tmp.path("f"), "utf8")).toBe("# section\n[a]\nx=1\n# section\n[b]\nx=2\ny=3\n");
  });

  test("a marked block is added once and then updated in place when its content changes (blockinfile)", async () => {
    const tmp = sandbox({ bashrc: "alias ll='ls -l'\n" });
    const step = (body: string) => `- file_insert: { path: bashrc, marker: '# {mark} mooncake', content: "${body}" }\n`;
    await converge(tmp.dir, step("export A=1\\nexport B=2"));
    expect(readFileSync(tmp.path("bashrc"), "utf8")).toBe("alias ll='ls -l'\n# BEGIN mooncake\nexport A=1\nexport B=2\n# END mooncake\n");
    const { preview } = await converge(tmp.dir, step("export A=9"));
    expect(preview.changes[0]?.reason).toBe("block between its markers (lines 2-5) updated");
    expect(readFileSync(tmp.path("bashrc"), "utf8")).toBe("alias ll='ls -l'\n# BEGIN mooncake\nexport A=9\n# END mooncake\n");
  });

  test("an anchor that matches nothing fails with the anchor named", async () => {
    const tmp = sandbox({ f: "a\n" });
    const run = await runSteps(tmp.dir, "- file_insert: { path: f, anchor: zzz, content: b }\n");
    expect(run.errors).toEqual(['Anchor "zzz" matches no line of the file']);
  });
});

describe("file_delete_range", () => {
  test("deletes from the start anchor to the end anchor, inclusive by default, then has nothing to delete", async () => {
    const tmp = sandbox({ f: "keep\n# BEGIN old\nx\ny\n# END old\ntail\n" });
    const { preview, second } = await converge(tmp.dir, "- file_delete_range: { path: f, start_anchor: '# BEGIN old', end_anchor: '# END old' }\n");
    expect(preview.changes[0]).toMatchObject({ kind: "update", reason: "lines 2-5 deleted" });
    expect(readFileSync(tmp.path("f"), "utf8")).toBe("keep\ntail\n");
    expect(second.changes[0]).toMatchObject({ kind: "none", reason: "start anchor not found: nothing to delete" });
  });

  test("inclusive: false keeps the anchors; a start without an end fails", async () => {
    const tmp = sandbox({ f: "<<\na\nb\n>>\n", g: "<<\na\n" });
    const { second } = await converge(tmp.dir, "- file_delete_range: { path: f, start_anchor: '<<', end_anchor: '>>', inclusive: false }\n");
    expect(readFileSync(tmp.path("f"), "utf8")).toBe("<<\n>>\n");
    expect(second.changes[0]?.reason).toBe("nothing between the anchors");
    const run = await runSteps(tmp.dir, "- file_delete_range: { path: g, start_anchor: '<<', end_anchor: '>>' }\n");
    expect(run.errors).toEqual(['Start anchor "<<" on line 1 has no end anchor ">>" after it']);
  });
});

const PATCH = `--- a/app.conf
+++ b/app.conf
@@ -1,4 +1,5 @@
 one
-two
+TWO
 three
 four
+five
`;

describe("file_patch_apply", () => {
  test("applies a unified diff, then reports it as already applied", async () => {
    const tmp = sandbox({ "app.conf": "one\ntwo\nthree\nfour\n", "fix.patch": PATCH });
    const { preview, second } = await converge(tmp.dir, "- file_patch_apply: { path: app.conf, patch_file: fix.patch }\n");
    expect(preview.changes[0]).toMatchObject({ kind: "update", reason: "patch applies (1 hunk)" });
    expect(readFileSync(tmp.path("app.conf"), "utf8")).toBe("one\nTWO\nthree\nfour\nfive\n");
    expect(second.changes[0]).toMatchObject({ kind: "none", reason: "already applied" });
  });

  test("a hunk found a few lines away applies; strict requires it at its line", async () => {
    const tmp = sandbox({ "app.conf": "zero\nzero\none\ntwo\nthree\nfour\n", "fix.patch": PATCH });
    const strict = await runSteps(tmp.dir, "- file_patch_apply: { path: app.conf, patch_file: fix.patch, strict: true }\n");
    expect(strict.errors[0]).toStartWith("Hunk 1 (@@ -1,4 +1,5 @@) does not apply exactly (strict): the file has no lines matching\n  one\n  two\n  three");
    await converge(tmp.dir, "- file_patch_apply: { path: app.conf, patch_file: fix.patch }\n");
    expect(readFileSync(tmp.path("app.conf"), "utf8")).toBe("zero\nzero\none\nTWO\nthree\nfour\nfive\n");
  });

  test("a patch that does not apply fails naming the hunk and leaves the file alone", async () => {
    const tmp = sandbox({ "app.conf": "other\ncontent\n" });
    const run = await runSteps(tmp.dir, `- file_patch_apply:\n    path: app.conf\n    patch: |\n${PATCH.replace(/^/gm, "      ")}\n`);
    expect(run.errors[0]).toStartWith("Hunk 1 (@@ -1,4 +1,5 @@) does not apply: the file has no lines matching");
    expect(readFileSync(tmp.path("app.conf"), "utf8")).toBe("other\ncontent\n");
  });

  test("a patch_file that is a device, not a file, is refused without reading it", async () => {
    const tmp = sandbox({ "app.conf": "one\n" });
    symlinkSync("/dev/zero", tmp.path("zero.patch"));
    const run = await runSteps(tmp.dir, "- file_patch_apply: { path: app.conf, patch_file: zero.patch }\n");
    expect(run.errors).toEqual([`Cannot read patch "${tmp.path("zero.patch")}": it is a character device, not a regular file`]);
  });

  test("dry_run: true checks that the patch applies and writes nothing", async () => {
    const tmp = sandbox({ "app.conf": "one\ntwo\nthree\nfour\n", "fix.patch": PATCH });
    const run = await runSteps(tmp.dir, "- file_patch_apply: { path: app.conf, patch_file: fix.patch, dry_run: true }\n");
    expect(run.changes[0]).toMatchObject({ kind: "none", reason: "patch applies (1 hunk); dry_run is set, so nothing is written" });
    expect(readFileSync(tmp.path("app.conf"), "utf8")).toBe("one\ntwo\nthree\nfour\n");
  });
});
