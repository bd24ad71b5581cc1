import { expect, test } from "bun:test";
import type { EventData, EventType, RunEvent } from "../../../core/events/event.ts";
import { fleetPresenter } from "../../../core/events/presenters/fleet_presenter.ts";
import { PLAIN } from "../../../core/events/presenters/style.ts";

let seq = 0;
function event<T extends EventType>(type: T, data: EventData<T>, extra: { host?: string; step_id?: string } = {}): RunEvent {
  return { schema_version: 1, type, run_id: "r", seq: ++seq, timestamp: "2026-01-01T00:00:00.000Z", ...extra, data } as RunEvent;
}

const origin = { file: "site.yml", line: 1, col: 3 };
const counts = { ok: 1, changed: 2, skipped: 0, failed: 0, ignored: 0 };
const stepFinished = (host: string, status: "changed" | "failed") =>
  event("step.finished", {
    name: "write", action: "file", status, changed: status === "changed", dry_run: false, started_at: "", ended_at: "", duration_ms: 5, attempts: 1, origin, result: {},
    ...(status === "failed" ? { error: { kind: "exit_code" as const, message: "exit 1" } } : {}),
  }, { host, step_id: "step-0002" });
const FLEET = [
  event("fleet.started", { root_file: "site.yml", dry_run: false, hosts: ["web1", "db1"], forks: 10 }),
  event("step.started", { name: "write", action: "file", dry_run: false, origin }, { host: "web1", step_id: "step-0002" }),
  stepFinished("web1", "changed"),
  event("host.finished", { status: "ok", duration_ms: 2100, run_id: "x", counts }, { host: "web1" }),
  event("host.finished", { status: "unreachable", duration_ms: 312, error: { kind: "unreachable", message: "Cannot reach db1 (10.0.0.2) over ssh: Connection refused" } }, { host: "db1" }),
  event("fleet.finished", { status: "failed", dry_run: false, duration_ms: 2100, hosts: { ok: 1, failed: 0, unreachable: 1, interrupted: 0 } }),
];

test("plain fleet output prefixes each line with its host and ends with the summary table", () => {
  let out = "";
  const sink = fleetPresenter({ write: (t: string) => (out += t) }, { level: "info", style: PLAIN, live: false });
  for (const e of FLEET) sink(e);
  expect(out).toBe([
    "Running site.yml on 2 hosts (forks 10)",
    "web1  changed      step-0002  write  5ms",
    "web1  ok",
    "db1   unreachable Cannot reach db1 (10.0.0.2) over ssh: Connection refused",
    "",
    "HOST  STATUS       OK  CHANGED  FAILED  DURATION",
    "web1  ok            1        2       0  2.1s",
    "db1   unreachable   0        0       0  312ms",
    "",
    "Fleet run failed: 1 ok, 0 failed, 1 unreachable in 2.1s",
    "",
  ].join("\n"));
});

test("the live view keeps one line per host with its current step and counts, redrawn in place", () => {
  let out = "";
  const frames: (() => void)[] = [];
  const sink = fleetPresenter({ write: (t: string) => (out += t) }, { level: "info", style: PLAIN, live: true, columns: () => 80, every: (_ms, tick) => (frames.push(tick), { stop: () => undefined }) });
  for (const e of FLEET.slice(0, 2)) sink(e);
  out = "";
  frames[0]!();
  expect(out).toBe("\x1b[2A\x1b[J⠙ web1  step-0002 write  0 ok · 0 changed · 0 failed\n⠙ db1   waiting  0 ok · 0 changed · 0 failed\n");
  sink(stepFinished("web1", "failed"));
  expect(out).toContain("web1  failed       step-0002  write  5ms");
});
