import { afterEach, expect, test } from "bun:test";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { RunWriter } from "../../artifacts/writer/run_writer.ts";
import { EventBus } from "../../core/events/event_bus.ts";
import type { Plan } from "../../core/plan/plan.ts";
import { Redactor } from "../../core/security/redactor.ts";
import { FIXED_FACTS } from "../helpers/fixed_facts.ts";
import { tempDir } from "../helpers/temp_dir.ts";

let tmp: ReturnType<typeof tempDir>;
afterEach(() => tmp.remove());

const origin = { file: "/cfg/site.yml", line: 1, col: 3 };
const PLAN: Plan = {
  schema_version: 1,
  generated_at: "2026-02-04T14:14:19.000Z",
  root_file: "/cfg/site.yml",
  sources: [],
  tags: [],
  initial_vars: {},
  steps: [
    { id: "step-0001", name: "Write", action: "file", args: {}, tags: [], become: false, origin: { ...origin, include_stack: [] } },
    { id: "step-0002", name: "Nested", action: "shell", args: "true", tags: [], become: false, origin: { ...origin, include_stack: [origin, origin] } },
  ],
};

function start() {
  tmp = tempDir();
  const writer = RunWriter.open({ artifactsDir: tmp.dir, baseRunId: "20260204-141419-a3f2c8", plan: PLAN, facts: () => FIXED_FACTS, captureFullOutput: false });
  const bus = new EventBus(writer.runId, new Redactor([]), [writer.sink]);
  bus.publish("run.started", { root_file: PLAN.root_file, dry_run: false, tags: [], total_steps: 2 });
  return { writer, bus };
}

function finished(name: string, action: string) {
  const at = "2026-02-04T14:14:19.000Z";
  return { name, action, status: "changed" as const, changed: true, dry_run: false, started_at: at, ended_at: at, duration_ms: 1, attempts: 1, origin, result: {} };
}

test("diff.json lists the files of every file.changed event, with the step that changed them", () => {
  const { writer, bus } = start();
  bus.publish("step.started", { name: "Write", action: "file", dry_run: false, origin }, "step-0001");
  bus.publish("file.changed", { path: "/srv/app", operation: "created", size_bytes: 0, kind: "directory" }, "step-0001");
  bus.publish("file.changed", { path: "/srv/app/a.conf", operation: "modified", size_bytes: 12, kind: "file" }, "step-0001");
  bus.publish("step.finished", finished("Write", "file"), "step-0001");
  bus.publish("step.started", { name: "Nested", action: "shell", dry_run: false, origin }, "step-0002");
  bus.publish("file.changed", { path: "/srv/old", operation: "removed", size_bytes: 7, kind: "link" }, "step-0002");
  bus.publish("step.finished", finished("Nested", "shell"), "step-0002");
  bus.publish("run.finished", { status: "ok", dry_run: false, duration_ms: 5, counts: { ok: 0, changed: 2, skipped: 0, failed: 0, ignored: 0 }, failed_steps: [] });
  const diff = JSON.parse(readFileSync(join(writer.runDir, "diff.json"), "utf8"));
  expect(diff).toEqual({
    schema_version: 1,
    run_id: "20260204-141419-a3f2c8",
    dry_run: false,
    changed_files: [
      { path: "/srv/app", operation: "created", size_bytes: 0, kind: "directory", step_id: "step-0001" },
      { path: "/srv/app/a.conf", operation: "modified", size_bytes: 12, kind: "file", step_id: "step-0001" },
      { path: "/srv/old", operation: "removed", size_bytes: 7, kind: "link", step_id: "step-0002" },
    ],
    total: 3,
  });
  const results = JSON.parse(readFileSync(join(writer.runDir, "results.json"), "utf8"));
  expect(results.steps.map((s: { level: number }) => s.level)).toEqual([0, 2]);
});

test("events reach the disk at each step boundary, and a run that never finished has no summary", () => {
  const { writer, bus } = start();
  const events = join(writer.runDir, "events.jsonl");
  expect(readFileSync(events, "utf8")).toBe("");
  bus.publish("step.started", { name: "Write", action: "file", dry_run: false, origin }, "step-0001");
  expect(readFileSync(events, "utf8").trimEnd().split("\n").map((l) => JSON.parse(l).type)).toEqual(["run.started", "step.started"]);
  writer.abandon();
  expect(existsSync(join(writer.runDir, "summary.json"))).toBe(false);
  expect(existsSync(join(writer.runDir, "run.lock"))).toBe(false);
  expect(existsSync(join(tmp.dir, "runs", "history.jsonl"))).toBe(false);
});
