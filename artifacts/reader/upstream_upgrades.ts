import { classifyFailure } from "../failure.ts";
import { ARTIFACT_SCHEMA_VERSION, type FileChange, type RunDiff, type RunResults, type RunSummary, type StepResult } from "../run_files.ts";
import type { Upgrades } from "./read_artifact.ts";

/**
 * Version 0 is what upstream (Go) mooncake writes: the same files without `schema_version`
 * (UPSTREAM_NOTES §11). These turn them into the current shapes, so `runs show` reads old run
 * directories too. What upstream never recorded gets its neutral value (no dry-run, no evidence).
 */
type Raw = Record<string, any>;

const num = (v: unknown) => (typeof v === "number" ? v : 0);
const str = (v: unknown) => (typeof v === "string" ? v : "");

function counts(raw: Raw) {
  const failed = num(raw.failed_steps);
  return {
    total_steps: num(raw.total_steps),
    success_steps: num(raw.success_steps),
    failed_steps: failed,
    skipped_steps: num(raw.skipped_steps),
    // Upstream sets changed_steps to success_steps on success; results.json is not at hand here.
    changed_steps: num(raw.changed_steps),
    ignored_steps: 0,
  };
}

export const SUMMARY_UPGRADES: Upgrades = {
  0: (raw: Raw): RunSummary => {
    const message = typeof raw.error_message === "string" && raw.error_message ? raw.error_message : null;
    return {
      schema_version: ARTIFACT_SCHEMA_VERSION,
      run_id: str(raw.run_id),
      root_file: str(raw.root_file),
      dry_run: false,
      status: raw.success === true ? "ok" : "failed",
      success: raw.success === true,
      start_time: str(raw.start_time),
      end_time: str(raw.end_time),
      duration_ms: num(raw.duration_ms),
      planned_steps: num(raw.total_steps),
      ...counts(raw),
      failed_step_ids: [],
      error_message: message,
      error_kind: message ? classifyFailure(new Error(message)) : null,
      evidence: [],
      full_output: false,
    };
  },
};

export const RESULTS_UPGRADES: Upgrades = {
  0: (raw: Raw): RunResults => ({
    schema_version: ARTIFACT_SCHEMA_VERSION,
    run_id: str(raw.run_id),
    dry_run: false,
    ...counts(raw),
    changed_steps: Array.isArray(raw.steps) ? raw.steps.filter((s: Raw) => s?.changed === true).length : 0,
    steps: Array.isArray(raw.steps) ? raw.steps.map(upstreamStep) : [],
  }),
};

function upstreamStep(raw: Raw): StepResult {
  const failed = raw.status === "failed";
  const message = failed ? str(raw.error_message) : null;
  return {
    step_id: str(raw.step_id),
    name: str(raw.name),
    action: str(raw.action),
    level: num(raw.level),
    status: failed ? "failed" : raw.status === "skipped" ? "skipped" : raw.changed === true ? "changed" : "ok",
    changed: raw.changed === true,
    started_at: "",
    ended_at: "",
    duration_ms: num(raw.duration_ms),
    attempts: 1,
    rc: null,
    ignored: false,
    error_message: message,
    error_kind: message !== null ? classifyFailure(new Error(message)) : null,
    evidence: [],
    change: null,
    skip_reason: null,
    stdout: null,
    stderr: null,
  };
}

export const DIFF_UPGRADES: Upgrades = {
  0: (raw: Raw): RunDiff => {
    const files: FileChange[] = (Array.isArray(raw.changed_files) ? raw.changed_files : []).map((f: Raw) => ({
      path: str(f.path),
      // Upstream says "updated" or "template" for a file whose content it rewrote.
      operation: f.operation === "created" ? "created" : f.operation === "removed" ? "removed" : "modified",
      size_bytes: num(f.size_bytes),
      kind: "file",
      step_id: str(f.step_id),
    }));
    return { schema_version: ARTIFACT_SCHEMA_VERSION, run_id: "", dry_run: false, changed_files: files, total: files.length };
  },
};
