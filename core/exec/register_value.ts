import type { Outcome } from "./action.ts";
import type { StepStatus } from "../events/event.ts";

/**
 * What `register: name` stores: `{rc, stdout, stderr, stdout_lines, stderr_lines, changed,
 * failed, skipped, status, duration_ms}` plus what the action adds. Output keeps its trailing
 * newline, as upstream mooncake's does; `rc` is null for a skipped step or a killed process.
 */
export function buildRegisterValue(outcome: Outcome, status: StepStatus, durationMs: number): Record<string, unknown> {
  const stdout = outcome.stdout?.text ?? "";
  const stderr = outcome.stderr?.text ?? "";
  const rc = outcome.rc !== undefined ? outcome.rc : status === "skipped" ? null : outcome.error ? 1 : 0;
  return {
    ...outcome.data,
    rc,
    stdout,
    stderr,
    stdout_lines: lines(stdout),
    stderr_lines: lines(stderr),
    changed: outcome.changed,
    failed: status === "failed",
    skipped: status === "skipped",
    status,
    duration_ms: durationMs,
  };
}

function lines(text: string): string[] {
  return text === "" ? [] : text.replace(/\n$/, "").split("\n");
}
