// What a command loads before it answers, so that a heavy module coming back as an eager import
// fails here rather than in a benchmark: each action's module loads only for a step that names
// it, the artifacts writer only for a run that records, the executor only for a run. mooncake
// runs from source with a preload that lists every module the process loaded; the compiled
// binary loads the same ones, as its bundle keeps `import()` and `require()` lazy.
import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { tempDirPerTest } from "../helpers/temp_dir.ts";

const scratch = tempDirPerTest();
const ROOT = join(import.meta.dir, "..", "..");

/** The modules `mooncake ARGS` loaded, as paths from the repository root (packages as node_modules/NAME/...). */
function loadedModules(args: string[], files: Record<string, string>): string[] {
  const tmp = scratch(files);
  const list = tmp.path("loaded.txt");
  const result = Bun.spawnSync([process.execPath, "--preload", join(ROOT, "test/helpers/report_loaded_modules.ts"), join(ROOT, "cli/main.ts"), ...args], {
    cwd: tmp.dir,
    env: { ...process.env, MOONCAKE_LOADED_MODULES: list },
    stdout: "pipe",
    stderr: "pipe",
  });
  expect(result.stderr.toString()).toBe("");
  expect(result.exitCode).toBe(0);
  return readFileSync(list, "utf8").split("\n").map((path) => relative(ROOT, path)).filter((path) => !path.startsWith("test/"));
}

const under = (modules: string[], folder: string) => modules.filter((m) => m.startsWith(folder));
const ONE_PRINT = { "site.yml": "- print: hello\n" };

describe("modules a command loads", () => {
  test("--version loads main.ts and its small helpers: no command line parser, no core", { timeout: 30_000 }, () => {
    const modules = loadedModules(["--version"], {});
    expect(modules).toContain("cli/main.ts");
    expect(under(modules, "node_modules/")).toEqual([]);
    expect(under(modules, "core/")).toEqual([]);
    expect(under(modules, "actions/")).toEqual([]);
  });

  test("validate loads the actions its config names and nothing of run, the executor or artifacts", { timeout: 30_000 }, () => {
    const modules = loadedModules(["validate", "site.yml"], ONE_PRINT);
    expect(under(modules, "actions/").filter((m) => !m.startsWith("actions/presets/")).sort()).toEqual(["actions/print.ts", "actions/registry.ts"]);
    expect(under(modules, "artifacts/")).toEqual([]);
    expect(modules).not.toContain("core/exec/executor.ts");
    expect(under(modules, "cli/").filter((m) => m.endsWith("_command.ts")).sort()).toEqual(["cli/config_command.ts", "cli/group_command.ts", "cli/validate_command.ts"]);
    expect(under(modules, "node_modules/@sinclair/typebox/build/esm/compiler/")).toEqual([]);
  });

  test("validate of a shell step loads shell.ts, not the modules of other actions", { timeout: 30_000 }, () => {
    const modules = loadedModules(["validate", "site.yml"], { "site.yml": "- shell: echo hi\n" });
    expect(modules).toContain("actions/shell.ts");
    for (const other of ["actions/print.ts", "actions/unarchive.ts", "actions/download.ts", "actions/file.ts", "actions/wait.ts"]) expect(modules).not.toContain(other);
  });

  test("a run with --no-artifacts loads no artifacts module; a recorded run loads the writer", { timeout: 30_000 }, () => {
    const unrecorded = loadedModules(["run", "--no-artifacts", "site.yml"], ONE_PRINT);
    expect(unrecorded).toContain("core/exec/executor.ts");
    expect(under(unrecorded, "artifacts/")).toEqual([]);
    const recorded = loadedModules(["run", "site.yml"], ONE_PRINT);
    expect(recorded).toContain("artifacts/writer/run_writer.ts");
    expect(recorded).not.toContain("actions/shell.ts");
  });
});
