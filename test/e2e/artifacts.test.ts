import { afterEach, describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { BINARY, runBinary, type BinaryResult } from "../helpers/run_binary.ts";
import { artifactChunks, readChunks } from "../../artifacts/compact/read_artifact.ts";
import { runId, writeRun } from "../helpers/artifact_store.ts";
import { peakRss } from "../helpers/peak_rss.ts";
import { tempDir } from "../helpers/temp_dir.ts";

let cleanup: (() => void)[] = [];
afterEach(() => {
  for (const remove of cleanup) remove();
  cleanup = [];
});

function store(runs: number, options: { rootFiles?: string[] } = {}) {
  const tmp = tempDir();
  cleanup.push(tmp.remove);
  const root = tmp.path(".mooncake");
  const files = options.rootFiles ?? ["/srv/site.yml"];
  for (let i = 0; i < runs; i++) writeRun(root, { id: runId(i), status: i % 4 === 3 ? "fail" : "pass", rootFile: files[i % files.length] });
  return { dir: tmp.dir, root, path: tmp.path };
}

function mooncake(dir: string, ...args: string[]): BinaryResult {
  return runBinary(["artifacts", ...args], { cwd: dir });
}

function expectNoStackTrace(result: BinaryResult): void {
  expect(`${result.stdout}${result.stderr}`).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
}

function runsOnDisk(root: string): string[] {
  return readdirSync(join(root, "runs")).filter((n) => /^\d{8}-/.test(n)).sort();
}

describe("mooncake artifacts list", () => {
  test("prints the table with its legend and totals", () => {
    const s = store(3);
    const result = mooncake(s.dir, "list");
    expect(result.exitCode).toBe(0);
    const lines = result.stdout.split("\n");
    expect(lines[0]).toMatch(/^ID\s+FAMILY\s+TIMESTAMP\s+SIZE\s+STATUS\s+PINNED\s+FILES$/);
    expect(lines[1]).toMatch(/^20260204-020000-a3f2c8\s+site\.yml\s+2026-02-04 02:00:00\s+\S+\s+ok\*\+\s+6$/);
    expect(result.stdout).toContain("Legend: * = last run, + = last ok run (the last pass gc keeps), ! = run in progress, 📌 = pinned");
    expect(result.stdout).toMatch(/Total: 3 entries, \S+, 18 files, 1 family/);
  });

  test("--format json gives every entry with its status", () => {
    const s = store(2);
    writeRun(s.root, { id: runId(5), status: "incomplete" });
    const result = mooncake(s.dir, "list", "--format", "json");
    const parsed = JSON.parse(result.stdout);
    expect(parsed.entries.map((e: { id: string; status: string }) => `${e.id} ${e.status}`)).toEqual([
      "20260204-000000-a3f2c8 pass", "20260204-010000-a3f2c8 pass", "20260204-050000-a3f2c8 incomplete",
    ]);
    expect(parsed.totals.entries).toBe(3);
  });

  test("an unknown --family is a usage error naming the families", () => {
    const s = store(1);
    const result = mooncake(s.dir, "list", "--family", "nope");
    expect(result.exitCode).toBe(2);
    expect(result.stdout + result.stderr).toContain('Unknown family "nope": the store has "site.yml"');
    expectNoStackTrace(result);
  });

  test("a missing store is a clear error", () => {
    const tmp = tempDir();
    cleanup.push(tmp.remove);
    const result = mooncake(tmp.dir, "list");
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toBe('error: Cannot read store ".mooncake": no such directory\n');
  });
});

describe("mooncake artifacts gc", () => {
  test("is a dry run by default and gives every decision's reason", () => {
    const s = store(6);
    const result = mooncake(s.dir, "gc", "--keep", "2", "--verbose");
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain("Retention plan (dry run: nothing is moved without --apply)");
    expect(result.stdout).toContain("To delete: 4 entries");
    expect(result.stdout).toMatch(/\+\s+20260204-050000-a3f2c8\s+site\.yml\s+kept: last run of family site\.yml/);
    expect(result.stdout).toMatch(/\+\s+20260204-040000-a3f2c8\s+site\.yml\s+kept: rank 2 of keep 2/);
    expect(result.stdout).toMatch(/-\s+20260204-000000-a3f2c8\s+site\.yml\s+deleted: rank 6 beyond keep 2/);
    expect(runsOnDisk(s.root)).toHaveLength(6);
  });

  test("--apply without a terminal asks for --force and moves nothing", () => {
    const s = store(4);
    const result = mooncake(s.dir, "gc", "--keep", "1", "--apply");
    expect(result.exitCode).toBe(2);
    expect(result.stdout + result.stderr).toContain("gc --apply needs confirmation: run it on a terminal, or add --force");
    expect(runsOnDisk(s.root)).toHaveLength(4);
  });

  test("--apply --force moves entries to the trash, writes a report and the manifest; restore brings one back", () => {
    const s = store(5);
    const result = mooncake(s.dir, "gc", "--keep", "2", "--apply", "--force");
    expect(result.exitCode).toBe(0);
    expect(runsOnDisk(s.root)).toEqual([runId(3), runId(4)]);
    const trash = readdirSync(join(s.root, ".trash")).sort();
    expect(trash.filter((n) => n.startsWith("gc_report_"))).toHaveLength(1);
    expect(existsSync(join(s.root, ".trash", runId(0), runId(0), "summary.json"))).toBe(true);
    const manifest = JSON.parse(readFileSync(join(s.root, ".manifest.json"), "utf8"));
    expect(manifest.entries.map((e: { id: string }) => e.id)).toEqual([runId(3), runId(4)]);

    const restored = mooncake(s.dir, "restore", "--id", runId(0));
    expect(restored.stdout).toBe(`Restored ${runId(0)} to .mooncake/runs/${runId(0)}\n`);
    expect(runsOnDisk(s.root)).toEqual([runId(0), runId(3), runId(4)]);
    expect(mooncake(s.dir, "trash", "list", "--format", "json").stdout).not.toContain(`"id": "${runId(0)}"`);
  });

  test("a pinned run is kept with its reason, and unpin lets gc delete it", () => {
    const s = store(4);
    expect(mooncake(s.dir, "pin", "--id", runId(0)).stdout).toBe(`Pinned ${runId(0)}\n`);
    const plan = JSON.parse(mooncake(s.dir, "gc", "--keep", "1", "--format", "json").stdout);
    expect(plan.decisions.find((d: { id: string }) => d.id === runId(0))).toMatchObject({ action: "keep", reason: "kept: pinned" });
    expect(mooncake(s.dir, "list").stdout).toMatch(new RegExp(`${runId(0)}.*📌`));
    mooncake(s.dir, "unpin", "--id", runId(0));
    const after = JSON.parse(mooncake(s.dir, "gc", "--keep", "1", "--format", "json").stdout);
    expect(after.decisions.find((d: { id: string }) => d.id === runId(0))).toMatchObject({ action: "delete" });
  });

  test("a run holding its lock is never touched", () => {
    const s = store(3);
    writeRun(s.root, { id: runId(-5), status: "incomplete", lockPid: process.pid });
    const result = mooncake(s.dir, "gc", "--keep", "0", "--apply", "--force");
    expect(result.stdout).toMatch(/\+\s+20260203-190000-a3f2c8\s+\(unknown\)\s+kept: run in progress|kept: run in progress/);
    expect(runsOnDisk(s.root)).toContain(runId(-5));
  });

  test("a second gc while one holds the store lock fails with the holder's pid", () => {
    const s = store(3);
    writeFileSync(join(s.root, ".store.lock"), JSON.stringify({ pid: process.pid, command: "gc", started_at: "2026-02-04T00:00:00Z" }));
    const result = mooncake(s.dir, "gc", "--keep", "1", "--apply", "--force");
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain(`is locked by pid ${process.pid} (mooncake artifacts gc`);
    expect(runsOnDisk(s.root)).toHaveLength(3);
  });

  test("--wait waits for the holder of the store lock to end", async () => {
    const s = store(3);
    const holder = Bun.spawn(["sleep", "0.6"]);
    writeFileSync(join(s.root, ".store.lock"), JSON.stringify({ pid: holder.pid, command: "compact", started_at: "2026-02-04T00:00:00Z" }));
    // Spawned, not spawnSync: the event loop must run to reap the holder when it ends.
    const gc = Bun.spawn([BINARY, "artifacts", "gc", "--keep", "1", "--apply", "--force", "--wait", "10"], { cwd: s.dir, stdout: "ignore", stderr: "pipe" });
    expect(await gc.exited).toBe(0);
    expect(runsOnDisk(s.root)).toHaveLength(1);
  });

  test("a lock left by a dead process is taken over", () => {
    const s = store(3);
    writeFileSync(join(s.root, ".store.lock"), JSON.stringify({ pid: 2 ** 22 + 12345, command: "gc", started_at: "2026-02-04T00:00:00Z" }));
    const result = mooncake(s.dir, "gc", "--keep", "1", "--apply", "--force");
    expect(result.exitCode).toBe(0);
    expect(runsOnDisk(s.root)).toHaveLength(1);
    expect(existsSync(join(s.root, ".store.lock"))).toBe(false);
  });

  test("two gc at once lose nothing: every entry is in place or whole in the trash", async () => {
    const s = store(40);
    const spawn = () => Bun.spawn([BINARY, "artifacts", "gc", "--keep", "5", "--apply", "--force"], { cwd: s.dir, stdout: "pipe", stderr: "pipe" });
    const [a, b] = [spawn(), spawn()];
    const codes = await Promise.all([a.exited, b.exited]);
    const errors = (await new Response(a.stderr).text()) + (await new Response(b.stderr).text());
    expect(codes).toContain(0);
    if (codes.includes(1)) expect(errors).toContain("is locked by pid");
    expect(runsOnDisk(s.root)).toHaveLength(5);
    const trashed = readdirSync(join(s.root, ".trash")).filter((n) => !n.endsWith(".md"));
    expect(trashed).toHaveLength(35);
    for (const t of trashed) expect(readdirSync(join(s.root, ".trash", t, t)).sort()).toEqual(["diff.json", "events.jsonl", "facts.json", "plan.json", "results.json", "summary.json"]);
  });

  test("after kill -9 during gc --apply the store is consistent and a scan repairs the manifest", async () => {
    for (const delay of [5, 40, 120]) {
      const s = store(300);
      expect(mooncake(s.dir, "scan").exitCode).toBe(0);
      const child = Bun.spawn([BINARY, "artifacts", "gc", "--keep", "3", "--apply", "--force"], { cwd: s.dir, stdout: "ignore", stderr: "ignore" });
      await Bun.sleep(delay);
      child.kill(9);
      await child.exited;
      const inPlace = runsOnDisk(s.root);
      const trashed = existsSync(join(s.root, ".trash")) ? readdirSync(join(s.root, ".trash")).filter((n) => !n.endsWith(".md")) : [];
      const whole = (dir: string) => readdirSync(dir).length === 6 || (readdirSync(dir).includes("summary.json") && statSync(dir).isDirectory());
      for (const id of trashed) {
        const content = join(s.root, ".trash", id, id);
        // Either the record was written and the rename never happened (content still in place), or it is whole.
        if (existsSync(content)) expect(whole(content)).toBe(true);
        else expect(inPlace).toContain(id);
      }
      const all = new Set([...inPlace, ...trashed.filter((id) => existsSync(join(s.root, ".trash", id, id)))]);
      expect(all.size).toBe(300);
      for (const id of inPlace) expect(whole(join(s.root, "runs", id))).toBe(true);
      const scan = mooncake(s.dir, "scan");
      expect(scan.exitCode).toBe(0);
      const manifest = JSON.parse(readFileSync(join(s.root, ".manifest.json"), "utf8"));
      expect(manifest.entries.map((e: { id: string }) => e.id).sort()).toEqual(inPlace);
    }
  }, 60_000);
});

describe("mooncake artifacts scan", () => {
  test("a truncated manifest is reported and rebuilt, its backup kept", () => {
    const s = store(3);
    expect(mooncake(s.dir, "scan").exitCode).toBe(0);
    const manifest = readFileSync(join(s.root, ".manifest.json"), "utf8");
    writeFileSync(join(s.root, ".manifest.json"), manifest.slice(0, 200));
    const result = mooncake(s.dir, "scan");
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain("Previous manifest was unusable (it is not valid JSON");
    expect(JSON.parse(readFileSync(join(s.root, ".manifest.json"), "utf8")).entries).toHaveLength(3);
  });

  test("reuses checksums of unchanged files unless --force", () => {
    const s = store(2);
    mooncake(s.dir, "scan");
    const again = JSON.parse(mooncake(s.dir, "scan", "--format", "json").stdout);
    expect(again).toMatchObject({ entries: 2, files: 12, hashed: 0, reused: 12 });
    const forced = JSON.parse(mooncake(s.dir, "scan", "--force", "--format", "json").stdout);
    expect(forced).toMatchObject({ hashed: 12, reused: 0 });
  });
});

describe("mooncake artifacts policy", () => {
  test("a typo in artifacts.yaml is an error at its line and column, exit 2", () => {
    const s = store(2);
    writeFileSync(join(s.root, "artifacts.yaml"), "retention:\n  bench: {keep: 10, pin: []}\n  proofs:\n    kepp: 3\ngc:\n  always_keep: [last_pass, pinned, last_run]\n");
    const result = mooncake(s.dir, "gc");
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toBe('.mooncake/artifacts.yaml:4:5: error: retention.proofs.kepp: Unknown key "kepp": did you mean "keep"?\n');
    expectNoStackTrace(result);
  });

  test("seed 002's layout: families from globs, per-family keep, a pinned id", () => {
    const tmp = tempDir();
    cleanup.push(tmp.remove);
    const root = tmp.path("artifacts");
    const stamps = ["20250901_120000", "20250902_120000", "20250903_120000", "20250904_120000"];
    for (const [i, stamp] of stamps.entries()) {
      mkdirSync(join(root, "bench", stamp), { recursive: true });
      writeFileSync(join(root, "bench", stamp, "p99_latency.json"), JSON.stringify({ status: i === 1 ? "PASS" : "FAIL", p99_ms: 12 }));
      writeFileSync(join(root, "bench", stamp, "bench.md"), "# Bench\n");
      mkdirSync(join(root, "microstructure", "proofs"), { recursive: true });
      writeFileSync(join(root, "microstructure", "proofs", `proof_${stamp}.jsonl`), '{"a":1}\n');
    }
    writeFileSync(join(root, "artifacts.yaml"), [
      "families:",
      '  bench: {glob: "bench/*"}',
      '  proofs: {glob: "microstructure/proofs/*.jsonl"}',
      "retention:",
      "  bench: {keep: 1, pin: []}",
      '  proofs: {keep: 2, pin: ["microstructure/proofs/proof_20250901_120000.jsonl"]}',
    ].join("\n"));
    const plan = JSON.parse(runBinary(["artifacts", "gc", "--root", "artifacts", "--format", "json"], { cwd: tmp.dir }).stdout);
    expect(plan.decisions.map((d: { id: string; reason: string }) => `${d.id}: ${d.reason}`)).toEqual([
      "bench/20250901_120000: deleted: rank 4 beyond keep 1",
      "bench/20250902_120000: kept: last pass of family bench",
      "bench/20250903_120000: deleted: rank 2 beyond keep 1",
      "bench/20250904_120000: kept: last run of family bench",
      "microstructure/proofs/proof_20250901_120000.jsonl: kept: pinned",
      "microstructure/proofs/proof_20250902_120000.jsonl: deleted: rank 3 beyond keep 2",
      "microstructure/proofs/proof_20250903_120000.jsonl: kept: rank 2 of keep 2",
      "microstructure/proofs/proof_20250904_120000.jsonl: kept: last run of family proofs",
    ]);
  });

  test("seed 001's layout: last_run.json is never deleted, --family and --keep as gc_runs.py", () => {
    const tmp = tempDir();
    cleanup.push(tmp.remove);
    const root = tmp.path("dash");
    for (let i = 0; i < 4; i++) {
      const run = join(root, "runs", "codemonkeys-dash", `2026-01-0${i + 1}T10-00-00`);
      mkdirSync(join(run, "evidence"), { recursive: true });
      writeFileSync(join(run, "pytest_output.log"), "ok\n");
      writeFileSync(join(run, "evidence", "screenshot.png"), "png");
    }
    writeFileSync(join(root, "runs", "codemonkeys-dash", "last_run.json"), JSON.stringify({ schema_version: "0.1", status: "pass" }));
    const old = new Date("2020-01-01");
    utimesSync(join(root, "runs", "codemonkeys-dash", "last_run.json"), old, old);
    writeFileSync(join(root, "artifacts.yaml"), 'families:\n  codemonkeys-dash: {glob: "runs/codemonkeys-dash/*"}\n');
    const result = runBinary(["artifacts", "gc", "--root", "dash", "--family", "codemonkeys-dash", "--keep", "1", "--apply", "--force"], { cwd: tmp.dir });
    expect(result.exitCode).toBe(0);
    expect(readdirSync(join(root, "runs", "codemonkeys-dash")).sort()).toEqual(["2026-01-04T10-00-00", "last_run.json"]);
  });
});

describe("mooncake artifacts compact, cat, expand, verify", () => {
  function bigStore(runs: number, events = 2000) {
    const tmp = tempDir();
    cleanup.push(tmp.remove);
    const root = tmp.path(".mooncake");
    for (let i = 0; i < runs; i++) writeRun(root, { id: runId(i), status: "pass", events });
    writeFileSync(join(root, "artifacts.yaml"), "compaction:\n  jsonl: {min_size_kb: 10, dict_threshold: 5}\n");
    return { dir: tmp.dir, root };
  }
  const sha = (bytes: Uint8Array | string) => new Bun.CryptoHasher("sha256").update(bytes).digest("hex");
  const shaOfFile = (path: string) => {
    const hasher = new Bun.CryptoHasher("sha256");
    for (const chunk of readChunks(path)) hasher.update(chunk);
    return hasher.digest("hex");
  };

  test("compact is a dry run by default; --apply shrinks events.jsonl and cat and expand give the original bytes", () => {
    const s = bigStore(2);
    const events = join(s.root, "runs", runId(0), "events.jsonl");
    // A garbage line must survive compaction as it is.
    writeFileSync(events, `${readFileSync(events, "utf8")}this line is garbage {"x":\n`);
    const original = readFileSync(events);
    const dry = mooncake(s.dir, "compact");
    expect(dry.stdout).toMatch(/plan {2}runs\/20260204-000000-a3f2c8\/events\.jsonl {2}jsonl {2}\S+ -> \S+/);
    expect(existsSync(events)).toBe(true);

    const applied = JSON.parse(mooncake(s.dir, "compact", "--apply", "--format", "json").stdout);
    expect(applied.totals.files).toBe(2);
    expect(applied.totals.after * 10).toBeLessThan(applied.totals.before);
    expect(existsSync(events)).toBe(false);
    expect(existsSync(`${events}.mcz`)).toBe(true);

    const cat = Bun.spawnSync([BINARY, "artifacts", "cat", events], { cwd: s.dir });
    expect(sha(cat.stdout)).toBe(sha(original));
    // verify reads the compacted file as its original: checksum good, the garbage line found.
    const verify = mooncake(s.dir, "verify");
    expect(verify.stdout).toStartWith(`invalid: runs/${runId(0)}/events.jsonl: Invalid artifact: line 2001 is not JSON\n✗`);

    expect(mooncake(s.dir, "expand", "--apply").exitCode).toBe(0);
    expect(sha(readFileSync(events))).toBe(sha(original));
    expect(existsSync(`${events}.mcz`)).toBe(false);
  }, 30_000);

  test("after kill -9 during compact --apply every file reads back as its original", async () => {
    for (const delay of [20, 80, 200]) {
      const s = bigStore(30, 3000);
      const before = new Map<string, string>();
      for (let i = 0; i < 30; i++) before.set(runId(i), sha(readFileSync(join(s.root, "runs", runId(i), "events.jsonl"))));
      const child = Bun.spawn([BINARY, "artifacts", "compact", "--apply"], { cwd: s.dir, stdout: "ignore", stderr: "ignore" });
      await Bun.sleep(delay);
      child.kill(9);
      await child.exited;
      for (let i = 0; i < 30; i++) {
        const path = join(s.root, "runs", runId(i), "events.jsonl");
        expect(sha(Buffer.concat(Array.from(artifactChunks(path), (chunk) => Buffer.from(chunk))))).toBe(before.get(runId(i))!);
      }
      // The next compact finishes the job, and verify agrees with a fresh scan.
      expect(mooncake(s.dir, "compact", "--apply").exitCode).toBe(0);
      expect(mooncake(s.dir, "verify").exitCode).toBe(0);
    }
  }, 300_000); // about 100 runs of the binary: a hang guard, slow on a loaded machine

  test("verify reports missing, corrupt, invalid and unknown-version files, exit 1", () => {
    const s = store(4);
    expect(mooncake(s.dir, "scan").exitCode).toBe(0);
    const run = (n: number, file: string) => join(s.root, "runs", runId(n), file);
    Bun.spawnSync(["rm", run(0, "facts.json")]);
    writeFileSync(run(1, "diff.json"), '{"schema_version":1,"changed_files":[],"total":1}');
    writeFileSync(run(2, "events.jsonl"), '{"a":1}\ngarbage\n');
    writeFileSync(run(3, "results.json"), '{"schema_version":"9.9"}');
    expect(mooncake(s.dir, "verify").exitCode).toBe(1);
    expect(mooncake(s.dir, "scan").exitCode).toBe(0);
    const result = mooncake(s.dir, "verify");
    expect(result.exitCode).toBe(1);
    expect(result.stdout.split("\n")).toEqual([
      "invalid: runs/20260204-020000-a3f2c8/events.jsonl: Invalid artifact: line 2 is not JSON",
      "unknown_version: runs/20260204-030000-a3f2c8/results.json: Unsupported schema version: \"9.9\"",
      "✗ 23 files checked: 0 missing, 0 corrupt, 1 invalid, 1 unknown version",
      "",
    ]);
  });

  test("verify before the rescan sees the changed and missing files", () => {
    const s = store(2);
    mooncake(s.dir, "scan");
    Bun.spawnSync(["rm", join(s.root, "runs", runId(0), "facts.json")]);
    writeFileSync(join(s.root, "runs", runId(1), "diff.json"), "{}");
    const result = JSON.parse(mooncake(s.dir, "verify", "--format", "json").stdout);
    expect(result.problems.map((p: { kind: string; path: string }) => `${p.kind} ${p.path}`)).toEqual([
      `missing runs/${runId(0)}/facts.json`, `corrupt runs/${runId(1)}/diff.json`,
    ]);
  });

  test("verify reads a file compacted or expanded since the scan as the same content", () => {
    const s = bigStore(1);
    expect(mooncake(s.dir, "scan").exitCode).toBe(0);
    const events = join(s.root, "runs", runId(0), "events.jsonl");
    const manifest = readFileSync(join(s.root, ".manifest.json"));
    expect(mooncake(s.dir, "compact", "--apply").exitCode).toBe(0);
    expect(existsSync(`${events}.mcz`)).toBe(true);
    // The manifest of before the compaction, as after a crash before its rescan.
    writeFileSync(join(s.root, ".manifest.json"), manifest);
    expect(mooncake(s.dir, "verify").stdout).toStartWith("✓ ");
  });

  test("compact --apply and cat of a 64 MB events.jsonl stay under 200 MB of memory and give the original bytes", async () => {
    const s = bigStore(1);
    const events = join(s.root, "runs", runId(0), "events.jsonl");
    // Written by a child, and hashed a chunk at a time, so this test process stays small.
    const bench = join(import.meta.dir, "..", "..", "scripts", "bench", "compaction.ts");
    expect(Bun.spawnSync([process.execPath, "-e", `import { writeEvents } from ${JSON.stringify(bench)}; writeEvents(${JSON.stringify(events)}, 64)`]).exitCode).toBe(0);
    const original = shaOfFile(events);
    const compact = await peakRss([BINARY, "artifacts", "compact", "--apply"], { cwd: s.dir });
    expect(compact.exitCode).toBe(0);
    expect(existsSync(`${events}.mcz`)).toBe(true);
    const out = join(s.dir, "cat.out");
    const cat = await peakRss([BINARY, "artifacts", "cat", events], { cwd: s.dir, stdoutFile: out });
    expect(cat.exitCode).toBe(0);
    expect(shaOfFile(out)).toBe(original);
    // Generous bounds (the target is 200 MB whatever the size): a codec that held the file would take several times 64 MB.
    expect(compact.peakMb).toBeLessThan(200);
    expect(cat.peakMb).toBeLessThan(200);
  }, 240_000);

  test("verify on a truncated manifest is a clear error, exit 1", () => {
    const s = store(1);
    mooncake(s.dir, "scan");
    writeFileSync(join(s.root, ".manifest.json"), "{\"schema_version\":1,\"entr");
    const result = mooncake(s.dir, "verify");
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(/^error: Cannot read manifest "\.mooncake\/\.manifest\.json": it is not valid JSON .*; run `mooncake artifacts scan` to rebuild it\n$/);
    expectNoStackTrace(result);
  });
});
