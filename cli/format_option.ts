import { Option } from "clipanion";
import * as t from "typanion";

/** `-f, --format text|json`, the output choice of every command that prints a report. */
export function textOrJsonFormat() {
  return Option.String("-f,--format", "text", {
    description: "Output format: text or json",
    validator: t.isEnum(["text", "json"] as const),
  });
}
