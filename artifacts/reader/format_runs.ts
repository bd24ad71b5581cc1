import { join } from "node:path";
import { formatDuration } from "../../core/events/presenters/step_lines.ts";
import type { Style } from "../../core/events/presenters/style.ts";
import type { HistoryEntry, StepResult } from "../run_files.ts";
import type { History } from "./read_history.ts";
import type { RunView } from "./read_run.ts";

/** Lines of the stderr tail shown for a failed step; the whole of it is in its evidence. */
const ERROR_TAIL_LINES = 5;

/** A row of `runs list`: a run's history line, the host it was made on, and whether its directory is gone. */
export interface ListedRun {
  entry: HistoryEntry;
  /** Absent for a run made on this machine. */
  host?: string;
  gone?: "trash" | "deleted";
}

/** The rows of one location's history, in its order. */
export function listedRuns(history: Pick<History, "entries" | "trashed" | "deleted">, host?: string): ListedRun[] {
  const trashed = new Set(history.trashed);
  const deleted = new Set(history.deleted);
  return history.entries.map((entry) => ({
    entry,
    ...(host === undefined ? {} : { host }),
    ...(trashed.has(entry.run_id) ? { gone: "trash" as const } : deleted.has(entry.run_id) ? { gone: "deleted" as const } : {}),
  }));
}

/**
 * `runs list` as text: a header, then one row a run in the given order, in aligned columns; a
 * run no longer in place is marked so. With `hostColumn`, a HOST column comes first ("-" for
 * this machine).
 */
export function historyLines(runs: readonly ListedRun[], style: Style, hostColumn = false): string[] {
  const rows = runs.map(({ entry: e, host, gone }) => {
    const { ok, changed, skipped, failed } = e.counts;
    const where = gone === "trash" ? "  (in the trash)" : gone === "deleted" ? "  (deleted)" : "";
    const cells = [e.run_id, `${e.status}${e.dry_run ? " (dry-run)" : ""}`, e.start_time, formatDuration(e.duration_ms), `${ok} ok, ${changed} changed, ${skipped} skipped, ${failed} failed`, `${e.root_file}${where}`];
    return hostColumn ? [host ?? "-", ...cells] : cells;
  });
  const header = [...(hostColumn ? ["HOST"] : []), "RUN ID", "STATUS", "STARTED", "TOOK", "STEPS", "CONFIG"];
  const [statusColumn, configColumn] = [header.indexOf("STATUS"), header.indexOf("CONFIG")];
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
  const line = (cells: string[], paint: (cell: string, column: number) => string) =>
    cells.map((cell, c) => paint(c === cells.length - 1 ? cell : cell.padEnd(widths[c]!), c)).join("  ").trimEnd();
  return [
    line(header, (cell) => style.bold(cell)),
    ...rows.map((cells, i) => line(cells, (cell, c) => (c === statusColumn ? (runs[i]!.entry.status === "ok" ? style.green : style.red)(cell) : c === configColumn ? style.dim(cell) : cell))),
  ];
}

/** `runs show` as text: the summary, each failed step with its error and evidence, the changed files. */
export function runLines(run: RunView, style: Style): string[] {
  const s = run.summary;
  const status = s?.status ?? run.state;
  const lines = [style.bold(`Run ${run.run_id}${run.host === null ? "" : ` on ${run.host}`}: ${status}${s?.dry_run ? " (dry-run)" : ""}`), `  directory  ${run.dir}`];
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
