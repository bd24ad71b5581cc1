import { describe, expect, test } from "bun:test";
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { converge, sandbox } from "../helpers/converge.ts";
import { makeTar, makeZip, type FakeEntry } from "../helpers/make_archive.ts";
import { runSteps } from "../helpers/run_steps.ts";
import { canMountSmallDisk, onSmallDisk } from "../helpers/small_disk.ts";
import { treeSnapshot } from "../helpers/tree_snapshot.ts";
import { lstatIfExists } from "../../core/fs/stat_if_exists.ts";

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
    expect(run.errors).toEqual([`Cannot extract "${tmp.path("a.tar")}": entry "sub/passwd" would be written through the symbolic link "sub" that is already in dest`]);
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

  describe("links already in dest are never traversed", () => {
    /** dest/pre is a link to a directory outside dest holding secret.txt. */
    function hostile(archive: Uint8Array) {
      const tmp = sandbox({ "a.tar": archive, "outside/secret.txt": "secret" });
      mkdirSync(tmp.path("out"));
      symlinkSync("../outside", tmp.path("out/pre"));
      return tmp;
    }

    test("a hard link through a link of dest is refused, in dry-run too, and the outside file keeps one link", async () => {
      const tmp = hostile(makeTar([{ name: "hl", type: "hardlink", linkname: "pre/secret.txt" }]));
      const message = `Cannot extract "${tmp.path("a.tar")}": entry "hl" is a hard link to "pre/secret.txt", which is not a file extracted before it from this archive`;
      const preview = await runSteps(tmp.dir, "- unarchive: { src: a.tar, dest: out }\n", { dryRun: true });
      expect(preview.errors).toEqual([message]);
      const run = await runSteps(tmp.dir, "- unarchive: { src: a.tar, dest: out }\n");
      expect(run.errors).toEqual([message]);
      expect(statSync(tmp.path("outside/secret.txt")).nlink).toBe(1);
      expect(readdirSync(tmp.path("out"))).toEqual(["pre"]);
    });

    test("a hard link to a directory or a link of the archive is refused", async () => {
      const tmp = sandbox({ "a.tar": makeTar([{ name: "d", type: "directory" }, { name: "h", type: "hardlink", linkname: "d" }]) });
      const run = await runSteps(tmp.dir, "- unarchive: { src: a.tar, dest: out }\n");
      expect(run.errors).toEqual([`Cannot extract "${tmp.path("a.tar")}": entry "h" is a hard link to "d", which is not a file extracted before it from this archive`]);
    });

    test("a symbolic link that resolves outside through a link of dest is refused", async () => {
      const tmp = hostile(makeTar([{ name: "l", type: "symlink", linkname: "pre/secret.txt" }]));
      const run = await runSteps(tmp.dir, "- unarchive: { src: a.tar, dest: out }\n");
      expect(run.errors).toEqual([`Cannot extract "${tmp.path("a.tar")}": entry "l" is a symbolic link that resolves outside dest ("pre/secret.txt", through the links it meets)`]);
      expect(lstatIfExists(tmp.path("out/l"))).toBeUndefined();
    });

    test("a symbolic link that climbs out through another link of the archive is refused", async () => {
      const tmp = sandbox({ "a.tar": makeTar([{ name: "up", type: "symlink", linkname: "." }, { name: "esc", type: "symlink", linkname: "up/../outside" }]), "outside/secret.txt": "secret" });
      const run = await runSteps(tmp.dir, "- unarchive: { src: a.tar, dest: out }\n");
      expect(run.errors).toEqual([`Cannot extract "${tmp.path("a.tar")}": entry "esc" is a symbolic link that resolves outside dest ("up/../outside", through the links it meets)`]);
      expect(existsSync(tmp.path("out"))).toBe(false);
    });

    test("a link of dest at an entry's own path is replaced, not written through", async () => {
      const tmp = hostile(makeTar([{ name: "pre", content: "mine" }]));
      await converge(tmp.dir, "- unarchive: { src: a.tar, dest: out }\n");
      expect(lstatSync(tmp.path("out/pre")).isFile()).toBe(true);
      expect(readFileSync(tmp.path("outside/secret.txt"), "utf8")).toBe("secret");
    });

    test("links inside dest, chained, extract and converge", async () => {
      const tmp = sandbox({ "a.tar": makeTar([
        { name: "lib/libx.so.1.2", content: "elf" },
        { name: "lib/libx.so.1", type: "symlink", linkname: "libx.so.1.2" },
        { name: "lib/libx.so", type: "symlink", linkname: "libx.so.1" },
        { name: "bin/x", type: "symlink", linkname: "../lib/libx.so" },
        { name: "lib/copy", type: "hardlink", linkname: "lib/libx.so.1.2" },
      ]) });
      await converge(tmp.dir, "- unarchive: { src: a.tar, dest: out }\n");
      expect(readFileSync(tmp.path("out/bin/x"), "utf8")).toBe("elf");
      expect(statSync(tmp.path("out/lib/copy")).ino).toBe(statSync(tmp.path("out/lib/libx.so.1.2")).ino);
    });
  });

  describe("duplicate entries: the last one wins, in dry-run and run alike", () => {
    test("a file given twice holds the second content, and a second run finds it in place", async () => {
      const tmp = sandbox({ "a.tar.gz": Bun.gzipSync(makeTar([{ name: "a", content: "first" }, { name: "d", type: "directory" }, { name: "a", content: "second" }, { name: "d", type: "directory" }]) as Uint8Array<ArrayBuffer>) });
      const { preview, first } = await converge(tmp.dir, "- unarchive: { src: a.tar.gz, dest: out }\n");
      expect(preview.changes[0]).toMatchObject({ kind: "create", reason: "2 of 2 entries to extract, dest does not exist" });
      expect(readFileSync(tmp.path("out/a"), "utf8")).toBe("second");
      expect(first.files.map((f) => f.path.slice(tmp.dir.length))).toEqual(["/out", "/out/a", "/out/d"]);
    });

    test("a link replaced by a file, and a file replaced by a link", async () => {
      const tmp = sandbox({ "a.tar": makeTar([{ name: "x", type: "symlink", linkname: "y" }, { name: "y", content: "y" }, { name: "x", content: "x" }, { name: "y", type: "symlink", linkname: "x" }]) });
      await converge(tmp.dir, "- unarchive: { src: a.tar, dest: out }\n");
      expect(readFileSync(tmp.path("out/x"), "utf8")).toBe("x");
      expect(readlinkSync(tmp.path("out/y"))).toBe("x");
    });

    test("a directory with entries replaced by a file is refused before anything is written", async () => {
      const tmp = sandbox({ "a.tar": makeTar([{ name: "d/f", content: "f" }, { name: "d", type: "directory" }, { name: "d", content: "file now" }]) });
      const preview = await runSteps(tmp.dir, "- unarchive: { src: a.tar, dest: out }\n", { dryRun: true });
      const message = `Cannot extract "${tmp.path("a.tar")}": entry "d" would replace the directory "d" and what the archive put in it`;
      expect(preview.errors).toEqual([message]);
      expect((await runSteps(tmp.dir, "- unarchive: { src: a.tar, dest: out }\n")).errors).toEqual([message]);
      expect(existsSync(tmp.path("out"))).toBe(false);
    });
  });

  describe("names", () => {
    test("a zip name without the UTF-8 flag is code page 437", async () => {
      const tmp = sandbox({ "a.zip": makeZip([{ name: "caf_.txt", rawName: new Uint8Array([0x63, 0x61, 0x66, 0x82, 0x2e, 0x74, 0x78, 0x74]), content: "latte" }, { name: "plain.txt", content: "p" }]) });
      await converge(tmp.dir, "- unarchive: { src: a.zip, dest: out }\n");
      expect(readdirSync(tmp.path("out")).sort()).toEqual(["café.txt", "plain.txt"]);
      expect(readFileSync(tmp.path("out/café.txt"), "utf8")).toBe("latte");
    });

    test("a UTF-8 zip name extracts as written", async () => {
      const tmp = sandbox({ "a.zip": makeZip([{ name: "日本/naïve.txt", content: "u" }]) });
      await converge(tmp.dir, "- unarchive: { src: a.zip, dest: out }\n");
      expect(readFileSync(tmp.path("out/日本/naïve.txt"), "utf8")).toBe("u");
    });

    test("a tar name that is not UTF-8 is refused, never guessed", async () => {
      const tmp = sandbox({ "a.tar": makeTar([{ name: "x", rawName: new Uint8Array([0x63, 0x61, 0x66, 0xe9]), content: "x" }]) });
      const run = await runSteps(tmp.dir, "- unarchive: { src: a.tar, dest: out }\n");
      expect(run.errors).toEqual([`Cannot extract "${tmp.path("a.tar")}": an entry's name is not valid UTF-8 ("caf\uFFFD")`]);
      expect(existsSync(tmp.path("out"))).toBe(false);
    });
  });

  describe("limits", () => {
    test("max_bytes and max_entries refuse with the limit and the field to raise", async () => {
      const tmp = sandbox({ "a.tar": makeTar([{ name: "a", content: "x".repeat(1000) }, { name: "b", content: "y".repeat(1000) }, { name: "c" }]) });
      const bytes = await runSteps(tmp.dir, "- unarchive: { src: a.tar, dest: out, max_bytes: 1500 }\n", { dryRun: true });
      expect(bytes.errors).toEqual([`Cannot extract "${tmp.path("a.tar")}": its files hold more than 1500 bytes (the max_bytes of this step); raise max_bytes to extract it`]);
      const entries = await runSteps(tmp.dir, "- unarchive: { src: a.tar, dest: out, max_entries: 2 }\n");
      expect(entries.errors).toEqual([`Cannot extract "${tmp.path("a.tar")}": it has more than 2 entries (the max_entries of this step); raise max_entries to extract it`]);
      expect(existsSync(tmp.path("out"))).toBe(false);
      await converge(tmp.dir, "- unarchive: { src: a.tar, dest: out, max_bytes: 2000, max_entries: 3 }\n");
    });

    test("by default an archive may hold 200 times its size (at least 256 MiB): a small bomb is refused at its header", async () => {
      const tmp = sandbox({ "bomb.tar": makeTar([{ name: "zeros", size: 300 * 1024 * 1024 }]) });
      const run = await runSteps(tmp.dir, "- unarchive: { src: bomb.tar, dest: out }\n", { dryRun: true });
      expect(run.errors).toEqual([`Cannot extract "${tmp.path("bomb.tar")}": its files hold more than 268435456 bytes (the default max_bytes: 200 times the archive's size, at least 256 MiB); raise max_bytes to extract it`]);
    });
  });

  test("zip entries stored, deflated in one call and deflated as a stream (over 2 MiB) extract byte for byte", async () => {
    const random = new Uint8Array(700 * 1024).map(() => Math.floor(Math.random() * 256));
    const large = new TextEncoder().encode("a line of a large text file\n".repeat(120_000));
    const tmp = sandbox({ "a.zip": makeZip([{ name: "stored.bin", data: random, stored: true }, { name: "small.bin", data: random }, { name: "large.txt", data: large }]) });
    await converge(tmp.dir, "- unarchive: { src: a.zip, dest: out }\n");
    expect(readFileSync(tmp.path("out/stored.bin")).equals(random)).toBe(true);
    expect(readFileSync(tmp.path("out/small.bin")).equals(random)).toBe(true);
    expect(readFileSync(tmp.path("out/large.txt")).equals(large)).toBe(true);
  });

  test.skipIf(!Bun.which("zip"))("a zip64 archive (zip -fz) extracts", async () => {
    const tmp = sandbox({ "src/a.txt": "hello\n" });
    Bun.spawnSync(["zip", "-q", "-fz", tmp.path("z64.zip"), "a.txt"], { cwd: tmp.path("src") });
    await converge(tmp.dir, "- unarchive: { src: z64.zip, dest: out }\n");
    expect(readFileSync(tmp.path("out/a.txt"), "utf8")).toBe("hello\n");
  });

  test("a zip entry whose content does not match its CRC-32 fails in dry-run and run, writing nothing", async () => {
    const zip = makeZip([{ name: "a.txt", content: "hello hello hello" }]);
    const crc = Buffer.from(zip).indexOf("PK\x01\x02", 0, "latin1") + 16; // the CRC-32 in the central directory
    zip[crc] = zip[crc]! ^ 1;
    const tmp = sandbox({ "bad.zip": zip });
    const message = `Cannot extract "${tmp.path("bad.zip")}": entry "a.txt" is corrupt (its size or CRC-32 does not match)`;
    expect((await runSteps(tmp.dir, "- unarchive: { src: bad.zip, dest: out }\n", { dryRun: true })).errors).toEqual([message]);
    expect((await runSteps(tmp.dir, "- unarchive: { src: bad.zip, dest: out }\n")).errors).toEqual([message]);
    expect(existsSync(tmp.path("out"))).toBe(false);
  });

  test.skipIf(!canMountSmallDisk())("a full disk fails naming the file and leaves no partial extraction (tmpfs in a private mount namespace)", () => {
    const big = new Uint8Array(2 * 1024 * 1024).map(() => Math.floor(Math.random() * 256));
    const tmp = sandbox({ "a.tar.gz": Bun.gzipSync(makeTar([{ name: "small.txt", content: "small" }, { name: "big.bin", data: big }]) as Uint8Array<ArrayBuffer>) });
    writeFileSync(tmp.path("site.yml"), `- unarchive: { src: ${tmp.path("a.tar.gz")}, dest: ${tmp.path("disk/out")} }\n`);
    const result = onSmallDisk(tmp.dir, 1024, `"$BIN" run -c "${tmp.path("site.yml")}" --raw --no-artifacts; echo "rc=$?"; ls -A "$DISK"`);
    expect(result.stdout).toContain(`Cannot extract "${tmp.path("disk/out/big.bin")}": no space left on device`);
    expect(result.stdout.trimEnd().endsWith("rc=3")).toBe(true); // nothing left on the disk: no dest, no staging directory
  }, 60_000);
});
