import { afterEach, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import packageJson from "../../package.json" with { type: "json" };
import { runBinary } from "../helpers/run_binary.ts";
import { tempDir } from "../helpers/temp_dir.ts";

let cleanup: (() => void)[] = [];
afterEach(() => {
  for (const remove of cleanup) remove();
  cleanup = [];
});

const headCommit = Bun.spawnSync(["git", "rev-parse", "--short=12", "HEAD"]).stdout.toString().trim();

describe("mooncake version", () => {
  test("--format json prints the version, the commit it was built from and this machine's target", () => {
    const result = runBinary(["version", "--format", "json"]);
    expect(result.exitCode).toBe(0);
    const info = JSON.parse(result.stdout);
    expect(Object.keys(info)).toEqual(["version", "commit", "target", "os", "arch", "libc", "bun"]);
    expect(info).toMatchObject({ version: packageJson.version, os: process.platform, arch: process.arch, bun: Bun.version });
    expect(info.commit).toStartWith(headCommit || "unknown");
    expect(info.target).toStartWith(`${process.platform}-${process.arch}`);
  });

  test("text form is one line naming version, commit and target", () => {
    const result = runBinary(["version"]);
    expect(result.stdout).toMatch(new RegExp(`^mooncake ${packageJson.version.replaceAll(".", "\\.")} \\(commit \\S+, ${process.platform}-${process.arch}\\S*, bun \\S+\\)\\n$`));
  });
});

describe("mooncake example", () => {
  test("writes the bundled example into an empty directory, where it validates and plans", () => {
    const tmp = tempDir();
    cleanup.push(tmp.remove);
    const written = runBinary(["example"], { cwd: tmp.dir });
    expect(written.exitCode).toBe(0);
    expect(written.stdout).toContain("+ examples/site.yml\n");
    expect(runBinary(["validate", "-c", "examples/site.yml"], { cwd: tmp.dir }).stdout).toMatch(/is valid \(\d+ steps\)/);
    const plan = runBinary(["plan", "-c", "examples/site.yml", "--format", "json"], { cwd: tmp.dir });
    expect(plan.exitCode).toBe(0);
    expect(JSON.parse(plan.stdout).steps.length).toBeGreaterThan(1);
  });

  test("writes the config schema beside the example, and the configs' yaml-language-server line points at it", () => {
    const tmp = tempDir();
    cleanup.push(tmp.remove);
    expect(runBinary(["example", "demo"], { cwd: tmp.dir }).stdout).toContain("+ demo/config.schema.json\n");
    expect(readFileSync(tmp.path("demo/config.schema.json"), "utf8")).toBe(runBinary(["schema"]).stdout);
    expect(readFileSync(tmp.path("demo/site.yml"), "utf8")).toStartWith("# yaml-language-server: $schema=./config.schema.json\n");
    expect(readFileSync(tmp.path("demo/tasks/checks.yml"), "utf8")).toStartWith("# yaml-language-server: $schema=../config.schema.json\n");
    expect(runBinary(["example", "demo"], { cwd: tmp.dir }).stdout).toContain("= demo/site.yml (unchanged)\n");
  });

  test("refuses to overwrite a changed file with exit 2, and --force overwrites it", () => {
    const tmp = tempDir({ "demo/site.yml": "- print: mine\n" });
    cleanup.push(tmp.remove);
    const refused = runBinary(["example", "demo"], { cwd: tmp.dir });
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toBe('error: Cannot write the example: "demo/site.yml" already exists with other content (--force overwrites it)\n');
    expect(runBinary(["example", "demo", "--force"], { cwd: tmp.dir }).stdout).toContain("~ demo/site.yml\n");
  });
});
