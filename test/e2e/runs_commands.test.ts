import { afterEach, expect, test } from "bun:test";
import { appendFileSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { COMPACT_SUFFIX, compactBytes } from "../../artifacts/compact/compacted_file.ts";
import { BINARY, runBinary } from "../helpers/run_binary.ts";
import { tempDir } from "../helpers/temp_dir.ts";

let tmp: ReturnType<typeof tempDir>;
afterEach(() => tmp.remove());

const FAILING = `
- name: Greet
  shell: echo hello
- name: Break
  shell: "echo first >&2; echo it broke >&2; exit 4"
`;

test("runs list shows the recorded runs newest first, as text and as JSON", () => {
  tmp = tempDir({ "site.yml": FAILING });
  runBinary(["run", "-c", "site.yml", "--raw"], { cwd: tmp.dir });
  runBinary(["run", "-c", "site.yml", "--raw", "--dry-run"], { cwd: tmp.dir });
  const json = runBinary(["runs", "list", "--format", "json"], { cwd: tmp.dir });
  expect(json.exitCode).toBe(0);
  const { runs, problems } = JSON.parse(json.stdout);
  expect(runs.map((r: any) => [r.status, r.dry_run])).toEqual([["ok", true], ["failed", false]]);
  expect(problems).toEqual([]);
  const text = runBinary(["runs", "list"], { cwd: tmp.dir });
  const [header, ...lines] = text.stdout.trimEnd().split("\n");
  expect(header).toMatch(/^RUN ID +STATUS +STARTED +TOOK +STEPS +CONFIG$/);
  expect(lines[0]).toMatch(new RegExp(`^${runs[0].run_id} +ok \\(dry-run\\)  `));
  expect(lines[1]).toMatch(new RegExp(`^${runs[1].run_id} +failed  `));
  expect(lines[1]).toContain("0 ok, 1 changed, 0 skipped, 1 failed  ");
  for (const column of ["STATUS", "STARTED", "TOOK", "STEPS", "CONFIG"]) {
    const at = header!.indexOf(column);
    for (const l of lines) expect(l[at - 1]).toBe(" ");
    for (const l of lines) expect(l[at]).not.toBe(" ");
  }
});

test("runs list reports a history line it cannot read instead of failing", () => {
  tmp = tempDir({ "site.yml": "- shell: 'true'\n" });
  runBinary(["run", "-c", "site.yml", "--raw"], { cwd: tmp.dir });
  appendFileSync(tmp.path(".mooncake/runs/history.jsonl"), '{"schema_version":1,"run_id":"x"');
  const result = runBinary(["runs", "list"], { cwd: tmp.dir });
  expect(result.exitCode).toBe(0);
  expect(result.stderr).toBe(`warning: Invalid artifact: .mooncake/runs/history.jsonl:2: not JSON (a run may have been killed while writing it)\n`);
  expect(result.stdout.split("\n").filter(Boolean)).toHaveLength(2);
});

test("runs list with no runs says so", () => {
  tmp = tempDir();
  expect(runBinary(["runs", "list"], { cwd: tmp.dir }).stdout).toBe(`No runs recorded in ".mooncake/runs"\n`);
});

test("runs show gives the summary and each failed step with its error and evidence", () => {
  tmp = tempDir({ "site.yml": FAILING });
  runBinary(["run", "-c", "site.yml", "--raw", "--capture-full-output"], { cwd: tmp.dir });
  const [runId] = readdirSync(tmp.path(".mooncake/runs")).filter((n) => !n.includes("."));
  const result = runBinary(["runs", "show", "last"], { cwd: tmp.dir });
  expect(result.exitCode).toBe(0);
  const dir = `.mooncake/runs/${runId}`;
  const lines = result.stdout.split("\n");
  expect(lines[3]).toMatch(/^ {2}started {4}\S+, took \S+$/);
  expect(lines.toSpliced(3, 1)).toEqual([
    `Run ${runId}: failed`,
    `  directory  ${dir}`,
    `  config     ${tmp.path("site.yml")}`,
    "  steps      2: 1 succeeded (1 changed), 0 skipped, 1 failed",
    '  error      Step "Break" (step-0002) failed: Command exited with code 4: it broke [exit_code]',
    `  evidence   ${dir}/results.json, ${dir}/events.jsonl, ${dir}/stderr.log`,
    "",
    "Failed steps",
    "  ✗ step-0002 Break: Command exited with code 4: it broke [exit_code]",
    `      evidence: ${dir}/events.jsonl, ${dir}/stderr.log`,
    "      stderr, last lines:",
    "        first",
    "        it broke",
    "",
  ]);
  const json = JSON.parse(runBinary(["runs", "show", runId!, "--format", "json"], { cwd: tmp.dir }).stdout);
  expect(json).toMatchObject({ run_id: runId, state: "complete", problems: [], summary: { status: "failed" }, diff: { total: 0 } });
});

test("runs show reads upstream mooncake files, and names what is missing, invalid or of an unknown version", () => {
  const dir = ".mooncake/runs/20260204-141419-a3f2c8";
  tmp = tempDir({
    [`${dir}/summary.json`]: JSON.stringify({
      run_id: "20260204-141419-a3f2c8", root_file: "", start_time: "2026-02-04T14:14:19Z", end_time: "2026-02-04T14:15:30Z",
      duration_ms: 71000, total_steps: 2, success_steps: 1, failed_steps: 1, skipped_steps: 0, changed_steps: 1, success: false,
      error_message: "Step 'Deploy app' failed",
    }),
    [`${dir}/results.json`]: JSON.stringify({
      run_id: "20260204-141419-a3f2c8", total_steps: 2, success_steps: 1, failed_steps: 1, skipped_steps: 0,
      steps: [
        { step_id: "step-0001", name: "Install nginx", action: "", level: 0, duration_ms: 1250, changed: true, status: "success" },
        { step_id: "step-0002", name: "Deploy app", action: "", level: 0, duration_ms: 500, changed: false, status: "failed", error_message: "connection refused" },
      ],
    }),
    [`${dir}/diff.json`]: JSON.stringify({ changed_files: [{ path: "/etc/app/config.yml", operation: "template", size_bytes: 512 }], total: 1 }),
  });
  const old = runBinary(["runs", "show", "20260204-141419-a3f2c8"], { cwd: tmp.dir }).stdout;
  expect(old).toContain("  ✗ step-0002 Deploy app: connection refused [network]");
  expect(old).toContain("  modified /etc/app/config.yml  512 bytes, ");
  expect(old).not.toContain("Problems");

  tmp.remove();
  tmp = tempDir({
    [`${dir}/summary.json`]: JSON.stringify({ schema_version: 99, run_id: "20260204-141419-a3f2c8", status: "ok" }),
    [`${dir}/results.json`]: "{ not json",
  });
  const result = runBinary(["runs", "show", "20260204-141419-a3f2c8"], { cwd: tmp.dir });
  expect(result.exitCode).toBe(0);
  expect(result.stdout.split("\n").slice(0, 2)).toEqual(["Run 20260204-141419-a3f2c8: ok", `  directory  ${dir}`]);
  expect(result.stdout).toContain([
    "Problems",
    `  Unsupported schema version: 99 in ${dir}/summary.json`,
    `  Invalid artifact: ${dir}/results.json: not JSON (JSON Parse error: Expected '}')`,
    `  Missing artifact: ${dir}/diff.json`,
  ].join("\n"));
});

test("runs show calls a run without a summary incomplete", () => {
  tmp = tempDir({ ".mooncake/runs/20260204-141419-a3f2c8/events.jsonl": "" });
  const json = JSON.parse(runBinary(["runs", "show", "20260204-141419-a3f2c8", "--format", "json"], { cwd: tmp.dir }).stdout);
  expect(json).toMatchObject({ state: "incomplete", summary: null, results: null, diff: null });
  expect(json.problems[0]).toStartWith("Missing artifact: .mooncake/runs/20260204-141419-a3f2c8/summary.json (the run did not finish");
});

test("runs show refuses an unknown run and anything that is not a run id", () => {
  tmp = tempDir({ ".mooncake/runs/history.jsonl": "" });
  const missing = runBinary(["runs", "show", "20260204-141419-a3f2c8"], { cwd: tmp.dir });
  expect([missing.exitCode, missing.stderr]).toEqual([2, `error: No run "20260204-141419-a3f2c8" in ".mooncake/runs"\n`]);
  const bad = runBinary(["runs", "show", "../../etc"], { cwd: tmp.dir });
  expect([bad.exitCode, bad.stderr]).toEqual([2, `error: "../../etc" is not a run id: run ids look like 20260204-141419-a3f2c8\n`]);
  const none = runBinary(["runs", "show", "last"], { cwd: tmp.dir });
  expect([none.exitCode, none.stderr]).toEqual([2, `error: No runs recorded in ".mooncake/runs"\n`]);
});

test("runs list and runs show read compacted files as their originals", () => {
  tmp = tempDir({ "site.yml": FAILING });
  runBinary(["run", "-c", "site.yml", "--raw"], { cwd: tmp.dir });
  const before = runBinary(["runs", "show", "last", "--format", "json"], { cwd: tmp.dir }).stdout;
  const [runId] = readdirSync(tmp.path(".mooncake/runs")).filter((n) => !n.includes("."));
  for (const file of ["runs/history.jsonl", `runs/${runId}/summary.json`]) {
    const path = tmp.path(`.mooncake/${file}`);
    writeFileSync(`${path}${COMPACT_SUFFIX}`, compactBytes(readFileSync(path), { jsonl: file.endsWith(".jsonl") }).bytes);
    rmSync(path);
  }
  const list = runBinary(["runs", "list", "--format", "json"], { cwd: tmp.dir });
  expect(JSON.parse(list.stdout).runs.map((r: { run_id: string }) => r.run_id)).toEqual([runId]);
  expect(runBinary(["runs", "show", "last", "--format", "json"], { cwd: tmp.dir }).stdout).toBe(before);
});

test("a run after a torn last history line starts its own line and is listed", () => {
  tmp = tempDir({ "site.yml": "- shell: 'true'\n" });
  runBinary(["run", "-c", "site.yml", "--raw"], { cwd: tmp.dir });
  appendFileSync(tmp.path(".mooncake/runs/history.jsonl"), '{"schema_version":1,"run_id":"x"');
  runBinary(["run", "-c", "site.yml", "--raw", "--dry-run"], { cwd: tmp.dir });
  const { runs, problems } = JSON.parse(runBinary(["runs", "list", "--format", "json"], { cwd: tmp.dir }).stdout);
  expect(runs.map((r: { dry_run: boolean }) => r.dry_run)).toEqual([true, false]);
  expect(problems).toEqual([`Invalid artifact: .mooncake/runs/history.jsonl:2: not JSON (a run may have been killed while writing it)`]);
});

test("a run gc moved to the trash is listed as such, and runs show names artifacts restore", () => {
  tmp = tempDir({ "site.yml": "- shell: 'true'\n" });
  for (let i = 0; i < 3; i++) runBinary(["run", "-c", "site.yml", "--raw"], { cwd: tmp.dir });
  const ids = readdirSync(tmp.path(".mooncake/runs")).filter((n) => /^\d{8}-/.test(n)).sort();
  expect(runBinary(["artifacts", "gc", "--keep", "1", "--apply", "--force"], { cwd: tmp.dir }).exitCode).toBe(0);
  rmSync(tmp.path(`.mooncake/.trash/${ids[0]}`), { recursive: true });
  const json = JSON.parse(runBinary(["runs", "list", "--format", "json"], { cwd: tmp.dir }).stdout);
  expect(json.trashed).toEqual([ids[1]]);
  expect(json.deleted).toEqual([ids[0]]);
  const text = runBinary(["runs", "list"], { cwd: tmp.dir }).stdout.split("\n");
  expect(text[0]).toStartWith("RUN ID");
  expect(text[2]).toEndWith("(in the trash)");
  expect(text[3]).toEndWith("(deleted)");
  const show = runBinary(["runs", "show", ids[1]!], { cwd: tmp.dir });
  expect(show.exitCode).toBe(2);
  expect(show.stderr).toBe(`error: Run "${ids[1]}" is in the trash (.mooncake/.trash/${ids[1]}/${ids[1]}): bring it back with \`mooncake artifacts restore --id ${ids[1]}\`\n`);
}, 30_000);

test("artifacts cat of a .mcz file prints the original bytes", () => {
  tmp = tempDir({ "site.yml": "- shell: seq 1 5000\n" });
  runBinary(["run", "-c", "site.yml", "--raw"], { cwd: tmp.dir });
  const [id] = readdirSync(tmp.path(".mooncake/runs")).filter((n) => /^\d{8}-/.test(n));
  const events = tmp.path(`.mooncake/runs/${id}/events.jsonl`);
  const original = readFileSync(events);
  writeFileSync(tmp.path(".mooncake/artifacts.yaml"), "compaction:\n  jsonl: {min_size_kb: 1}\n");
  expect(runBinary(["artifacts", "compact", "--apply"], { cwd: tmp.dir }).exitCode).toBe(0);
  const cat = Bun.spawnSync([BINARY, "artifacts", "cat", `${events}${COMPACT_SUFFIX}`]);
  expect(Buffer.from(cat.stdout).equals(original)).toBe(true);
}, 30_000);
