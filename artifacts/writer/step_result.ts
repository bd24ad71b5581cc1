import type { CaptureStats, RunEventOf } from "../../core/events/event.ts";
import { shapeFailure } from "../failure.ts";
import { RUN_FILES, type StepOutput, type StepResult } from "../run_files.ts";

type Stream = "stdout" | "stderr";

/**
 * One step of results.json, from its `step.finished` event. `fullLog` names the log holding the
 * step's every line of a stream, if any: it is part of the step's output and of its evidence.
 */
export function stepResult(event: RunEventOf<"step.finished">, level: number, fullLog: (stream: Stream) => string | null): StepResult {
  const d = event.data;
  const stdout = output(d.result.stdout, d.stdout_capture, fullLog("stdout"));
  const stderr = output(d.result.stderr, d.stderr_capture, fullLog("stderr"));
  const logs = [fullLog("stderr"), fullLog("stdout")].filter((p): p is string => p !== null);
  const failure = d.error ? shapeFailure(d.error, [RUN_FILES.events, ...logs]) : undefined;
  return {
    step_id: event.step_id ?? "",
    name: d.name,
    action: d.action,
    level,
    status: d.status,
    changed: d.changed,
    started_at: d.started_at,
    ended_at: d.ended_at,
    duration_ms: d.duration_ms,
    attempts: d.attempts,
    rc: typeof d.result.rc === "number" ? d.result.rc : null,
    ignored: d.ignored === true,
    error_message: failure?.error_message ?? null,
    error_kind: failure?.error_kind ?? null,
    evidence: failure?.evidence ?? [],
    change: d.change ?? null,
    skip_reason: d.skipped?.message ?? null,
    stdout,
    stderr,
  };
}

/** The kept text with its cut stated; a step that ran no process has none. */
function output(text: unknown, stats: CaptureStats | undefined, fullLog: string | null): StepOutput | null {
  if (!stats) return null;
  return { text: typeof text === "string" ? text : "", ...stats, full_log: fullLog };
}
