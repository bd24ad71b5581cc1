import { expect, test } from "bun:test";
import { join } from "node:path";
import { tempDirPerTest } from "../helpers/temp_dir.ts";

const scratch = tempDirPerTest();

const CLI_DIR = join(import.meta.dir, "..", "..", "cli");

/** Runs a script that sets mooncake's CLI up the way main.ts does, with one command that has a bug. */
function runCrashing(where: "command" | "timer", env: Record<string, string> = {}) {
  const script = [
    `import { Command } from "clipanion";`,
    `import { installCrashHandler } from "${CLI_DIR}/crash_handler.ts";`,
    `import { MooncakeCli } from "${CLI_DIR}/run_cli.ts";`,
    `installCrashHandler();`,
    `class Buggy extends Command {`,
    `  async execute() {`,
    where === "command"
      ? `    throw new TypeError("Cannot read the property rc of undefined");`
      : `    setTimeout(() => { throw new RangeError("Maximum call stack size exceeded."); }, 1); await new Promise((r) => setTimeout(r, 1000)); return 0;`,
    `  }`,
    `}`,
    `const cli = new MooncakeCli({ binaryName: "mooncake" });`,
    `cli.register(Buggy);`,
    `void cli.runExit([]).then(() => { if (cli.crashExitCode !== undefined) process.exitCode = cli.crashExitCode; });`,
  ].join("\n");
  const tmp = scratch({ "crash.ts": script });
  const result = Bun.spawnSync([process.execPath, tmp.path("crash.ts")], { env: { ...process.env, MOONCAKE_DEBUG: "", ...env }, stdout: "pipe", stderr: "pipe" });
  return { exitCode: result.exitCode, stdout: result.stdout.toString(), stderr: result.stderr.toString() };
}

const STACK_LINE = /^\s+at .+:\d+:\d+\)?$/m;

test("a bug in a command is one Internal error line and exit 3, without a stack trace", () => {
  const result = runCrashing("command");
  expect(result.stderr).toBe(
    "Internal error: TypeError: Cannot read the property rc of undefined\n" +
    "(a bug in mooncake; run again with MOONCAKE_DEBUG=1 to see where it happened)\n",
  );
  expect(result.stdout).toBe("");
  expect(result.exitCode).toBe(3);
});

test("an error thrown outside any command ends the process the same way", () => {
  const result = runCrashing("timer");
  expect(result.stderr).toStartWith("Internal error: RangeError: Maximum call stack size exceeded.\n");
  expect(result.stderr).not.toMatch(STACK_LINE);
  expect(result.exitCode).toBe(3);
});

test("MOONCAKE_DEBUG=1 adds the stack trace", () => {
  const result = runCrashing("command", { MOONCAKE_DEBUG: "1" });
  expect(result.stderr).toStartWith("Internal error: TypeError:");
  expect(result.stderr).toMatch(STACK_LINE);
  expect(result.exitCode).toBe(3);
});
