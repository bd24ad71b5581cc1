import { afterEach, describe, expect, test } from "bun:test";
import { mkdirSync, symlinkSync, truncateSync, writeFileSync } from "node:fs";
import { runBinary, type BinaryResult } from "../helpers/run_binary.ts";
import { tempDir } from "../helpers/temp_dir.ts";

let cleanup: (() => void)[] = [];
afterEach(() => {
  for (const remove of cleanup) remove();
  cleanup = [];
});

function inTemp(files: Record<string, string | Uint8Array>) {
  const tmp = tempDir(files);
  cleanup.push(tmp.remove);
  return tmp;
}

function expectNoStackTrace(result: BinaryResult): void {
  expect(`${result.stdout}${result.stderr}`).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
}

describe("mooncake validate", () => {
  test("a valid config exits 0 and says so", () => {
    const result = runBinary(["validate", "--config", "examples/site.yml"]);
    expect(result.stdout).toMatch(/✓ examples\/site\.yml is valid \(\d+ steps\)/);
    expect(result.exitCode).toBe(0);
  });

  test("every error of a file is reported at its line and column, exit 2", () => {
    const tmp = inTemp({ "bad.yml": "- shell: x\n  timeout: 1m30s\n- name: y\n- shell: a\n  file: {path: /x}\n" });
    const result = runBinary(["validate", "--config", "bad.yml"], { cwd: tmp.dir });
    expect(result.stdout.split("\n").filter((l) => l.includes("error:"))).toEqual([
      'bad.yml:2:12: error: timeout: "1m30s" is not valid: expected a duration such as "30s", "5m" or "250ms", at most 8760h (365 days)',
      expect.stringMatching(/^bad\.yml:3:3: error: Step has no action: add one of shell, command/),
      'bad.yml:5:3: error: Step has more than one action ("shell" and "file"): write one step per action',
    ]);
    expect(result.exitCode).toBe(2);
  });

  test("--format json gives the documented document", () => {
    const tmp = inTemp({ "site.yml": "- include: roles/web.yml\n", "roles/web.yml": "- print: ok\n  retries: 500\n" });
    const result = runBinary(["validate", "-c", "site.yml", "--format", "json"], { cwd: tmp.dir });
    expect(result.exitCode).toBe(2);
    expect(JSON.parse(result.stdout)).toEqual({
      valid: false,
      diagnostics: [{
        file: "roles/web.yml", line: 2, col: 12, severity: "error", code: "MC1105",
        message: "retries: Must be between 0 and 100, got 500", include_chain: ["site.yml"],
      }],
    });
  });

  test("--vars and --var feed the variables validate resolves", () => {
    const tmp = inTemp({ "site.yml": "- print: '{{ a }} {{ b }}'\n", "vars.yml": "a: 1\n" });
    expect(runBinary(["validate", "-c", "site.yml"], { cwd: tmp.dir }).stdout).toContain('Undefined variable "a"');
    const result = runBinary(["validate", "-c", "site.yml", "--vars", "vars.yml", "--var", "b=2"], { cwd: tmp.dir });
    expect(result.exitCode).toBe(0);
  });

  const unreadable: [string, (dir: string) => void, RegExp][] = [
    ["a missing file", () => {}, /^config\.yml:1:1: error: Cannot read "config\.yml": no such file$/],
    ["a directory", (dir) => mkdirSync(`${dir}/config.yml`), /^config\.yml:1:1: error: Cannot read "config\.yml": it is a directory, not a regular file$/],
    ["a link to /dev/zero", (dir) => symlinkSync("/dev/zero", `${dir}/config.yml`), /^config\.yml:1:1: error: Cannot read "config\.yml": it is a character device, not a regular file$/],
    ["a named pipe nobody writes", (dir) => Bun.spawnSync(["mkfifo", `${dir}/config.yml`]), /^config\.yml:1:1: error: Cannot read "config\.yml": it is a named pipe, not a regular file$/],
    ["an empty file", (dir) => writeFileSync(`${dir}/config.yml`, "\n  \n"), /^config\.yml:1:1: error: "config\.yml" is empty: expected a list of steps or a mapping with "steps"$/],
    ["binary junk", (dir) => writeFileSync(`${dir}/config.yml`, new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 0, 1, 2, 0xff, 0xfe])), /^config\.yml:1:1: error: Cannot read "config\.yml": it is not a UTF-8 text file$/],
    ["a 70 MB file", (dir) => { writeFileSync(`${dir}/config.yml`, ""); truncateSync(`${dir}/config.yml`, 70 * 1024 * 1024); }, /^config\.yml:1:1: error: Cannot read "config\.yml": 70\.0 MiB is over the 64\.0 MiB limit for a config file$/],
    ["a YAML syntax error", (dir) => writeFileSync(`${dir}/config.yml`, "- shell: [unclosed\n"), /^config\.yml:\d+:\d+: error: YAML syntax error: .+$/],
  ];
  for (const [what, make, expected] of unreadable) {
    test(`${what} gets one clear line and exit 2, no stack trace`, () => {
      const tmp = inTemp({});
      make(tmp.dir);
      const result = runBinary(["validate", "--config", "config.yml"], { cwd: tmp.dir });
      const errors = result.stdout.split("\n").filter((l) => l.includes("error:"));
      expect(errors).toEqual([expect.stringMatching(expected)]);
      expect(result.exitCode).toBe(2);
      expectNoStackTrace(result);
    });
  }

  test("a missing --config is a usage error, exit non-zero without a stack trace", () => {
    const result = runBinary(["validate"]);
    expect(result.exitCode).not.toBe(0);
    expect(result.stdout + result.stderr).toContain("--config");
    expectNoStackTrace(result);
  });
});
