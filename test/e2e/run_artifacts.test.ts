import { afterEach, describe, expect, test } from "bun:test";
import type { TSchema } from "@sinclair/typebox";
import { FormatRegistry } from "@sinclair/typebox";
import { Value } from "@sinclair/typebox/value";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { HistoryEntry, LastRun, RunDiff, RunFacts, RunResults, RunSummary } from "../../artifacts/run_files.ts";
import { eventSchema } from "../../core/events/event.ts";
import { Plan } from "../../core/plan/plan.ts";
import { runBinary } from "../helpers/run_binary.ts";
import { tempDir } from "../helpers/temp_dir.ts";

FormatRegistry.Set("date-time", (value) => !Number.isNaN(Date.parse(value)));

let tmp: ReturnType<typeof tempDir>;
afterEach(() => tmp.remove());

function runDirs(artifacts: string): string[] {
  return readdirSync(join(artifacts, "runs"), { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => join(artifacts, "runs", e.name));
}

function readJson(path: string): any {
  return JSON.parse(readFileSync(path, "utf8"));
}

function expectValid(schema: TSchema, value: unknown, what: string): void {
  const errors = [...Value.Errors(schema, value)].slice(0, 3).map((e) => `${what}${e.path}: ${e.message}`);
  expect(errors).toEqual([]);
}

const MIXED = `
steps:
  - name: Say hello
    shell: "echo hello; echo warning >&2"
  - name: Make a file
    shell: "touch out.txt"
  - name: Loop
    shell: "echo {{ item }}"
    with_items: [a, b]
  - name: Ignored failure
    shell: "exit 3"
    ignore_errors: true
  - name: Fails
    shell: "echo broken >&2; exit 4"
  - name: Never reached
    shell: "true"
`;

describe("run artifacts", () => {
  test("every file of a run directory matches its schema", () => {
    tmp = tempDir({ "site.yml": MIXED });
    const result = runBinary(["run", "-c", "site.yml", "--raw", "--capture-full-output"], { cwd: tmp.dir });
    expect(result.exitCode).toBe(3);
    const [dir] = runDirs(tmp.path(".mooncake"));
    expect(readdirSync(dir!).sort()).toEqual(
      ["diff.json", "events.jsonl", "facts.json", "plan.json", "results.json", "stderr.log", "stdout.log", "summary.json"],
    );
    expectValid(Plan, readJson(join(dir!, "plan.json")), "plan.json");
    expectValid(RunFacts, readJson(join(dir!, "facts.json")), "facts.json");
    expectValid(RunResults, readJson(join(dir!, "results.json")), "results.json");
    expectValid(RunSummary, readJson(join(dir!, "summary.json")), "summary.json");
    expectValid(RunDiff, readJson(join(dir!, "diff.json")), "diff.json");
    expectValid(LastRun, readJson(tmp.path(".mooncake/runs/last_run.json")), "last_run.json");
    const events = readFileSync(join(dir!, "events.jsonl"), "utf8").trimEnd().split("\n").map((l) => JSON.parse(l));
    events.forEach((e, i) => expectValid(eventSchema(), e, `events.jsonl:${i + 1}`));
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    const history = readFileSync(tmp.path(".mooncake/runs/history.jsonl"), "utf8").trimEnd().split("\n");
    expect(history).toHaveLength(1);
    expectValid(HistoryEntry, JSON.parse(history[0]!), "history.jsonl:1");
  });

  test("summary and results say what happened and where the evidence is", () => {
    tmp = tempDir({ "site.yml": MIXED });
    runBinary(["run", "-c", "site.yml", "--raw", "--capture-full-output"], { cwd: tmp.dir });
    const [dir] = runDirs(tmp.path(".mooncake"));
    const summary = readJson(join(dir!, "summary.json"));
    expect(summary).toMatchObject({
      status: "failed", success: false, dry_run: false, planned_steps: 7, total_steps: 6,
      success_steps: 4, changed_steps: 4, failed_steps: 2, ignored_steps: 1, skipped_steps: 0,
      failed_step_ids: ["step-0005"], error_kind: "exit_code",
      error_message: 'Step "Fails" (step-0005) failed: Command exited with code 4: broken',
      evidence: ["results.json", "events.jsonl", "stderr.log"],
    });
    const results = readJson(join(dir!, "results.json"));
    expect(results.steps.map((s: any) => [s.step_id, s.status])).toEqual([
      ["step-0001", "changed"], ["step-0002", "changed"], ["step-0003[0]", "changed"], ["step-0003[1]", "changed"],
      ["step-0004", "failed"], ["step-0005", "failed"],
    ]);
    expect(results.steps[4]).toMatchObject({ ignored: true, error_kind: "exit_code", rc: 3 });
    expect(results.steps[5]).toMatchObject({ action: "shell", level: 0, rc: 4, error_kind: "exit_code", evidence: ["events.jsonl", "stderr.log"] });
    expect(results.steps[0].stdout).toMatchObject({ text: "hello\n", truncated: false, original_bytes: 6, original_lines: 1, full_log: "stdout.log" });
    expect(readFileSync(join(dir!, "stderr.log"), "utf8")).toBe("[step-0001] warning\n[step-0005] broken\n");
    expect(readFileSync(join(dir!, "stdout.log"), "utf8")).toBe("[step-0001] hello\n[step-0003[0]] a\n[step-0003[1]] b\n");
    expect(existsSync(join(dir!, "run.lock"))).toBe(false);
  });

  test("truncation numbers match the real output, and stdout.log keeps every line", () => {
    tmp = tempDir({ "site.yml": "- shell: seq 1 5000\n" });
    const seq = Bun.spawnSync(["seq", "1", "5000"]).stdout.toString();
    runBinary(["run", "-c", "site.yml", "--raw", "--capture-full-output", "--max-output-lines", "100", "--max-output-bytes", "100000"], { cwd: tmp.dir });
    const [dir] = runDirs(tmp.path(".mooncake"));
    const { stdout } = readJson(join(dir!, "results.json")).steps[0];
    expect(stdout).toMatchObject({ truncated: true, original_bytes: Buffer.byteLength(seq), original_lines: 5000, dropped_lines: 4900, full_log: "stdout.log" });
    expect(stdout.kept_head_bytes + stdout.kept_tail_bytes + stdout.dropped_bytes).toBe(stdout.original_bytes);
    const lines = seq.trimEnd().split("\n");
    expect(stdout.text).toBe(`${lines.slice(0, 50).join("\n")}\n[... ${stdout.dropped_bytes} bytes, 4900 lines dropped ...]\n${lines.slice(-50).join("\n")}\n`);
    expect(readFileSync(join(dir!, "stdout.log"), "utf8")).toBe(lines.map((l) => `[step-0001] ${l}\n`).join(""));
  });

  test("a dry-run writes its artifacts, marked as a dry-run, and changes nothing else", () => {
    tmp = tempDir({ "site.yml": "- shell: touch made\n" });
    const result = runBinary(["run", "-c", "site.yml", "--raw", "--dry-run", "--artifacts-dir", "records"], { cwd: tmp.dir });
    expect(result.exitCode).toBe(0);
    expect(existsSync(tmp.path("made"))).toBe(false);
    const [dir] = runDirs(tmp.path("records"));
    expect(readJson(join(dir!, "summary.json"))).toMatchObject({ dry_run: true, status: "ok", changed_steps: 1 });
    expect(readJson(join(dir!, "results.json")).dry_run).toBe(true);
    expect(readJson(tmp.path("records/runs/last_run.json")).summary.dry_run).toBe(true);
  });

  test("--no-artifacts records nothing", () => {
    tmp = tempDir({ "site.yml": "- shell: 'true'\n" });
    expect(runBinary(["run", "-c", "site.yml", "--raw", "--no-artifacts"], { cwd: tmp.dir }).exitCode).toBe(0);
    expect(readdirSync(tmp.dir)).toEqual(["site.yml"]);
  });

  test("each run adds a history line and replaces last_run.json", () => {
    tmp = tempDir({ "site.yml": "- shell: 'true'\n" });
    runBinary(["run", "-c", "site.yml", "--raw"], { cwd: tmp.dir });
    runBinary(["run", "-c", "site.yml", "--raw", "--dry-run"], { cwd: tmp.dir });
    const history = readFileSync(tmp.path(".mooncake/runs/history.jsonl"), "utf8").trimEnd().split("\n").map((l) => JSON.parse(l));
    expect(history.map((h) => h.dry_run)).toEqual([false, true]);
    expect(new Set(history.map((h) => h.run_id)).size).toBe(2);
    const last = readJson(tmp.path(".mooncake/runs/last_run.json"));
    expect(last).toMatchObject({ run_id: history[1].run_id, path: history[1].run_id });
  });

  test("an artifacts directory that cannot be made stops the run before it starts", () => {
    tmp = tempDir({ "site.yml": "- shell: touch made\n", blocker: "" });
    const result = runBinary(["run", "-c", "site.yml", "--raw", "--artifacts-dir", "blocker"], { cwd: tmp.dir });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toBe(`error: Cannot create artifacts directory "blocker/runs": a file is in the way\n`);
    expect(existsSync(tmp.path("made"))).toBe(false);
  });

  test("a write that fails stops the writer, not the run, and says so", () => {
    tmp = tempDir({ "site.yml": "- shell: touch made\n", ".mooncake/runs/history.jsonl/blocker": "" });
    const result = runBinary(["run", "-c", "site.yml", "--raw"], { cwd: tmp.dir });
    expect(result.exitCode).toBe(0);
    expect(existsSync(tmp.path("made"))).toBe(true);
    const [dir] = runDirs(tmp.path(".mooncake")).filter((d) => !d.endsWith("history.jsonl"));
    expect(result.stderr).toStartWith(`warning: Run artifacts in "${dir!.replace(`${tmp.dir}/`, "")}" are incomplete: Cannot write ".mooncake/runs/history.jsonl": it is a directory, not a file\n`);
    expect(existsSync(join(dir!, "run.lock"))).toBe(false);
  });

  test("a secret appears in none of the files", () => {
    const sentinel = "SENTINEL-7f3a9c";
    tmp = tempDir({
      "secrets.yml": `token: ${sentinel}\n`,
      "site.yml": `
- name: Use {{ token }}
  shell: "echo {{ token }}; echo {{ token }} >&2; mkdir -p d-{{ token }}; exit 5"
  env: { TOKEN: "{{ token }}" }
`,
    });
    const result = runBinary(["run", "-c", "site.yml", "--raw", "--capture-full-output", "--secret-vars", "secrets.yml"], { cwd: tmp.dir });
    expect(result.exitCode).toBe(3);
    const files = readdirSync(tmp.path(".mooncake"), { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
    expect(files.length).toBeGreaterThanOrEqual(10);
    for (const file of files) expect(readFileSync(join(file.parentPath, file.name), "utf8")).not.toContain(sentinel);
    expect(readFileSync(join(runDirs(tmp.path(".mooncake"))[0]!, "stdout.log"), "utf8")).toBe("[step-0001] ********\n");
  });
});
