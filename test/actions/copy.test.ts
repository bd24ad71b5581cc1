import { describe, expect, test } from "bun:test";
import { readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { sha256Bytes } from "../../core/fs/hash_file.ts";
import { converge, sandbox } from "../helpers/converge.ts";
import { runSteps } from "../helpers/run_steps.ts";

describe("copy", () => {
  test("creates dest, then skips while the content hash matches, and replaces it when it differs", async () => {
    const tmp = sandbox({ "src.txt": "one\n" });
    const { preview, first } = await converge(tmp.dir, "- copy: { src: src.txt, dest: out/dest.txt, mode: \"0640\" }\n");
    expect(preview.changes[0]).toMatchObject({ kind: "create", reason: "file does not exist (and 1 parent directory)" });
    expect(first.files.map((f) => [f.path.slice(tmp.dir.length), f.operation, f.size_bytes])).toEqual([["/out", "created", 0], ["/out/dest.txt", "created", 4]]);
    expect((statSync(tmp.path("out/dest.txt")).mode & 0o777).toString(8)).toBe("640");

    writeFileSync(tmp.path("src.txt"), "two\n");
    const { preview: again } = await converge(tmp.dir, "- copy: { src: src.txt, dest: out/dest.txt, backup: true }\n");
    expect(again.changes[0]).toMatchObject({ kind: "update", reason: "content differs" });
    expect(again.changes[0]?.diff).toContain("-one\n+two\n");
    expect(readFileSync(tmp.path("out/dest.txt"), "utf8")).toBe("two\n");
    expect(readdirSync(tmp.path("out")).filter((n) => n.endsWith("~"))).toHaveLength(1);
  });

  test("an existing directory as dest receives the file under its own name; force: false keeps an existing dest", async () => {
    const tmp = sandbox({ "src.txt": "new", "into/.keep": "", "kept.txt": "old" });
    await converge(tmp.dir, "- copy: { src: src.txt, dest: into }\n- copy: { src: src.txt, dest: kept.txt, force: false }\n");
    expect(readFileSync(tmp.path("into/src.txt"), "utf8")).toBe("new");
    expect(readFileSync(tmp.path("kept.txt"), "utf8")).toBe("old");
  });

  test("preserve_mode and preserve_times take them from src", async () => {
    const tmp = sandbox({ "tool.sh": "#!/bin/sh\n" });
    const { chmodSync } = await import("node:fs");
    chmodSync(tmp.path("tool.sh"), 0o750);
    utimesSync(tmp.path("tool.sh"), new Date("2020-01-02T03:04:05Z"), new Date("2020-01-02T03:04:05Z"));
    await converge(tmp.dir, "- copy: { src: tool.sh, dest: bin/tool.sh, preserve_mode: true, preserve_times: true }\n");
    const copied = statSync(tmp.path("bin/tool.sh"));
    expect((copied.mode & 0o777).toString(8)).toBe("750");
    expect(copied.mtime.toISOString()).toBe("2020-01-02T03:04:05.000Z");
  });

  test("a checksum that does not match fails before anything is written; a matching one copies", async () => {
    const tmp = sandbox({ "src.bin": "payload" });
    const wrong = await runSteps(tmp.dir, `- copy: { src: src.bin, dest: dest.bin, checksum: "sha256:${"0".repeat(64)}" }\n`);
    expect(wrong.errors).toEqual([`Cannot copy "${tmp.path("src.bin")}": its sha256 is ${sha256Bytes("payload")}, expected ${"0".repeat(64)}`]);
    expect(readdirSync(tmp.dir).sort()).toEqual(["site.yml", "src.bin"]);
    await converge(tmp.dir, `- copy: { src: src.bin, dest: dest.bin, checksum: "${sha256Bytes("payload")}" }\n`);
  });

  test("a missing src and a src that is a directory fail with their reason", async () => {
    const tmp = sandbox({ "dir/x": "" });
    const missing = await runSteps(tmp.dir, "- copy: { src: nope, dest: d }\n");
    expect(missing.errors).toEqual([`Cannot copy "${tmp.path("nope")}": no such file`]);
    const directory = await runSteps(tmp.dir, "- copy: { src: dir, dest: d }\n");
    expect(directory.errors).toEqual([`Cannot copy "${tmp.path("dir")}": it is a directory (sync copies trees)`]);
  });

  test("a large file is copied through a temporary file and summarised, not diffed", async () => {
    const big = new Uint8Array(3 * 1024 * 1024).fill(97);
    const tmp = sandbox({ "big.bin": big, "dest.bin": "small" });
    const { preview } = await converge(tmp.dir, "- copy: { src: big.bin, dest: dest.bin }\n");
    expect(preview.changes[0]?.diff).toBe(`--- ${tmp.path("dest.bin")}\n+++ ${tmp.path("dest.bin")}\nContent differs (5 -> ${big.length} bytes, too large to compare line by line)\n`);
    expect(readdirSync(tmp.dir).filter((n) => n.endsWith(".tmp"))).toEqual([]);
  });
});
