import type { Counts, RunEvent, RunEventOf } from "../event.ts";
import type { EventSink } from "../event_bus.ts";
import { every as defaultEvery, type Every } from "./every.ts";
import { shown, type LogLevel } from "./log_level.ts";
import { finishedStepLines, formatDuration } from "./step_lines.ts";
import type { Style } from "./style.ts";
import type { Writer } from "./text_presenter.ts";

const FRAME_MS = 120;
const SPINNER = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

interface HostLine {
  name: string;
  phase: string;
  counts: Counts;
  finished?: RunEventOf<"host.finished">;
}

export interface FleetViewOptions {
  level: LogLevel;
  style: Style;
  /** A terminal: one line per host redrawn in place; otherwise plain lines, each prefixed with its host. */
  live: boolean;
  columns?: () => number;
  every?: Every;
}

/**
 * The human view of a fleet run (`run --inventory`): on a terminal one status line per host
 * (current step, counts) redrawn in place, with failures printed above; elsewhere plain lines
 * each prefixed with the host. Both end with the summary table: host, status, ok / changed /
 * failed, duration.
 */
export function fleetPresenter(out: Writer, options: FleetViewOptions): EventSink {
  const { style } = options;
  const hosts = new Map<string, HostLine>();
  let drawn = 0;
  let frameNumber = 0;
  let timer: { stop(): void } | undefined;
  const width = Math.max(30, options.columns?.() ?? 100);
  const nameWidth = () => Math.max(4, ...[...hosts.keys()].map((n) => n.length));

  const clear = () => {
    if (drawn > 0) out.write(`\x1b[${drawn}A\x1b[J`);
    drawn = 0;
  };
  const frame = () => {
    if (!options.live) return;
    clear();
    const spinner = SPINNER[frameNumber++ % SPINNER.length]!;
    const rows = [...hosts.values()].map((h) => fit(`${h.finished ? statusWord(h.finished.data.status, style) : spinner} ${h.name.padEnd(nameWidth())}  ${h.phase}  ${style.dim(tally(h.counts))}`, width));
    if (rows.length) out.write(`${rows.join("\n")}\n`);
    drawn = rows.length;
  };
  const print = (lines: string[]) => {
    if (lines.length === 0) return;
    clear();
    out.write(`${lines.join("\n")}\n`);
    frame();
  };
  const prefixed = (host: string, lines: string[]) => lines.map((l) => `${style.dim(host.padEnd(nameWidth()))}  ${l}`);

  return (event: RunEvent) => {
    const host = event.host !== undefined ? hosts.get(event.host) : undefined;
    switch (event.type) {
      case "fleet.started":
        for (const name of event.data.hosts) hosts.set(name, { name, phase: style.dim("waiting"), counts: { ok: 0, changed: 0, skipped: 0, failed: 0, ignored: 0 } });
        print([style.bold(`Running ${event.data.root_file} on ${event.data.hosts.length} host${event.data.hosts.length === 1 ? "" : "s"} (forks ${event.data.forks})${event.data.dry_run ? ", dry run: nothing will change" : ""}`)]);
        if (options.live) timer = (options.every ?? defaultEvery)(FRAME_MS, frame);
        return;
      case "host.prepared":
        if (host) host.phase = style.dim("starting");
        if (!options.live && event.host !== undefined) print(prefixed(event.host, [style.dim(`connected (${event.data.target}), mooncake ${event.data.binary_uploaded ? "uploaded" : "already there"}`)]));
        return;
      case "step.started":
        if (host) host.phase = `${event.step_id ?? ""} ${event.data.name}`;
        return;
      case "step.finished":
        if (host) host.counts[event.data.status] += 1;
        if (event.host !== undefined && (!options.live || event.data.status === "failed") && shown(event, options.level)) print(prefixed(event.host, finishedStepLines(event, style)));
        return;
      case "host.finished":
        if (host) {
          host.finished = event;
          host.phase = event.data.error && event.data.status !== "ok" ? style.red(event.data.error.message) : formatDuration(event.data.duration_ms);
          if (event.data.counts) host.counts = event.data.counts;
        }
        if (!options.live && event.host !== undefined) print(prefixed(event.host, [`${statusWord(event.data.status, style)}${event.data.error ? ` ${event.data.error.message}` : ""}`]));
        else frame();
        return;
      case "fleet.finished":
        timer?.stop();
        clear();
        out.write(`${["", ...summaryTable([...hosts.values()], style), "", summaryLine(event, style)].join("\n")}\n`);
        return;
      default:
        return;
    }
  };
}

function summaryTable(hosts: readonly HostLine[], style: Style): string[] {
  const rows = hosts.map((h) => {
    const data = h.finished?.data;
    const counts = data?.counts ?? h.counts;
    return [h.name, data?.status ?? "not run", String(counts.ok), String(counts.changed), String(counts.failed), data ? formatDuration(data.duration_ms) : ""];
  });
  const header = ["HOST", "STATUS", "OK", "CHANGED", "FAILED", "DURATION"];
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i >= 2 && i <= 4 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join("  ").trimEnd();
  return [style.bold(line(header)), ...rows.map((r) => {
    const text = line(r);
    return r[1] === "ok" ? text : style.red(text);
  })];
}

function summaryLine(event: RunEventOf<"fleet.finished">, style: Style): string {
  const { hosts, status, dry_run: dryRun, duration_ms: ms } = event.data;
  const parts = [`${hosts.ok} ok`, `${hosts.failed} failed`, `${hosts.unreachable} unreachable`, ...(hosts.interrupted ? [`${hosts.interrupted} interrupted`] : [])];
  const run = dryRun ? "Dry run" : "Fleet run";
  const verdict = status === "ok" ? style.green(`${run} finished`) : style.red(`${run} ${status}`);
  return `${style.bold(verdict)}: ${parts.join(", ")} in ${formatDuration(ms)}`;
}

function statusWord(status: string, style: Style): string {
  return status === "ok" ? style.green("ok") : style.red(status);
}

function tally(c: Counts): string {
  return `${c.ok} ok · ${c.changed} changed · ${c.failed} failed`;
}

function fit(text: string, width: number): string {
  // eslint-disable-next-line no-control-regex
  const visible = text.replace(/\x1b\[[0-9;]*m/g, "");
  return visible.length > width ? `${visible.slice(0, width - 1)}…` : text;
}
