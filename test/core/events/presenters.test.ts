import { describe, expect, test } from "bun:test";
import type { RunEvent } from "../../../core/events/event.ts";
import { jsonPresenter } from "../../../core/events/presenters/json_presenter.ts";
import { LivePresenter } from "../../../core/events/presenters/live_presenter.ts";
import { COLORS, PLAIN, styleFor } from "../../../core/events/presenters/style.ts";
import { textPresenter } from "../../../core/events/presenters/text_presenter.ts";

const origin = { file: "/nowhere/site.yml", line: 3, col: 5 };
let seq = 0;
const envelope = { schema_version: 1, run_id: "r", timestamp: "2026-01-01T00:00:00.000Z" };
const started = { ...envelope, seq: ++seq, type: "run.started", data: { root_file: "site.yml", dry_run: false, tags: [], total_steps: 2 } } as RunEvent;
const stepStarted = { ...envelope, seq: ++seq, type: "step.started", step_id: "step-0001", data: { name: "Build", action: "shell", dry_run: false, origin } } as RunEvent;
const output = (line: string) => ({ ...envelope, seq: ++seq, type: "step.stdout", step_id: "step-0001", data: { lines: [line], first_line: 1 } }) as RunEvent;
const finished = (status: "ok" | "failed", extra: object = {}) => ({
  ...envelope, seq: ++seq, type: "step.finished", step_id: "step-0001",
  data: { name: "Build", action: "shell", status, changed: false, dry_run: false, started_at: "", ended_at: "", duration_ms: 1500, attempts: 1, origin, result: {}, ...extra },
}) as RunEvent;
const runFinished = (status: "ok" | "failed") => ({
  ...envelope, seq: ++seq, type: "run.finished",
  data: { status, dry_run: false, duration_ms: 2000, counts: { ok: 0, changed: 0, skipped: 0, failed: status === "failed" ? 1 : 0, ignored: 0 }, failed_steps: [] },
}) as RunEvent;

function collect() {
  const chunks: string[] = [];
  return { out: { write: (t: string) => chunks.push(t) }, text: () => chunks.join("") };
}

describe("text presenter", () => {
  test("shows step starts, finished steps and the summary at info; output lines only at debug", () => {
    const info = collect();
    const debug = collect();
    const events = [started, stepStarted, output("compiling"), finished("ok"), runFinished("ok")];
    const infoSink = textPresenter(info.out, "info", PLAIN);
    for (const e of events) infoSink(e);
    const sink = textPresenter(debug.out, "debug", PLAIN);
    for (const e of events) sink(e);
    expect(info.text()).toBe("Running site.yml: 2 steps\nstarted      step-0001  Build\nok           step-0001  Build  1.5s\n\nRun finished: 0 ok, 0 changed, 0 skipped, 0 failed in 2.0s\n");
    expect(debug.text()).toContain("started      step-0001  Build\n             │ compiling\n");
  });

  test("a step still running says so every 30s until it finishes", () => {
    const { out, text } = collect();
    const ticks: (() => void)[] = [];
    let stopped = 0;
    const sink = textPresenter(out, "info", PLAIN, (ms, tick) => {
      expect(ms).toBe(30_000);
      ticks.push(tick);
      return { stop: () => stopped++ };
    });
    sink(started);
    sink(stepStarted);
    ticks[0]!();
    ticks[0]!();
    sink(finished("ok"));
    expect(stopped).toBe(1);
    expect(text()).toContain("started      step-0001  Build\nrunning      step-0001  Build  still running (30s)\nrunning      step-0001  Build  still running (60s)\nok           step-0001  Build  1.5s\n");
  });

  test("an interrupted step says interrupted, and a dry run that failed says Dry run failed", () => {
    const { out, text } = collect();
    const sink = textPresenter(out, "info", PLAIN);
    sink(finished("failed", { error: { kind: "interrupted", message: "Interrupted: the step's processes were stopped" } }));
    sink({ ...runFinished("failed"), data: { ...(runFinished("failed") as any).data, dry_run: true } } as RunEvent);
    expect(text()).toStartWith("interrupted  step-0001  Build  1.5s\n");
    expect(text()).toContain("\nDry run failed: ");
  });

  test("the run's config is shown relative to the working directory when it is below it", () => {
    const { out, text } = collect();
    textPresenter(out, "info", PLAIN)({ ...started, data: { ...(started as any).data, root_file: `${process.cwd()}/deploy/site.yml` } } as RunEvent);
    expect(text()).toBe("Running deploy/site.yml: 2 steps\n");
  });

  test("a retry says when the next attempt comes in the units a person reads", () => {
    const { out, text } = collect();
    const sink = textPresenter(out, "info", PLAIN);
    const retry = (delay: number) => ({ ...envelope, seq: ++seq, type: "step.retry", step_id: "step-0001", data: { attempt: 1, max_attempts: 3, delay_ms: delay, error: { kind: "exit_code", message: "exit 1" } } }) as RunEvent;
    for (const delay of [0, 250, 90_000, 7_200_000]) sink(retry(delay));
    expect(text().trimEnd().split("\n").map((l) => l.replace(/^.*failed \(exit 1\); /, ""))).toEqual(["again now", "again in 250ms", "again in 1m30s", "again in 2h0m"]);
  });

  test("a failure shows its error and origin, and the summary lists it", () => {
    const { out, text } = collect();
    const sink = textPresenter(out, "info", PLAIN);
    for (const e of [started, finished("failed", { error: { kind: "exit_code", message: "Command exited with code 2" } }), runFinished("failed")]) sink(e);
    expect(text()).toContain("failed       step-0001  Build  1.5s\n             Command exited with code 2\n             at /nowhere/site.yml:3:5\n");
    expect(text()).toContain("Run failed: 0 ok, 0 changed, 0 skipped, 1 failed in 2.0s\n  ✗ step-0001 Build (/nowhere/site.yml:3:5): Command exited with code 2\n");
  });

  test("colours only on a terminal, and never with NO_COLOR", () => {
    expect(styleFor({ isTTY: true }, {})).toBe(COLORS);
    expect(styleFor({ isTTY: true }, { NO_COLOR: "1" })).toBe(PLAIN);
    expect(styleFor({ isTTY: false }, {})).toBe(PLAIN);
  });
});

describe("json presenter", () => {
  test("writes every event as one JSON line: the level filters human text only", () => {
    const { out, text } = collect();
    const sink = jsonPresenter(out);
    for (const e of [started, output("an output line"), runFinished("ok")]) sink(e);
    expect(text().trimEnd().split("\n").map((l) => JSON.parse(l).type)).toEqual(["run.started", "step.stdout", "run.finished"]);
  });
});

describe("live presenter", () => {
  test("redraws a status block with the current step, elapsed time, counts and output tail, then clears it", () => {
    const { out, text } = collect();
    let now = 0;
    const live = new LivePresenter(out, { level: "info", style: PLAIN, columns: () => 200, now: () => now, every: () => ({ stop() {} }) });
    live.sink(started);
    live.sink(stepStarted);
    for (const line of ["one", "two", "three", "four"]) live.sink(output(line));
    now = 2500;
    live.frame();
    const frame = text().split("\x1b[1A\x1b[J").at(-1)!;
    expect(frame).toBe("⠙ step-0001  Build  2.5s  0 ok · 0 changed · 0 skipped · 0 failed\n  │ two\n  │ three\n  │ four\n");
    live.sink(finished("ok"));
    live.sink(runFinished("ok"));
    expect(text().endsWith("\x1b[4A\x1b[Jok           step-0001  Build  1.5s\n\nRun finished: 0 ok, 0 changed, 0 skipped, 0 failed in 2.0s\n")).toBe(true);
  });
});
