import { afterEach, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { forkingHangingNvidiaSmi } from "../helpers/fake_nvidia_smi.ts";
import { endsSoon } from "../helpers/process_alive.ts";
import { runBinary } from "../helpers/run_binary.ts";
import { tempDir } from "../helpers/temp_dir.ts";

let cleanup: (() => void)[] = [];
afterEach(() => {
  for (const remove of cleanup) remove();
  cleanup = [];
});

/** A temp dir first on PATH; any pid recorded in `*.pid` is killed when the test ends. */
function withFakes(files: Record<string, string> = {}) {
  const tmp = tempDir(files);
  cleanup.push(() => {
    for (const name of ["child.pid", "bg.pid"]) {
      try {
        process.kill(Number(readFileSync(tmp.path(name), "utf8")), "SIGKILL");
      } catch {
        // Not started, or already gone.
      }
    }
    tmp.remove();
  });
  return { ...tmp, env: { PATH: `${tmp.dir}:${process.env.PATH}`, HOME: tmp.dir, MOONCAKE_FACTS_TIMEOUT: "0.5" } };
}

const childPid = (tmp: { path(p: string): string }) => Number(readFileSync(tmp.path("child.pid"), "utf8"));

describe("probes run in their own process group", () => {
  test("mooncake facts ends at the probe timeout although nvidia-smi's child holds its output, and kills that child", async () => {
    const tmp = withFakes();
    forkingHangingNvidiaSmi(tmp.dir, tmp.path("child.pid"));
    // Without the group kill this takes the child's 60 s and the spawn timeout fails the test.
    const result = runBinary(["facts"], { env: tmp.env, timeoutMs: 30_000 });
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toContain("warning: gpu: nvidia-smi: did not answer in time and was stopped");
    expect(await endsSoon(childPid(tmp))).toBe(true);
  }, 40_000);

  test("a plan that reads gpu facts leaves no process of the probe behind", async () => {
    const tmp = withFakes({ "site.yml": "- print: 'gpus: {{ gpu.count }}'\n" });
    forkingHangingNvidiaSmi(tmp.dir, tmp.path("child.pid"));
    const result = runBinary(["plan", "-c", "site.yml"], { cwd: tmp.dir, env: tmp.env, timeoutMs: 30_000 });
    expect(result.exitCode).toBe(0);
    expect(await endsSoon(childPid(tmp))).toBe(true);
  }, 40_000);
});

describe("a step whose background process holds its output", () => {
  test("the run stops waiting after a short grace, says so in the step result, and ends", () => {
    const tmp = withFakes({ "site.yml": "- shell: echo started; sleep 20 & echo $! > bg.pid\n" });
    // The sleep holds stdout for 20 s; the spawn timeout fails the test if the run waits for it.
    const result = runBinary(["run", "-c", "site.yml", "--raw"], { cwd: tmp.dir, env: tmp.env, timeoutMs: 15_000 });
    expect(result.stdout).toContain("started");
    expect(result.stdout).toContain("warning: A background process the command started still held its output 1s after it exited");
    expect(result.exitCode).toBe(0);
    const results = JSON.parse(readFileSync(tmp.path(".mooncake/runs/last_run.json"), "utf8"));
    const events = readFileSync(tmp.path(`.mooncake/runs/${results.run_id}/events.jsonl`), "utf8").trimEnd().split("\n").map((l) => JSON.parse(l));
    const finished = events.find((e) => e.type === "step.finished");
    expect(finished.data.warnings).toEqual([expect.stringContaining("still held its output")]);
  });
});
