import { formatPosition } from "../../fs/display_path.ts";
import type { Change, RunEventOf } from "../event.ts";
import type { Style } from "./style.ts";

type Finished = RunEventOf<"step.finished">;
type RunFinished = RunEventOf<"run.finished">;

const GLYPH: Record<Change["kind"], string> = { create: "+", update: "~", delete: "-", run: ">", none: "=" };
const WIDTH = 12;

/** The lines a finished step shows: verdict, id and name, then what changed or went wrong. */
export function finishedStepLines(event: Finished, style: Style): string[] {
  const { data } = event;
  const head = `${verdictWord(data, style)} ${event.step_id ?? ""}  ${data.name}`;
  const duration = data.status === "skipped" ? "" : style.dim(`  ${formatDuration(data.duration_ms)}`);
  const lines = [`${head}${duration}`];
  const indent = " ".repeat(WIDTH + 1);
  if (data.skipped) lines.push(`${indent}${style.dim(data.skipped.message)}`);
  if (data.change?.message !== undefined) lines.push(...data.change.message.replace(/\n$/, "").split("\n").map((l) => `${indent}${l}`));
  if (data.dry_run && data.change && data.change.kind !== "none") lines.push(...changeLines(data.change, indent, style));
  if (data.error) {
    lines.push(`${indent}${style.red(data.error.message)}`);
    lines.push(`${indent}${style.dim(`at ${formatPosition(data.origin)}`)}`);
  }
  for (const warning of data.warnings ?? []) lines.push(`${indent}${style.yellow(`warning: ${warning}`)}`);
  if (data.attempts > 1) lines.push(`${indent}${style.dim(`after ${data.attempts} attempts`)}`);
  return lines;
}

/** A change a dry-run found: its glyph, what changes and why, then the diff. */
export function changeLines(change: Change, indent: string, style: Style): string[] {
  const [first, ...more] = change.detail?.split("\n") ?? [];
  return [
    `${indent}${GLYPH[change.kind]}${first !== undefined ? ` ${first}` : ""}  ${style.dim(`(${change.reason})`)}`,
    ...more.map((line) => `${indent}  ${line}`),
    ...(change.diff ? change.diff.replace(/\n$/, "").split("\n").map((line) => `${indent}  ${diffLine(line, style)}`) : []),
  ];
}

function diffLine(line: string, style: Style): string {
  if (line.startsWith("+") && !line.startsWith("+++")) return style.green(line);
  if (line.startsWith("-") && !line.startsWith("---")) return style.red(line);
  return line.startsWith("@@") ? style.dim(line) : line;
}

function verdictWord(data: Finished["data"], style: Style): string {
  if (data.status === "failed") return style.red((data.ignored ? "ignored" : data.error?.kind === "interrupted" ? "interrupted" : "failed").padEnd(WIDTH));
  if (data.status === "skipped") return data.skipped?.reason === "unknown" ? style.yellow("unknown".padEnd(WIDTH)) : style.dim("skipped".padEnd(WIDTH));
  if (data.status === "changed") return style.yellow((data.dry_run ? "would change" : "changed").padEnd(WIDTH));
  return style.green("ok".padEnd(WIDTH));
}

/** The closing lines of a run: counts, duration, and each failed step with its error. */
export function summaryLines(event: RunFinished, failures: readonly Finished[], style: Style): string[] {
  const { counts, status, dry_run: dryRun, duration_ms: ms } = event.data;
  const changedWord = dryRun ? "would change" : "changed";
  const parts = [
    style.green(`${counts.ok} ok`),
    style.yellow(`${counts.changed} ${changedWord}`),
    style.dim(`${counts.skipped} skipped${counts.unknown ? ` (${counts.unknown} unknown until run)` : ""}`),
    (counts.failed ? style.red : style.dim)(`${counts.failed} failed${counts.ignored ? ` (${counts.ignored} ignored)` : ""}`),
  ];
  const run = dryRun ? "Dry run" : "Run";
  const verdict = status === "ok" ? style.green(`${run} finished`) : style.red(`${run} ${status}`);
  const lines = [`${style.bold(verdict)}: ${parts.join(", ")} in ${formatDuration(ms)}`];
  for (const failure of failures) {
    const { origin, error } = failure.data;
    lines.push(`  ${style.red("✗")} ${failure.step_id} ${failure.data.name} (${formatPosition(origin)}): ${error?.message ?? "failed"}`);
  }
  return lines;
}

export function formatDuration(ms: number): string {
  if (ms < 1) return "<1ms";
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  const seconds = Math.round(ms / 1000);
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m${seconds % 60}s`;
  const minutes = Math.round(ms / 60_000);
  return `${Math.floor(minutes / 60)}h${minutes % 60}m`;
}
