import { afterEach, describe, expect, test } from "bun:test";
import { hangingNvidiaSmi, oneGpu } from "../helpers/fake_nvidia_smi.ts";
import { runBinary } from "../helpers/run_binary.ts";
import { tempDir } from "../helpers/temp_dir.ts";

let cleanup: (() => void)[] = [];
afterEach(() => {
  for (const remove of cleanup) remove();
  cleanup = [];
});

function doctor(args: string[], setup: (dir: string) => void = () => {}, env: Record<string, string> = {}) {
  const tmp = tempDir({ "ok.yml": "- print: hi\n", "bad.yml": "- shel: x\n", "blocker": "a file" });
  cleanup.push(tmp.remove);
  setup(tmp.dir);
  const result = runBinary(["doctor", "--format", "json", "--artifacts-dir", tmp.path("runs"), ...args], { cwd: tmp.dir, env: { PATH: `${tmp.dir}:${process.env.PATH}`, ...env } });
  const report = JSON.parse(result.stdout) as { ok: boolean; checks: { name: string; status: string; detail: string; fix?: string }[] };
  return { ...result, report, row: (name: string) => report.checks.find((c) => c.name === name)!, tmp };
}

describe("mooncake doctor", () => {
  test("one row per check; the GPU nvidia-smi reports; exit 0 when nothing fails", () => {
    const { exitCode, report, row } = doctor(["--config", "ok.yml"], oneGpu);
    expect(exitCode).toBe(0);
    expect(report.ok).toBe(true);
    expect(report.checks.map((c) => c.name)).toEqual([
      "platform", "artifacts dir", "sudo", "service manager", "shell", "rsync", "tar", "git", "curl", "nvidia-smi", "facts probes", "config",
    ]);
    expect(row("nvidia-smi")).toEqual({ name: "nvidia-smi", status: "ok", detail: "1 GPU (NVIDIA GeForce RTX 4090), driver 550.54.14, CUDA 12.4" });
    expect(row("config")).toMatchObject({ status: "ok", detail: "ok.yml is valid (1 steps)" });
    expect(row("artifacts dir").status).toBe("ok");
  });

  test("a hanging nvidia-smi is a warning with a fix; an invalid config fails with exit 1", () => {
    const { exitCode, report, row } = doctor(["--config", "bad.yml"], hangingNvidiaSmi, { MOONCAKE_FACTS_TIMEOUT: "0.3" });
    expect(exitCode).toBe(1);
    expect(report.ok).toBe(false);
    expect(row("nvidia-smi")).toMatchObject({ status: "warn", detail: "nvidia-smi: did not answer in time and was stopped" });
    expect(row("config")).toMatchObject({ status: "fail", fix: "run mooncake validate --config bad.yml" });
    expect(row("config").detail).toContain("bad.yml:1:3: error: Step has no action");
  });

  test("an artifacts dir blocked by a file fails", () => {
    const { exitCode, row, tmp } = doctor(["--artifacts-dir", "blocker/runs"]);
    expect(exitCode).toBe(1);
    expect(row("artifacts dir")).toMatchObject({ status: "fail", detail: `Cannot create "${tmp.path("blocker/runs")}": a file is in the way at "${tmp.path("blocker")}"` });
  });

  test("text output shows status, check and detail per line", () => {
    const tmp = tempDir({});
    cleanup.push(tmp.remove);
    const result = runBinary(["doctor", "--artifacts-dir", tmp.path("runs")], { env: { PATH: `${tmp.dir}:${process.env.PATH}` } });
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/^ok +platform +linux\//m);
    expect(result.stdout).toMatch(/^ok +nvidia-smi +no NVIDIA GPU$/m);
  });
});
