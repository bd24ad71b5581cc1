import type { EventSink } from "../core/events/event_bus.ts";
import { jsonPresenter } from "../core/events/presenters/json_presenter.ts";
import { LivePresenter } from "../core/events/presenters/live_presenter.ts";
import type { LogLevel } from "../core/events/presenters/log_level.ts";
import { styleFor } from "../core/events/presenters/style.ts";
import { textPresenter } from "../core/events/presenters/text_presenter.ts";

/** JSON lines when asked; the live view on a terminal; plain lines otherwise or with --raw. */
export function choosePresenter(options: { stdout: NodeJS.WriteStream; format: "text" | "json"; level: LogLevel; raw: boolean }): EventSink {
  const { stdout, format, level, raw } = options;
  if (format === "json") return jsonPresenter(stdout);
  const style = styleFor(stdout);
  if (raw || !stdout.isTTY) return textPresenter(stdout, level, style);
  return new LivePresenter(stdout, { level, style, columns: () => stdout.columns ?? 80 }).sink;
}
