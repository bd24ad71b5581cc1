import { mkdirSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";

export interface RunFixture {
  /** `YYYYMMDD-HHMMSS-<6 hex>`. */
  id: string;
  /** pass, fail, or incomplete (no summary.json). */
  status: "pass" | "fail" | "incomplete";
  rootFile?: string;
  /** Writes `run.lock` holding this pid, as the run writer does: a run in progress while the pid lives. */
  lockPid?: number;
  /** Lines of events.jsonl; a few realistic ones by default. */
  events?: number;
}

/** Writes a run directory as seed 000 lays it out: plan, facts, summary, results, events, diff. */
export function writeRun(root: string, run: RunFixture): string {
  const dir = join(root, "runs", run.id);
  mkdirSync(dir, { recursive: true });
  const rootFile = run.rootFile ?? "/srv/config/site.yml";
  const [date, time] = run.id.split("-") as [string, string];
  const start = `${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6, 8)}T${time.slice(0, 2)}:${time.slice(2, 4)}:${time.slice(4, 6)}Z`;
  writeFileSync(join(dir, "plan.json"), JSON.stringify({ schema_version: 1, root_file: rootFile, initial_vars: {}, steps: [{ id: "step-0001", action: "shell" }] }, null, 2));
  writeFileSync(join(dir, "facts.json"), JSON.stringify({ schema_version: 1, hostname: "testhost", os_family: "Linux", architecture: "amd64" }, null, 2));
  const events: string[] = [];
  for (let i = 0; i < (run.events ?? 4); i++) {
    events.push(JSON.stringify({ schema_version: 1, type: i === 0 ? "run.started" : "step.stdout", run_id: run.id, seq: i, timestamp: start, step_id: "step-0001", data: { line: `line ${i}` } }));
  }
  writeFileSync(join(dir, "events.jsonl"), `${events.join("\n")}\n`);
  if (run.lockPid !== undefined) writeFileSync(join(dir, "run.lock"), JSON.stringify({ pid: run.lockPid, hostname: hostname(), run_id: run.id, started_at: start }));
  if (run.status === "incomplete") return dir;
  const success = run.status === "pass";
  writeFileSync(join(dir, "summary.json"), JSON.stringify({
    schema_version: 1, run_id: run.id, root_file: rootFile, start_time: start, end_time: start, duration_ms: 1000,
    total_steps: 1, success_steps: success ? 1 : 0, failed_steps: success ? 0 : 1, skipped_steps: 0, changed_steps: 1,
    success, ...(success ? {} : { error_message: "Step 'Deploy app' failed" }),
  }, null, 2));
  writeFileSync(join(dir, "results.json"), JSON.stringify({ schema_version: 1, run_id: run.id, total_steps: 1, steps: [{ step_id: "step-0001", status: success ? "success" : "failed" }] }, null, 2));
  writeFileSync(join(dir, "diff.json"), JSON.stringify({ schema_version: 1, changed_files: [], total: 0 }, null, 2));
  return dir;
}

/** The run id of the `n`th run after 2026-02-04 00:00:00 UTC, one hour apart. */
export function runId(n: number, hex = "a3f2c8"): string {
  const t = new Date(Date.UTC(2026, 1, 4) + n * 3_600_000);
  const pad = (v: number) => String(v).padStart(2, "0");
  return `${t.getUTCFullYear()}${pad(t.getUTCMonth() + 1)}${pad(t.getUTCDate())}-${pad(t.getUTCHours())}${pad(t.getUTCMinutes())}${pad(t.getUTCSeconds())}-${hex}`;
}

/** A deterministic PRNG (mulberry32), so random stores are the same on every run. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
