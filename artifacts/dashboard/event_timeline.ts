import { closeSync, existsSync, openSync, readSync, statSync } from "node:fs";
import { COMPACT_SUFFIX } from "../compact/compacted_file.ts";
import { readArtifactBytes } from "../compact/read_artifact.ts";
import type { TimelineEvent } from "./model.ts";

/** How much of events.jsonl the timeline reads: enough for thousands of steps, bounded for a step that printed gigabytes. */
export const TIMELINE_READ_BYTES = 4 * 1024 * 1024;
/** Timeline entries kept per run. */
export const TIMELINE_MAX_EVENTS = 400;

/**
 * The run's events as a timeline: every event but the output lines (counted on their step's
 * finish instead), read from the head of events.jsonl (as written or compacted) up to a bound.
 */
export function readEventTimeline(path: string): { events: TimelineEvent[]; note: string | null } {
  const head = readHead(path);
  if (typeof head === "string") return { events: [], note: head };
  const { text, cut } = head;
  const lines = text.split("\n");
  if (cut) lines.pop();
  const events: TimelineEvent[] = [];
  const outputLines = new Map<string, number>();
  let unreadable = 0;
  let dropped = 0;
  for (const line of lines) {
    if (line.trim() === "") continue;
    let event: { seq?: unknown; timestamp?: unknown; type?: unknown; step_id?: unknown; data?: unknown };
    try {
      event = JSON.parse(line) as typeof event;
    } catch {
      unreadable++;
      continue;
    }
    const type = typeof event.type === "string" ? event.type : "unknown";
    const stepId = typeof event.step_id === "string" ? event.step_id : null;
    if (type === "step.stdout" || type === "step.stderr") {
      // An event carries a batch of lines (`lines`); a record from before batching, one line.
      const batch = (event.data as { lines?: unknown } | undefined)?.lines;
      if (stepId) outputLines.set(stepId, (outputLines.get(stepId) ?? 0) + (Array.isArray(batch) ? batch.length : 1));
      continue;
    }
    if (events.length >= TIMELINE_MAX_EVENTS) {
      dropped++;
      continue;
    }
    const data = event.data && typeof event.data === "object" ? (event.data as Record<string, unknown>) : {};
    events.push({
      seq: typeof event.seq === "number" ? event.seq : events.length,
      timestamp: typeof event.timestamp === "string" ? event.timestamp : "",
      type,
      step_id: stepId,
      text: describe(type, data, stepId ? outputLines.get(stepId) ?? 0 : 0),
    });
  }
  const notes: string[] = [];
  if (cut) notes.push(`events.jsonl is larger than ${TIMELINE_READ_BYTES / 1024 / 1024} MiB: the timeline shows its beginning`);
  if (dropped) notes.push(`${dropped} later events not shown (the timeline keeps ${TIMELINE_MAX_EVENTS})`);
  if (unreadable) notes.push(`${unreadable} lines of events.jsonl are not JSON`);
  return { events, note: notes.length ? notes.join("; ") : null };
}

function readHead(path: string): { text: string; cut: boolean } | string {
  if (existsSync(path)) {
    const fd = openSync(path, "r");
    try {
      const size = statSync(path).size;
      const buffer = Buffer.alloc(Math.min(size, TIMELINE_READ_BYTES));
      const read = readSync(fd, buffer, 0, buffer.length, 0);
      return { text: buffer.subarray(0, read).toString("utf8"), cut: size > read };
    } finally {
      closeSync(fd);
    }
  }
  const compacted = path + COMPACT_SUFFIX;
  if (!existsSync(compacted)) return "No events.jsonl: the run recorded no events";
  // A compacted file expands whole in memory, so only a small one is opened for the timeline.
  if (statSync(compacted).size > TIMELINE_READ_BYTES / 4) return "events.jsonl is compacted and large: read it with `mooncake artifacts cat`";
  const bytes = readArtifactBytes(path);
  return { text: new TextDecoder().decode(bytes.subarray(0, TIMELINE_READ_BYTES)), cut: bytes.length > TIMELINE_READ_BYTES };
}

function describe(type: string, data: Record<string, unknown>, outputLines: number): string {
  const text = (key: string) => {
    const value = data[key];
    return typeof value === "string" ? value : typeof value === "number" ? String(Math.round(value)) : "";
  };
  switch (type) {
    case "run.started": return `Run started: ${text("root_file")}, ${text("total_steps")} steps${data.dry_run === true ? " (dry run)" : ""}`;
    case "plan.built": return `Plan built: ${text("selected_steps")} of ${text("total_steps")} steps selected`;
    case "step.started": return `${text("name")} (${text("action")}) started`;
    case "step.retry": {
      const error = data.error && typeof data.error === "object" ? (data.error as Record<string, unknown>) : {};
      return `Attempt ${text("attempt")} of ${text("max_attempts")} failed: ${typeof error.message === "string" ? error.message.slice(0, 300) : ""}`;
    }
    case "file.changed": return `${text("operation")} ${text("path")}`;
    case "step.finished": {
      const output = outputLines ? `, ${outputLines} output lines` : "";
      return `${text("name")}: ${text("status")} in ${text("duration_ms")} ms${output}`;
    }
    case "run.finished": return `Run finished: ${text("status")} in ${text("duration_ms")} ms`;
    default: return type;
  }
}
