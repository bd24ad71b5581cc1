import { afterEach, expect, test } from "bun:test";
import { readEventTimeline } from "../../../artifacts/dashboard/event_timeline.ts";
import { tempDir } from "../../helpers/temp_dir.ts";

let remove: (() => void) | undefined;
afterEach(() => remove?.());

test("a step's finish counts the lines of its batched output events", () => {
  const event = (seq: number, type: string, data: object) => JSON.stringify({ schema_version: 1, type, run_id: "r", seq, timestamp: "t", step_id: "step-0001", data });
  const events = [
    event(1, "step.stdout", { lines: ["a", "b", "c"], first_line: 1 }),
    event(2, "step.stderr", { lines: ["oops"], first_line: 1 }),
    event(3, "step.finished", { name: "build", status: "ok", duration_ms: 5 }),
  ];
  const tmp = tempDir({ "events.jsonl": `${events.join("\n")}\n` });
  remove = tmp.remove;
  const { events: timeline } = readEventTimeline(tmp.path("events.jsonl"));
  expect(timeline.map((e) => e.text)).toEqual(["build: ok in 5 ms, 4 output lines"]);
});
