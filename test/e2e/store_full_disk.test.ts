import { afterEach, describe, expect, test } from "bun:test";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { runId, writeRun } from "../helpers/artifact_store.ts";
import { canMountSmallDisk, onSmallDisk } from "../helpers/small_disk.ts";
import { tempDir } from "../helpers/temp_dir.ts";

let tmp: ReturnType<typeof tempDir>;
afterEach(() => tmp.remove());

const usable = canMountSmallDisk();
if (!usable) console.warn("skipped: full-disk tests need root and unshare to mount a tmpfs in a private mount namespace");

function filesBelow(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true }).filter((d) => d.isFile()).map((d) => join(d.parentPath, d.name));
}

const sha = (bytes: Uint8Array) => new Bun.CryptoHasher("sha256").update(bytes).digest("hex");

describe.skipIf(!usable)("a full disk", () => {
  test("a run never leaves a truncated JSON artifact, says which file failed, and records what it can", () => {
    tmp = tempDir({ "site.yml": "- name: Talk\n  shell: seq 1 100000\n- name: Done\n  shell: echo done\n" });
    const frees = [0, 8, 24, 64, 160, 320, 480, 560, 600, 640, 680, 720, 800, 1200].map((k) => k * 1024);
    const script = `cd "$DISK"
for free in ${frees.join(" ")}; do
  rm -rf .mooncake; fill $free
  "$BIN" run -c "${tmp.path("site.yml")}" --raw > /dev/null 2> "$OUT/$free.err"; echo $? > "$OUT/$free.rc"
  "$BIN" runs list --format json > "$OUT/$free.list" 2> /dev/null
  mkdir -p "$OUT/$free"; cp -a .mooncake/. "$OUT/$free/" 2> /dev/null
done`;
    const result = onSmallDisk(tmp.dir, 2048, script);
    expect(result.stderr).toBe("");
    let degraded = 0;
    let recorded = 0;
    for (const free of frees) {
      const out = tmp.path(`out/${free}`);
      const stderr = readFileSync(`${out}.err`, "utf8");
      // The run goes on whatever the disk does; only a run directory that cannot be made stops it first (exit 2).
      const rc = readFileSync(`${out}.rc`, "utf8").trim();
      if (rc === "2") expect(stderr).toMatch(/^error: Cannot (create run directory|write) "\.mooncake\/runs\/[^"]+": no space left on device\n$/);
      else expect(rc).toBe("0");
      // Every error names the file: no bare "ENOSPC ... write".
      expect(stderr).not.toContain("ENOSPC");
      if (stderr) expect(stderr).toMatch(/^(warning: Run artifacts in "[^"]+" are incomplete|error): Cannot (write|create directory) "[^"]+": no space left on device\n$/);
      const files = filesBelow(out);
      for (const file of files) {
        expect(file).not.toMatch(/\.tmp$/);
        expect(file).not.toEndWith("run.lock");
        if (file.endsWith(".json")) expect(() => JSON.parse(readFileSync(file, "utf8"))).not.toThrow();
        if (file.endsWith(".jsonl")) for (const line of readFileSync(file, "utf8").split("\n").filter(Boolean)) expect(() => JSON.parse(line)).not.toThrow();
      }
      const summaryFile = files.find((f) => f.endsWith("summary.json"));
      if (!summaryFile) continue;
      recorded++;
      const summary = JSON.parse(readFileSync(summaryFile, "utf8"));
      const events = readFileSync(join(summaryFile, "..", "events.jsonl"), "utf8");
      if (!events.includes('"run.finished"')) {
        expect(summary.error_kind).toBe("artifacts");
        expect(summary.error_message).toMatch(/^Run artifacts are incomplete: Cannot write "[^"]+events\.jsonl": no space left on device$/);
        degraded++;
      }
      const history = existsSync(join(out, "runs", "history.jsonl")) ? readFileSync(join(out, "runs", "history.jsonl"), "utf8") : "";
      if (history.includes(summary.run_id)) expect(JSON.parse(readFileSync(`${out}.list`, "utf8")).runs[0].run_id).toBe(summary.run_id);
    }
    expect(recorded).toBeGreaterThan(2);
    expect(degraded).toBeGreaterThan(0);
  }, 120_000);

  test("compact --apply with too little room fails naming the file, keeps every original and leaves no partial output", () => {
    tmp = tempDir();
    const source = tmp.path("store");
    for (let i = 0; i < 4; i++) writeRun(source, { id: runId(i), status: "pass", events: 6000 });
    const before = new Map(filesBelow(join(source, "runs")).map((f) => [f.slice(source.length), sha(readFileSync(f))]));
    const result = onSmallDisk(tmp.dir, 8192, `cd "$DISK"
cp -a "${source}" .mooncake; printf 'compaction:\\n  jsonl: {min_size_kb: 10}\\n' > .mooncake/artifacts.yaml
fill 4096
"$BIN" artifacts compact --apply > "$OUT/compact.out" 2> "$OUT/compact.err"; echo $? > "$OUT/compact.rc"
for f in $(cd .mooncake && find runs -name 'events.jsonl*'); do "$BIN" artifacts cat ".mooncake/\${f%.mcz}" | sha256sum | cut -c1-64 > "$OUT/cat.\${f//\\//_}"; done
cp -a .mooncake "$OUT/store"`);
    expect(result.stderr).toBe("");
    expect(readFileSync(tmp.path("out/compact.rc"), "utf8").trim()).toBe("1");
    expect(readFileSync(tmp.path("out/compact.err"), "utf8")).toMatch(/^error: Cannot write "\.mooncake\/runs\/[^"]+\/events\.jsonl\.mcz": no space left on device\n$/);
    const after = filesBelow(tmp.path("out/store"));
    for (const file of after) expect(file).not.toMatch(/\.tmp$|\.store\.lock$/);
    for (const [rel, hash] of before) {
      if (!rel.endsWith("events.jsonl")) continue;
      expect(readFileSync(tmp.path(`out/cat.${rel.slice(1).replaceAll("/", "_")}${existsSync(tmp.path(`out/store${rel}`)) ? "" : ".mcz"}`), "utf8").trim()).toBe(hash);
    }
  }, 60_000);

  test("gc and scan on a full disk name the file they could not write and leave no lock behind", () => {
    tmp = tempDir();
    const source = tmp.path("store");
    for (let i = 0; i < 6; i++) writeRun(source, { id: runId(i), status: "pass" });
    const result = onSmallDisk(tmp.dir, 1024, `cd "$DISK"
cp -a "${source}" .mooncake; fill 0
"$BIN" artifacts scan > /dev/null 2> "$OUT/scan.err"; echo $? > "$OUT/scan.rc"
"$BIN" artifacts gc --keep 1 --apply --force > /dev/null 2> "$OUT/gc.err"; echo $? > "$OUT/gc.rc"
rm .filler; fill 6000
"$BIN" artifacts gc --keep 1 --apply --force > /dev/null 2> "$OUT/gc2.err"; echo $? > "$OUT/gc2.rc"
cp -a .mooncake "$OUT/store"`);
    expect(result.stderr).toBe("");
    for (const name of ["scan", "gc", "gc2"]) {
      expect(readFileSync(tmp.path(`out/${name}.rc`), "utf8").trim()).toBe("1");
      expect(readFileSync(tmp.path(`out/${name}.err`), "utf8")).toMatch(/^error: Cannot (write|create directory) "\.mooncake\/[^"]+": no space left on device\n$/);
    }
    const after = filesBelow(tmp.path("out/store"));
    for (const file of after) expect(file).not.toMatch(/\.tmp$|\.store\.lock$/);
    // Every run is in place or whole in the trash.
    for (let i = 0; i < 6; i++) {
      const inPlace = existsSync(tmp.path(`out/store/runs/${runId(i)}/summary.json`));
      const trashed = existsSync(tmp.path(`out/store/.trash/${runId(i)}/${runId(i)}/summary.json`));
      expect(inPlace !== trashed).toBe(true);
    }
  }, 60_000);
});
