import type { RunEvent } from "../event.ts";

export const LOG_LEVELS = ["debug", "info", "warn", "error"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

const RANK: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

/**
 * How important an event is: output lines and changed files are detail (debug); step starts and
 * finished steps are info, retries and ignored failures warn, failures error. A step outside the
 * selected tags, or a loop with no items, is detail too. The run's start and end are always shown.
 */
export function eventLevel(event: RunEvent): LogLevel | "always" {
  switch (event.type) {
    case "run.started":
    case "run.finished":
      return "always";
    case "step.finished": {
      const { status, ignored, skipped } = event.data;
      if (status === "failed") return ignored ? "warn" : "error";
      return skipped && (skipped.reason === "tags" || skipped.reason === "empty_loop") ? "debug" : "info";
    }
    case "step.retry":
      return "warn";
    case "step.started":
      return "info";
    default:
      return "debug";
  }
}

export function shown(event: RunEvent, threshold: LogLevel): boolean {
  const level = eventLevel(event);
  return level === "always" || RANK[level] >= RANK[threshold];
}
