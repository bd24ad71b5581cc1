import { afterEach, describe, expect, test } from "bun:test";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { ACTIONS } from "../../actions/registry.ts";
import { configJsonSchema } from "../../core/config/config_json_schema.ts";
import { runBinary } from "../helpers/run_binary.ts";
import { tempDir } from "../helpers/temp_dir.ts";
import packageJson from "../../package.json" with { type: "json" };

const ROOT = join(import.meta.dir, "..", "..");
let cleanup: (() => void)[] = [];
afterEach(() => {
  for (const remove of cleanup) remove();
  cleanup = [];
});

describe("mooncake plan", () => {
  test("json output of two runs is byte-identical apart from generated_at", () => {
    const first = runBinary(["plan", "--config", "examples/site.yml", "--format", "json"]);
    const second = runBinary(["plan", "--config", "examples/site.yml", "--format", "json"]);
    expect(first.exitCode).toBe(0);
    const strip = (text: string) => text.replace(/"generated_at": "[^"]+"/, "");
    expect(strip(second.stdout)).toBe(strip(first.stdout));
    const plan = JSON.parse(first.stdout);
    expect(Object.keys(plan)).toEqual(["schema_version", "generated_at", "root_file", "sources", "tags", "initial_vars", "steps"]);
    expect(plan.steps[0]).toMatchObject({ id: "step-0001", action: "print", origin: { file: join(ROOT, "examples/site.yml"), line: 13, col: 5, include_stack: [] } });
  });

  test("--tags marks other steps skipped and keeps every id; --show-origins prints file:line:col", () => {
    const all = runBinary(["plan", "-c", "examples/site.yml"]).stdout;
    const tagged = runBinary(["plan", "-c", "examples/site.yml", "--tags", "config", "--show-origins"]);
    expect(tagged.exitCode).toBe(0);
    const ids = (text: string) => [...text.matchAll(/step-\d{4}(\[\d+\])?/g)].map((m) => m[0]);
    expect(ids(tagged.stdout)).toEqual(ids(all));
    expect(tagged.stdout).toMatch(/Write page index .*skipped: not tagged config/);
    expect(tagged.stdout).toMatch(/at examples\/tasks\/checks\.yml:2:3 \(included from examples\/site\.yml:37:5\)/);
  });

  test("--output writes the plan atomically in the format of its extension", () => {
    const tmp = tempDir({});
    cleanup.push(tmp.remove);
    const result = runBinary(["plan", "-c", "examples/site.yml", "--output", tmp.path("plan.yaml")]);
    expect(result.stdout).toBe(`Plan saved to ${tmp.path("plan.yaml")}\n`);
    expect(readFileSync(tmp.path("plan.yaml"), "utf8")).toStartWith("schema_version: 1\n");
    expect(readdirSync(tmp.dir)).toEqual(["plan.yaml"]);
  });

  test("an unwritable --output fails with exit 2 and leaves nothing behind", () => {
    const tmp = tempDir({});
    cleanup.push(tmp.remove);
    const result = runBinary(["plan", "-c", "examples/site.yml", "--output", tmp.path("missing/plan.json")]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/error: Cannot write plan to ".*missing\/plan\.json": no such file/);
    expect(existsSync(tmp.path("missing"))).toBe(false);
  });

  test("an invalid config prints diagnostics on stderr, nothing on stdout, exit 2", () => {
    const tmp = tempDir({ "site.yml": "- shell: x\n  retries: -1\n" });
    cleanup.push(tmp.remove);
    const result = runBinary(["plan", "-c", "site.yml", "--format", "json"], { cwd: tmp.dir });
    expect(result.exitCode).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toBe("site.yml:2:12: error: retries: Must be between 0 and 100, got -1\n");
  });
});

describe("mooncake schema, --version, --help", () => {
  test("schema prints the committed config schema", () => {
    const result = runBinary(["schema"]);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toBe(readFileSync("schemas/config.schema.json", "utf8"));
    expect(result.stdout).toBe(configJsonSchema(ACTIONS));
  });

  test("--version prints the package version", () => {
    const result = runBinary(["--version"]);
    expect(result.exitCode).toBe(0);
    expect(result.stdout.trim()).toBe(packageJson.version);
  });

  test("--help lists the commands with what they do", () => {
    const result = runBinary(["--help"]);
    expect(result.exitCode).toBe(0);
    for (const line of ["validate", "Check a config without running it", "plan", "Show the exact steps a run would execute", "schema"]) {
      expect(result.stdout).toContain(line);
    }
  });
});
