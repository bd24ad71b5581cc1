import type { RunEvent } from "../event.ts";
import type { EventSink } from "../event_bus.ts";
import { shown, type LogLevel } from "./log_level.ts";
import type { Writer } from "./text_presenter.ts";

/** One JSON event per line and nothing else: the machine interface of `run --log-format json`. */
export function jsonPresenter(out: Writer, level: LogLevel): EventSink {
  return (event: RunEvent) => {
    if (shown(event, level)) out.write(`${JSON.stringify(event)}\n`);
  };
}
