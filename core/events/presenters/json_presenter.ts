import type { RunEvent } from "../event.ts";
import type { EventSink } from "../event_bus.ts";
import type { Writer } from "./text_presenter.ts";

/**
 * One JSON event per line and nothing else: the machine interface of `run --log-format json`.
 * Every event is written whatever `--log-level` says (it filters human text only), so `seq` has
 * no gaps and a consumer sees the whole run.
 */
export function jsonPresenter(out: Writer): EventSink {
  return (event: RunEvent) => {
    out.write(`${JSON.stringify(event)}\n`);
  };
}
