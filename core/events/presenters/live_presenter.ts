import type { Counts, RunEvent, RunEventOf } from "../event.ts";
import type { EventSink } from "../event_bus.ts";
import { every, type Every } from "./every.ts";
import { shown, type LogLevel } from "./log_level.ts";
import { formatDuration } from "./step_lines.ts";
import type { Style } from "./style.ts";
import { textLines, type Writer } from "./text_presenter.ts";

const SPINNER = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];
const TAIL_LINES = 3;
const FRAME_MS = 80;

export interface LiveOptions {
  level: LogLevel;
  style: Style;
  /** Terminal width, to keep each status line on one row. */
  columns: () => number;
  now?: () => number;
  /** Starts the animation timer; tests pass a no-op and call `frame` themselves. */
  every?: Every;
}

/**
 * The terminal view: finished steps scroll by as in the text output, and below them a status
 * block (spinner, current step, its elapsed time, counts so far, the tail of its output) is
 * redrawn in place until the run ends. It consumes the same events as the text presenter.
 */
export class LivePresenter {
  private readonly failures: RunEventOf<"step.finished">[] = [];
  private readonly counts: Counts = { ok: 0, changed: 0, skipped: 0, failed: 0, ignored: 0 };
  private current: { id: string; name: string; since: number } | undefined;
  private tail: string[] = [];
  private drawnLines = 0;
  private frameNumber = 0;
  private timer: { stop(): void } | undefined;
  private readonly now: () => number;

  constructor(private readonly out: Writer, private readonly options: LiveOptions) {
    this.now = options.now ?? (() => performance.now());
  }

  readonly sink: EventSink = (event: RunEvent) => {
    switch (event.type) {
      case "run.started":
        this.print(textLines(event, this.failures, this.options.style));
        this.timer = (this.options.every ?? every)(FRAME_MS, () => this.frame());
        return;
      case "step.started":
        this.current = { id: event.step_id ?? "", name: event.data.name, since: this.now() };
        this.tail = [];
        return this.frame();
      case "step.stdout":
      case "step.stderr":
        this.tail = [...this.tail, ...event.data.lines.slice(-TAIL_LINES)].slice(-TAIL_LINES);
        return;
      case "step.finished":
        this.counts[event.data.status] += 1;
        if (event.data.status === "failed" && !event.data.ignored) this.failures.push(event);
        this.current = undefined;
        if (shown(event, this.options.level)) this.print(textLines(event, this.failures, this.options.style));
        return;
      case "step.retry":
      case "file.changed":
        if (shown(event, this.options.level)) this.print(textLines(event, this.failures, this.options.style));
        return;
      case "run.finished":
        this.timer?.stop();
        this.current = undefined;
        this.print(textLines(event, this.failures, this.options.style));
        return;
      case "plan.built":
        return;
    }
  };

  /** Redraws the status block. */
  frame(): void {
    this.clear();
    if (!this.current) return;
    const { style } = this.options;
    const width = Math.max(20, this.options.columns());
    const spinner = SPINNER[this.frameNumber++ % SPINNER.length];
    const elapsed = formatDuration(this.now() - this.current.since);
    const c = this.counts;
    const tally = `${c.ok} ok · ${c.changed} changed · ${c.skipped} skipped · ${c.failed} failed`;
    const status = fit(`${spinner} ${this.current.id}  ${this.current.name}  ${elapsed}`, Math.max(10, width - tally.length - 2));
    const lines = [`${status}  ${style.dim(tally)}`];
    for (const line of this.tail) lines.push(style.dim(fit(`  │ ${line}`, width)));
    this.out.write(`${lines.join("\n")}\n`);
    this.drawnLines = lines.length;
  }

  private print(lines: string[]): void {
    this.clear();
    if (lines.length) this.out.write(`${lines.join("\n")}\n`);
    if (this.current) this.frame();
  }

  private clear(): void {
    if (this.drawnLines === 0) return;
    this.out.write(`\x1b[${this.drawnLines}A\x1b[J`);
    this.drawnLines = 0;
  }
}

/** Cuts a line to the terminal width, counting characters (output may hold escapes; they are rare here). */
function fit(text: string, width: number): string {
  const clean = text.replace(/[\x00-\x08\x0b-\x1f\x7f]/g, "");
  return clean.length > width ? `${clean.slice(0, width - 1)}…` : clean;
}
