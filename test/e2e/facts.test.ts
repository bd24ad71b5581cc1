import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { fakeProgram } from "../helpers/fake_program.ts";
import { eightGpus, hangingNvidiaSmi } from "../helpers/fake_nvidia_smi.ts";
import { runBinary } from "../helpers/run_binary.ts";
import { sandbox } from "../helpers/converge.ts";

function withFakes(files: Record<string, string> = {}) {
  const tmp = sandbox(files);
  return { ...tmp, env: { PATH: `${tmp.dir}:${process.env.PATH}` } };
}

describe("mooncake facts", () => {
  test("--format json has the flat names and every group, GPUs from nvidia-smi", () => {
    const tmp = withFakes();
    eightGpus(tmp.dir);
    const result = runBinary(["facts", "--format", "json"], { env: tmp.env });
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toBe("");
    const facts = JSON.parse(result.stdout);
    expect(facts.os).toBe("linux");
    expect(facts.gpu).toMatchObject({ count: 8, driver_version: "535.104.05", cuda_version: "12.2" });
    expect(facts.cpu.cores).toBe(facts.cpu_cores);
    expect(facts.cpu_model).toBe(facts.cpu.model);
    expect(Object.keys(facts.toolchains)).toEqual(["docker", "git", "python", "go", "node", "bun"]);
    expect(facts.system.kernel).toBe(facts.kernel_version);
  });

  test("text lists nested values as dotted names; a hanging nvidia-smi is a warning within the timeout", () => {
    const tmp = withFakes();
    hangingNvidiaSmi(tmp.dir);
    // Instant toolchains, so on a busy machine only nvidia-smi can miss the short timeout.
    for (const tool of ["docker", "git", "python3", "go", "node", "bun"]) fakeProgram(tmp.dir, tool, "echo 1.0.0");
    const result = runBinary(["facts"], { env: { ...tmp.env, MOONCAKE_FACTS_TIMEOUT: "0.3" } });
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/^gpu\.count +0$/m);
    expect(result.stdout).toMatch(/^cpu\.model +\S/m);
    expect(result.stderr).toBe("warning: gpu: nvidia-smi: did not answer in time and was stopped\n");
  });
});

describe("mooncake run --facts-json", () => {
  test("writes the basic facts and only the groups the run read", () => {
    const tmp = withFakes({ "site.yml": "- print: 'cpu {{ cpu.model }} and {{ memory_free_mb }} MB free'\n" });
    const result = runBinary(["run", "-c", tmp.path("site.yml"), "--facts-json", tmp.path("facts.json"), "--raw"], { cwd: tmp.dir, env: tmp.env });
    expect(result.exitCode).toBe(0);
    const facts = JSON.parse(readFileSync(tmp.path("facts.json"), "utf8"));
    expect(facts.os).toBe("linux");
    expect(facts).toHaveProperty("cpu.model");
    expect(facts).toHaveProperty("memory.free_mb");
    expect(facts).not.toHaveProperty("gpu");
    expect(facts).not.toHaveProperty("toolchains");
  });

  test("a facts file that cannot be written fails the run with a message", () => {
    const tmp = withFakes({ "site.yml": "- print: hi\n" });
    const result = runBinary(["run", "-c", tmp.path("site.yml"), "--facts-json", tmp.path("missing/facts.json"), "--raw"], { cwd: tmp.dir, env: tmp.env });
    expect(result.exitCode).toBe(3);
    expect(result.stderr).toContain(`error: Cannot write facts to "${tmp.path("missing/facts.json")}": no such file`);
  });
});

describe("mooncake actions list", () => {
  test("prints the platform matrix, as a table and as JSON", () => {
    const text = runBinary(["actions", "list"]);
    expect(text.exitCode).toBe(0);
    expect(text.stdout).toMatch(/^systemd +yes +- +- +Manage a systemd service/m);
    expect(text.stdout).toMatch(/^launchd +- +yes +- /m);
    const rows = JSON.parse(runBinary(["actions", "list", "--format", "json"]).stdout);
    expect(rows.find((r: { name: string }) => r.name === "assert")).toMatchObject({ platforms: ["linux", "darwin", "windows"], phase: "run" });
    expect(rows.find((r: { name: string }) => r.name === "launchd").platforms).toEqual(["darwin"]);
  });
});
