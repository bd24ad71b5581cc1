import { describe, expect, test } from "bun:test";
import { chmodSync, lutimesSync, readdirSync, readFileSync, symlinkSync, utimesSync } from "node:fs";
import { walkTree } from "../../core/fs/walk_tree.ts";
import { converge, sandbox } from "../helpers/converge.ts";
import { runSteps } from "../helpers/run_steps.ts";
import { treeSnapshot } from "../helpers/tree_snapshot.ts";

const hasRsync = Bun.which("rsync") !== null;
const engines = ["builtin", ...(hasRsync ? ["rsync"] : [])] as const;
if (!hasRsync) console.warn("sync.test.ts: rsync is not on PATH, so the rsync engine tests are skipped (the built-in engine is tested)");

/** A source tree with nested files, an executable, a link, and stale entries in dest. */
function fixture() {
  const tmp = sandbox({
    "src/index.html": "<h1>home</h1>\n",
    "src/assets/app.js": "console.log(1)\n",
    "src/assets/cache/big.tmp": "excluded",
    "src/debug.log": "excluded too",
    "src/bin/run.sh": "#!/bin/sh\n",
    "dest/stale.txt": "old",
    "dest/index.html": "<h1>old home</h1>\n",
    "dest/keep.log": "excluded, so kept despite delete",
  });
  chmodSync(tmp.path("src/bin/run.sh"), 0o755);
  symlinkSync("index.html", tmp.path("src/home.html"));
  // Times well in the past: rsync leaves a directory time alone when it falls in the same second.
  const past = new Date("2021-01-01T00:00:00Z");
  for (const entry of [...walkTree(tmp.path("src")).reverse(), { path: tmp.path("src") }]) lutimesSync(entry.path, past, past);
  return tmp;
}

const config = (engine: string) => `- sync: { src: src, dest: dest, delete: true, exclude: ["*.log", "cache/"], engine: ${engine} }\n`;

describe("sync", () => {
  for (const engine of engines) {
    test(`${engine}: makes dest equal to src, removes the rest, keeps excluded entries, then changes nothing`, async () => {
      const tmp = fixture();
      const { preview, first } = await converge(tmp.dir, config(engine));
      expect(preview.changes[0]).toMatchObject({ kind: "update", reason: `5 to create, 1 to update, 1 to remove (with ${engine})` });
      expect(preview.changes[0]?.detail).toBe([tmp.path("dest"), "- stale.txt", "+ assets", "+ assets/app.js", "+ bin", "+ bin/run.sh", "+ home.html", "~ index.html"].join("\n"));
      expect(first.files.map((f) => `${f.operation} ${f.path.slice(tmp.dir.length)}`)).toEqual([
        "removed /dest/stale.txt", "created /dest/assets", "created /dest/assets/app.js", "created /dest/bin", "created /dest/bin/run.sh", "created /dest/home.html", "modified /dest/index.html",
      ]);
      expect(readdirSync(tmp.path("dest")).sort()).toEqual(["assets", "bin", "home.html", "index.html", "keep.log"]);
      expect(readFileSync(tmp.path("dest/home.html"), "utf8")).toBe("<h1>home</h1>\n");
      expect(treeSnapshot(tmp.path("dest"), ["keep.log"])).toEqual(treeSnapshot(tmp.path("src"), ["debug.log", "assets/cache"]));
    });
  }

  test.skipIf(!hasRsync)("rsync and the built-in copy produce identical trees (modes, times, links)", async () => {
    const tmp = fixture();
    utimesSync(tmp.path("src/index.html"), new Date("2021-05-06T07:08:09Z"), new Date("2021-05-06T07:08:09Z"));
    await runSteps(tmp.dir, "- sync: { src: src, dest: a, engine: builtin }\n- sync: { src: src, dest: b, engine: rsync }\n");
    expect(treeSnapshot(tmp.path("a"))).toEqual(treeSnapshot(tmp.path("b")));
    expect(treeSnapshot(tmp.path("a"))).toEqual(treeSnapshot(tmp.path("src")));
  });

  test("checksum compares content: a same-size, same-time edit is found only with it", async () => {
    const tmp = sandbox({ "src/f": "aaaa", "dest/f": "bbbb" });
    const time = new Date("2022-01-01T00:00:00Z");
    utimesSync(tmp.path("src/f"), time, time);
    utimesSync(tmp.path("dest/f"), time, time);
    const quick = await runSteps(tmp.dir, "- sync: { src: src, dest: dest, engine: builtin }\n", { dryRun: true });
    expect(quick.changes[0]).toMatchObject({ kind: "none", reason: "dest already matches src" });
    await converge(tmp.dir, "- sync: { src: src, dest: dest, checksum: true, engine: builtin }\n");
    expect(readFileSync(tmp.path("dest/f"), "utf8")).toBe("aaaa");
  });

  test("a missing src and a file as dest fail with their reason", async () => {
    const tmp = sandbox({ "file": "x", "src/a": "1" });
    const missing = await runSteps(tmp.dir, "- sync: { src: nope, dest: d }\n");
    expect(missing.errors).toEqual([`Cannot sync "${tmp.path("nope")}": no such directory`]);
    const blocked = await runSteps(tmp.dir, "- sync: { src: src, dest: file }\n");
    expect(blocked.errors).toEqual([`Cannot sync into "${tmp.path("file")}": a file is in the way`]);
  });
});
