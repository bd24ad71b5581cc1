import { describe, expect, test } from "bun:test";
import { existsSync, lstatSync, mkdirSync, readFileSync, readlinkSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { converge, sandbox } from "../helpers/converge.ts";
import { makeTar, makeZip, type FakeEntry } from "../helpers/make_archive.ts";
import { runSteps } from "../helpers/run_steps.ts";
import { treeSnapshot } from "../helpers/tree_snapshot.ts";

const RELEASE: FakeEntry[] = [
  { name: "app-1.0/", type: "directory" },
  { name: "app-1.0/bin/run", content: "#!/bin/sh\necho run\n", mode: 0o755 },
  { name: "app-1.0/README", content: "readme\n" },
  { name: "app-1.0/current", type: "symlink", linkname: "bin/run" },
];

const formats = {
  tar: (entries: FakeEntry[]) => makeTar(entries),
  "tar.gz": (entries: FakeEntry[]) => Bun.gzipSync(makeTar(entries) as Uint8Array<ArrayBuffer>),
  zip: (entries: FakeEntry[]) => makeZip(entries),
} as const;

describe("unarchive", () => {
  for (const [format, make] of Object.entries(formats)) {
    test(`${format}: extracts with strip_components, then finds every entry in place`, async () => {
      const tmp = sandbox({ [`release.${format}`]: make(RELEASE) });
      const yaml = `- unarchive: { src: release.${format}, dest: out/app, strip_components: 1 }\n`;
      const { preview, first } = await converge(tmp.dir, yaml);
      expect(preview.changes[0]).toMatchObject({ kind: "create", reason: "3 of 3 entries to extract, dest does not exist (and 1 parent directory)" });
      expect(readFileSync(tmp.path("out/app/bin/run"), "utf8")).toBe("#!/bin/sh\necho run\n");
      expect((statSync(tmp.path("out/app/bin/run")).mode & 0o777).toString(8)).toBe("755");
      expect(readlinkSync(tmp.path("out/app/current"))).toBe("bin/run");
      expect(first.files.map((f) => `${f.operation} ${f.kind} ${f.path.slice(tmp.dir.length)}`)).toEqual([
        "created directory /out", "created directory /out/app", "created directory /out/app/bin",
        "created file /out/app/bin/run", "created file /out/app/README", "created link /out/app/current",
      ]);
      expect(existsSync(tmp.path("out/app-1.0"))).toBe(false);
    });

    for (const [label, entry, message] of [
      ["a .. path", { name: "../evil", content: "x" }, 'entry "../evil" has a ".." component and would land outside dest'],
      ["an absolute path", { name: "/tmp/evil", content: "x" }, 'entry "/tmp/evil" has an absolute path'],
      ["a symlink pointing out", { name: "link", type: "symlink", linkname: "../../etc" }, 'entry "link" is a symbolic link pointing outside dest ("../../etc")'],
      ["an absolute symlink", { name: "link", type: "symlink", linkname: "/etc" }, 'entry "link" is a symbolic link to the absolute path "/etc"'],
    ] as const) {
      test(`${format}: ${label} fails with the entry's name and writes nothing`, async () => {
        const tmp = sandbox({ [`bad.${format}`]: make([{ name: "ok.txt", content: "fine" }, entry as FakeEntry]) });
        const before = treeSnapshot(tmp.dir);
        const run = await runSteps(tmp.dir, `- unarchive: { src: bad.${format}, dest: out }\n`);
        expect(run.errors).toEqual([`Cannot extract "${tmp.path(`bad.${format}`)}": ${message}`]);
        expect(treeSnapshot(tmp.dir, ["site.yml"])).toEqual(before);
      });
    }
  }

  test("an entry written through a symlink of the archive is refused (tar)", async () => {
    const tmp = sandbox({ "bad.tar": makeTar([{ name: "d", type: "symlink", linkname: "." }, { name: "d/x", content: "x" }]) });
    const run = await runSteps(tmp.dir, "- unarchive: { src: bad.tar, dest: out }\n");
    expect(run.errors).toEqual([`Cannot extract "${tmp.path("bad.tar")}": entry "d/x" would be written through the symbolic link "d"`]);
    expect(existsSync(tmp.path("out"))).toBe(false);
  });

  test("an entry written through a symlink already in dest is refused", async () => {
    const tmp = sandbox({ "a.tar": makeTar([{ name: "sub/passwd", content: "x" }]), "outside/.keep": "" });
    mkdirSync(tmp.path("out"));
    symlinkSync(tmp.path("outside"), tmp.path("out/sub"));
    const run = await runSteps(tmp.dir, "- unarchive: { src: a.tar, dest: out }\n");
    expect(run.errors).toEqual([`Cannot extract "${tmp.path("a.tar")}": entry "sub/passwd" would be written through the symbolic link "${tmp.path("out/sub")}"`]);
    expect(existsSync(tmp.path("outside/passwd"))).toBe(false);
  });

  test("a hard link pointing out is refused; one inside is recreated as a hard link", async () => {
    const out = sandbox({ "bad.tar": makeTar([{ name: "h", type: "hardlink", linkname: "../../etc/passwd" }]) });
    const bad = await runSteps(out.dir, "- unarchive: { src: bad.tar, dest: out }\n");
    expect(bad.errors[0]).toContain('entry "h" has a ".." component');
    const tmp = sandbox({ "ok.tar": makeTar([{ name: "a", content: "data" }, { name: "b", type: "hardlink", linkname: "a" }]) });
    await converge(tmp.dir, "- unarchive: { src: ok.tar, dest: out }\n");
    expect(statSync(tmp.path("out/b")).ino).toBe(statSync(tmp.path("out/a")).ino);
  });

  test("a truncated archive fails before anything is written", async () => {
    const whole = Bun.gzipSync(makeTar(RELEASE) as Uint8Array<ArrayBuffer>);
    const tmp = sandbox({ "cut.tar.gz": whole.subarray(0, whole.length - 30), "cut.tar": makeTar(RELEASE).subarray(0, 700), "cut.zip": makeZip(RELEASE).subarray(0, 100) });
    for (const [name, reason] of [["cut.tar.gz", "the gzip data is truncated or corrupt"], ["cut.tar", "the tar data is truncated"], ["cut.zip", "the zip data is truncated or corrupt (no end of central directory)"]]) {
      const run = await runSteps(tmp.dir, `- unarchive: { src: ${name}, dest: out }\n`);
      expect(run.errors).toEqual([`Cannot extract "${tmp.path(name!)}": ${reason}`]);
    }
    expect(existsSync(tmp.path("out"))).toBe(false);
  });

  test("creates skips; a changed file is replaced; mode applies to every file", async () => {
    const tmp = sandbox({ "a.tar": makeTar([{ name: "x", content: "new" }, { name: "y", content: "same" }]) });
    mkdirSync(tmp.path("out"));
    writeFileSync(tmp.path("out/x"), "old");
    writeFileSync(tmp.path("out/y"), "same");
    const { preview, first } = await converge(tmp.dir, "- unarchive: { src: a.tar, dest: out, mode: \"0600\" }\n");
    expect(preview.changes[0]).toMatchObject({ kind: "update", reason: "2 of 2 entries to extract" });
    expect(first.files.map((f) => f.operation)).toEqual(["modified", "modified"]);
    expect(readFileSync(tmp.path("out/x"), "utf8")).toBe("new");
    expect((lstatSync(tmp.path("out/y")).mode & 0o777).toString(8)).toBe("600");
    const skipped = await runSteps(tmp.dir, "- unarchive: { src: a.tar, dest: elsewhere, creates: out/x }\n");
    expect(skipped.changes[0]).toMatchObject({ kind: "none", reason: `creates: "${tmp.path("out/x")}" exists` });
  });

  test("a missing src and an unknown suffix fail with their reason", async () => {
    const tmp = sandbox({ "a.rar": "x" });
    const missing = await runSteps(tmp.dir, "- unarchive: { src: none.tar, dest: out }\n");
    expect(missing.errors).toEqual([`Cannot extract "${tmp.path("none.tar")}": no such file`]);
    const unknown = await runSteps(tmp.dir, "- unarchive: { src: a.rar, dest: out }\n");
    expect(unknown.errors).toEqual([`Cannot extract "${tmp.path("a.rar")}": unknown archive type (expected .tar, .tar.gz, .tgz or .zip)`]);
  });

  test.skipIf(!Bun.which("tar"))("an archive made by GNU tar (long names, pax) extracts", async () => {
    const tmp = sandbox({ [`src/${"deep/".repeat(30)}file.txt`]: "deep\n", "src/top.txt": "top\n" });
    Bun.spawnSync(["tar", "czf", tmp.path("gnu.tgz"), "-C", tmp.path("src"), "."]);
    await converge(tmp.dir, "- unarchive: { src: gnu.tgz, dest: out }\n");
    expect(readFileSync(tmp.path(`out/${"deep/".repeat(30)}file.txt`), "utf8")).toBe("deep\n");
  });
});
