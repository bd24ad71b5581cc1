import { afterEach, expect, test } from "bun:test";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { BINARY } from "../helpers/run_binary.ts";
import { tempDir } from "../helpers/temp_dir.ts";

let tmp: ReturnType<typeof tempDir>;
let sleeper: number | undefined;
afterEach(() => {
  // A step's processes run in their own group, so they outlive a mooncake killed with -9.
  if (sleeper !== undefined) tryKill(-sleeper);
  sleeper = undefined;
  tmp.remove();
});

const CONFIG = `
- name: Quick
  shell: echo ready
- name: Long
  shell: "echo $$ > sleeper.pid; exec sleep 60"
- name: Never
  shell: "true"
`;

/** Starts a run and waits until its long step is running: its start event is on disk and its pid known. */
async function startLongRun() {
  tmp = tempDir({ "site.yml": CONFIG });
  const child = Bun.spawn([BINARY, "run", "-c", "site.yml", "--raw"], {
    cwd: tmp.dir,
    env: { PATH: process.env.PATH ?? "", HOME: tmp.dir },
    stdout: "ignore",
    stderr: "ignore",
  });
  for (;;) {
    const runs = existsSync(tmp.path(".mooncake/runs")) ? readdirSync(tmp.path(".mooncake/runs")) : [];
    const dir = runs.length ? tmp.path(`.mooncake/runs/${runs[0]}`) : "";
    const events = dir && existsSync(join(dir, "events.jsonl")) ? readFileSync(join(dir, "events.jsonl"), "utf8") : "";
    const pid = existsSync(tmp.path("sleeper.pid")) ? readFileSync(tmp.path("sleeper.pid"), "utf8").trim() : "";
    if (events.includes('"step_id":"step-0002"') && pid) {
      sleeper = Number(pid);
      return { child, dir };
    }
    if (child.exitCode !== null) throw new Error(`mooncake exited early with ${child.exitCode}`);
    await Bun.sleep(20);
  }
}

function tryKill(pid: number): void {
  try {
    process.kill(pid, "SIGKILL");
  } catch {
    // Already gone.
  }
}

function eventTypes(dir: string): string[] {
  return readFileSync(join(dir, "events.jsonl"), "utf8").trimEnd().split("\n").map((l) => JSON.parse(l).type);
}

for (const signal of ["SIGTERM", "SIGINT"] as const) {
  test(`${signal} finishes the run's artifacts as interrupted`, async () => {
    const { child, dir } = await startLongRun();
    child.kill(signal);
    expect(await child.exited).toBe(130);
    expect(JSON.parse(readFileSync(join(dir, "summary.json"), "utf8"))).toMatchObject({
      status: "interrupted", success: false, error_kind: "interrupted", total_steps: 2, success_steps: 1, failed_steps: 1,
    });
    const results = JSON.parse(readFileSync(join(dir, "results.json"), "utf8"));
    expect(results.steps[1]).toMatchObject({ step_id: "step-0002", status: "failed", error_kind: "interrupted" });
    expect(eventTypes(dir).at(-1)).toBe("run.finished");
    expect(existsSync(join(dir, "run.lock"))).toBe(false);
    const history = readFileSync(join(dir, "..", "history.jsonl"), "utf8").trimEnd().split("\n");
    expect(history.map((l) => JSON.parse(l).status)).toEqual(["interrupted"]);
  });
}

test("after kill -9 the run directory has the events up to the last step boundary, no summary, and its lock", async () => {
  const { child, dir } = await startLongRun();
  child.kill("SIGKILL");
  await child.exited;
  expect(eventTypes(dir)).toEqual(["run.started", "plan.built", "step.started", "step.stdout", "step.finished", "step.started"]);
  expect(readdirSync(dir).sort()).toEqual(["events.jsonl", "facts.json", "plan.json", "run.lock"]);
  expect(existsSync(join(dir, "..", "history.jsonl"))).toBe(false);
  expect(existsSync(join(dir, "..", "last_run.json"))).toBe(false);
});
