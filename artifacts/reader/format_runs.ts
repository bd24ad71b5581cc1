import { join } from "node:path";
import { formatDuration } from "../../core/events/presenters/step_lines.ts";
import type { Style } from "../../core/events/presenters/style.ts";
import type { StepResult } from "../run_files.ts";
import type { History } from "./read_history.ts";
import type { RunView } from "./read_run.ts";

/** Lines of the stderr tail shown for a failed step; the whole of it is in its evidence. */
const ERROR_TAIL_LINES = 5;

/** `runs list` as text: one line a run, newest first, a run no longer in place marked so. */
export function historyLines(history: Pick<History, "entries" | "trashed" | "deleted">, style: Style): string[] {
  const trashed = new Set(history.trashed);
  const deleted = new Set(history.deleted);
  return history.entries.map((e) => {
    const { ok, changed, skipped, failed } = e.counts;
    const status = (e.status === "ok" ? style.green : style.red)(e.status.padEnd(11));
    const counts = `${ok} ok, ${changed} changed, ${skipped} skipped, ${failed} failed`;
    const where = trashed.has(e.run_id) ? style.yellow("  (in the trash)") : deleted.has(e.run_id) ? style.dim("  (deleted)") : "";
    return `${e.run_id}  ${status} ${e.start_time}  ${formatDuration(e.duration_ms).padStart(6)}  ${counts}${e.dry_run ? " (dry-run)" : ""}  ${style.dim(e.root_file)}${where}`;
  });
}

/** `runs show` as text: the summary, each failed step with its error and evidence, the changed files. */
export function runLines(run: RunView, style: Style): string[] {
  const s = run.summary;
  const status = s?.status ?? run.state;
  const lines = [style.bold(`Run ${run.run_id}: ${status}${s?.dry_run ? " (dry-run)" : ""}`), `  directory  ${run.dir}`];
  if (s) {
    lines.push(`  config     ${s.root_file ?? "?"}`);
    lines.push(`  started    ${s.start_time ?? "?"}, took ${formatDuration(s.duration_ms ?? 0)}`);
    lines.push(`  steps      ${s.total_steps ?? "?"}: ${s.success_steps ?? "?"} succeeded (${s.changed_steps ?? "?"} changed), ${s.skipped_steps ?? "?"} skipped, ${s.failed_steps ?? "?"} failed${s.ignored_steps ? ` (${s.ignored_steps} ignored)` : ""}`);
    if (s.error_message) lines.push(`  error      ${style.red(s.error_message)}${s.error_kind ? ` [${s.error_kind}]` : ""}`);
    if (s.evidence?.length) lines.push(`  evidence   ${s.evidence.map((p) => join(run.dir, p)).join(", ")}`);
  }
  const failed = (run.results?.steps ?? []).filter((step) => step.status === "failed");
  if (failed.length) lines.push("", style.bold("Failed steps"), ...failed.flatMap((step) => failedStepLines(step, run.dir, style)));
  const files = run.diff?.changed_files ?? [];
  if (files.length) {
    lines.push("", style.bold(`Changed files (${files.length})`));
    for (const f of files) lines.push(`  ${f.operation.padEnd(8)} ${f.path}${f.kind === "file" ? "" : ` (${f.kind})`}  ${style.dim(`${f.size_bytes} bytes, ${f.step_id}`)}`);
  }
  if (run.problems.length) lines.push("", style.bold("Problems"), ...run.problems.map((p) => `  ${style.yellow(p)}`));
  return lines;
}

function failedStepLines(step: StepResult, dir: string, style: Style): string[] {
  const lines = [`  ${style.red("✗")} ${step.step_id} ${step.name}${step.ignored ? " (ignored)" : ""}: ${step.error_message ?? "failed"}${step.error_kind ? ` [${step.error_kind}]` : ""}`];
  if (step.evidence.length) lines.push(`      evidence: ${step.evidence.map((p) => join(dir, p)).join(", ")}`);
  const stderr = step.stderr?.text.replace(/\n$/, "");
  if (stderr) {
    const tail = stderr.split("\n").slice(-ERROR_TAIL_LINES);
    lines.push(`      stderr${step.stderr!.truncated ? " (truncated)" : ""}, last lines:`, ...tail.map((l) => `        ${style.dim(l)}`));
  }
  return lines;
}
