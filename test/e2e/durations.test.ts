import { describe, expect, test } from "bun:test";
import { existsSync, readFileSync } from "node:fs";
import { BINARY, runBinary } from "../helpers/run_binary.ts";
import { tempDirPerTest } from "../helpers/temp_dir.ts";

const inTemp = tempDirPerTest();

describe("durations", () => {
  test("an absurd duration is refused by validate with the allowed range", () => {
    const tmp = inTemp({ "site.yml": '- shell: "true"\n  timeout: 99999999999999999999h\n- shell: "true"\n  retry_delay: 8761h\n- shell: "true"\n  timeout: 8760h\n' });
    const result = runBinary(["validate", "-c", "site.yml"], { cwd: tmp.dir });
    expect(result.stdout.split("\n").filter((l) => l.includes("error:"))).toEqual([
      'site.yml:2:12: error: timeout: "99999999999999999999h" is not valid: expected a duration such as "30s", "5m" or "250ms", at most 8760h (365 days)',
      'site.yml:4:16: error: retry_delay: "8761h" is not valid: expected a duration such as "30s", "5m" or "250ms", at most 8760h (365 days)',
    ]);
    expect(result.exitCode).toBe(2);
  });

  test("a timeout in seconds past the longest duration is refused too (download, assert, shell)", () => {
    const tmp = inTemp({ "site.yml": "- download: { url: 'http://127.0.0.1:9/x', dest: x, timeout_s: 1e12 }\n- shell: { cmd: 'true', timeout_s: 31536001 }\n- shell: { cmd: 'true', timeout_s: 31536000 }\n" });
    const result = runBinary(["validate", "-c", "site.yml"], { cwd: tmp.dir });
    expect(result.stdout.split("\n").filter((l) => l.includes("error:"))).toEqual([
      expect.stringMatching(/^site\.yml:1:\d+: error: download\.timeout_s: .*31536000/),
      expect.stringMatching(/^site\.yml:2:\d+: error: shell\.timeout_s: .*31536000/),
    ]);
    expect(result.exitCode).toBe(2);
  });

  test("timeout: 600h lets a one-second command finish", () => {
    const tmp = inTemp({ "site.yml": "- shell: sleep 1 && echo slept\n  timeout: 600h\n" });
    const result = runBinary(["run", "-c", "site.yml", "--no-artifacts"], { cwd: tmp.dir });
    expect(result.stdout).toContain("slept");
    expect(result.exitCode).toBe(0);
  });

  test("retry_delay: 600h waits instead of retrying at once", async () => {
    const tmp = inTemp({ "site.yml": "- shell: echo try >> tries; exit 1\n  retries: 2\n  retry_delay: 600h\n" });
    const child = Bun.spawn([BINARY, "run", "-c", "site.yml", "--raw"], { cwd: tmp.dir, stdout: "ignore", stderr: "ignore", env: { PATH: process.env.PATH ?? "", HOME: tmp.dir } });
    while (!existsSync(tmp.path("tries")) && child.exitCode === null) await Bun.sleep(20);
    // A retry due at once would run within milliseconds; give it ample time to show.
    await Bun.sleep(500);
    const finished = child.exitCode !== null;
    child.kill("SIGINT");
    await child.exited;
    expect(finished).toBe(false);
    expect(readFileSync(tmp.path("tries"), "utf8")).toBe("try\n");
    expect(child.exitCode).toBe(130);
  });
});
