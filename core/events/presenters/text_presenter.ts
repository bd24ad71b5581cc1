import { displayPath } from "../../fs/display_path.ts";
import type { RunEvent, RunEventOf } from "../event.ts";
import type { EventSink } from "../event_bus.ts";
import { every as defaultEvery, type Every } from "./every.ts";
import { shown, type LogLevel } from "./log_level.ts";
import { finishedStepLines, formatDuration, summaryLines } from "./step_lines.ts";
import type { Style } from "./style.ts";

export interface Writer {
  write(text: string): unknown;
}

/** How often a step that is still running says so in plain output (CI logs show nothing else meanwhile). */
export const STILL_RUNNING_EVERY_MS = 30_000;

/** Plain lines, one event at a time: for pipes, files, CI logs and `--raw`. */
export function textPresenter(out: Writer, level: LogLevel, style: Style, every: Every = defaultEvery): EventSink {
  const failures: RunEventOf<"step.finished">[] = [];
  let stillRunning: { stop(): void } | undefined;
  const write = (lines: string[]) => {
    if (lines.length) out.write(`${lines.join("\n")}\n`);
  };
  return (event: RunEvent) => {
    if (event.type === "step.finished" || event.type === "run.finished") {
      stillRunning?.stop();
      stillRunning = undefined;
    }
    if (event.type === "step.started" && shown(event, level)) {
      let ticks = 0;
      stillRunning = every(STILL_RUNNING_EVERY_MS, () => {
        ticks += 1;
        write([style.dim(`${"running".padEnd(12)} ${event.step_id}  ${event.data.name}  still running (${(ticks * STILL_RUNNING_EVERY_MS) / 1000}s)`)]);
      });
    }
    if (event.type === "step.finished" && event.data.status === "failed" && !event.data.ignored) failures.push(event);
    if (shown(event, level)) write(textLines(event, failures, style));
  };
}

export function textLines(event: RunEvent, failures: readonly RunEventOf<"step.finished">[], style: Style): string[] {
  switch (event.type) {
    case "run.started": {
      const { root_file: root, total_steps: total, dry_run: dryRun, tags } = event.data;
      const notes = [dryRun ? "dry run: nothing will change" : "", tags.length ? `tags ${tags.join(",")}` : ""].filter(Boolean);
      return [style.bold(`Running ${displayPath(root)}: ${total} steps${notes.length ? ` (${notes.join("; ")})` : ""}`)];
    }
    case "step.started":
      return [style.dim(`${"started".padEnd(12)} ${event.step_id}  ${event.data.name}`)];
    case "step.stdout":
    case "step.stderr":
      return event.data.lines.map((line) => style.dim(`${" ".repeat(12)} │ ${line}`));
    case "step.retry": {
      const { attempt, max_attempts: max, delay_ms: delay, error } = event.data;
      const when = delay === 0 ? "again now" : `again in ${formatDuration(delay)}`;
      return [style.yellow(`${"retrying".padEnd(12)} ${event.step_id}  attempt ${attempt}/${max} failed (${error.message}); ${when}`)];
    }
    case "step.finished":
      return finishedStepLines(event, style);
    case "run.finished":
      return ["", ...summaryLines(event, failures, style)];
    case "file.changed":
      return [style.dim(`${" ".repeat(12)} ${event.data.operation} ${event.data.path}`)];
    case "plan.built":
      return [];
  }
}
