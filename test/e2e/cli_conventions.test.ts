// The conventions of the command line, through the binary: exit codes, help, value names,
// arguments, closed pipes, the output of runs in CI and as JSON, and the terminal left as found.
import { describe, expect, test } from "bun:test";
import { existsSync, readdirSync } from "node:fs";
import { BINARY, runBinary } from "../helpers/run_binary.ts";
import { sandbox as site } from "../helpers/converge.ts";


function sh(script: string, cwd: string) {
  const result = Bun.spawnSync(["bash", "-c", `set -o pipefail; ${script}`], { cwd, env: { PATH: process.env.PATH ?? "", HOME: cwd, MOONCAKE: BINARY } });
  return { exitCode: result.exitCode, stdout: result.stdout.toString(), stderr: result.stderr.toString() };
}

describe("usage errors", () => {
  const mistakes: [string, string[], RegExp][] = [
    ["an unknown command", ["nosuch"], /^Unknown command "nosuch": `mooncake help` lists the commands$/m],
    ["an unknown option", ["version", "--bogus"], /Unsupported option name \("--bogus"\)/],
    ["a value of the wrong kind", ["run", "site.yml", "--log-format", "xml"], /--log-format: expected one of "text" or "json"/],
    ["validate without a config", ["validate"], /No config given: name it, as in `mooncake validate site\.yml` or --config site\.yml/],
    ["run without a config", ["run"], /Give either a config/],
    ["runs show without an id", ["runs", "show"], /Not enough positional arguments/],
    ["two different configs", ["validate", "a.yml", "--config", "b.yml"], /Two configs given/],
  ];
  for (const [what, args, message] of mistakes) {
    test(`${what} exits 2 with the reason on stderr and no stack trace`, () => {
      const tmp = site({ "site.yml": "- print: hi\n" });
      const result = runBinary(args, { cwd: tmp.dir });
      expect(result.exitCode).toBe(2);
      expect(result.stderr).toMatch(message);
      expect(result.stdout).toBe("");
      expect(result.stderr).not.toMatch(/^\s+at /m);
    });
  }
});

describe("help", () => {
  const groups: [string[], string[]][] = [
    [["help"], ["mooncake validate", "mooncake runs list", "mooncake artifacts gc", "mooncake artifacts trash purge"]],
    [["runs", "--help"], ["mooncake runs list", "mooncake runs show <RUN_ID>"]],
    [["runs"], ["mooncake runs list", "mooncake runs show <RUN_ID>"]],
    [["artifacts", "--help"], ["mooncake artifacts scan", "mooncake artifacts pin", "mooncake artifacts trash list", "mooncake artifacts verify"]],
    [["artifacts", "trash", "--help"], ["mooncake artifacts trash list", "mooncake artifacts trash purge"]],
    [["help", "artifacts", "trash"], ["mooncake artifacts trash list", "mooncake artifacts trash purge"]],
  ];
  for (const [args, commands] of groups) {
    test(`mooncake ${args.join(" ")} lists its commands`, () => {
      const result = runBinary(args);
      expect(result.exitCode).toBe(0);
      for (const command of commands) expect(result.stdout).toContain(command);
    });
  }

  test("option values are named (FILE, NAME=VALUE, text|json), never #0", () => {
    const all = runBinary(["--help"]).stdout;
    expect(all).toContain("--vars FILE");
    expect(all).toContain("--var NAME=VALUE");
    expect(all).toContain("-c,--config FILE");
    expect(all).toContain("-f,--format text|json");
    expect(all).toContain("-f,--format text|json|yaml");
    for (const args of [["--help"], ["run", "--help"], ["plan", "--help"], ["artifacts", "gc", "--help"], ["runs", "show", "--help"]]) {
      expect(runBinary(args).stdout).not.toContain("#0");
    }
    expect(runBinary(["run", "--help"]).stdout).toMatch(/^ {2}--log-level debug\|info\|warn\|error {2,}\S/m);
  });
});

describe("arguments", () => {
  test("the config is an argument as well as --config: validate, plan and run", () => {
    const tmp = site({ "site.yml": "- print: hi\n" });
    expect(runBinary(["validate", "site.yml"], { cwd: tmp.dir }).stdout).toContain("site.yml is valid (1 step)");
    expect(runBinary(["plan", "site.yml"], { cwd: tmp.dir }).stdout).toContain("step-0001");
    expect(runBinary(["run", "site.yml", "--no-artifacts"], { cwd: tmp.dir }).stdout).toContain("Run finished: 1 ok");
  });

  test("artifacts verbs take --artifacts-dir (and --root), and pin an entry named as an argument or with --id", () => {
    const tmp = site({ "site.yml": "- print: hi\n" });
    runBinary(["run", "site.yml", "--artifacts-dir", "store"], { cwd: tmp.dir });
    const [runId] = readdirSync(tmp.path("store/runs")).filter((n) => /^\d{8}-/.test(n));
    expect(runBinary(["artifacts", "list", "--artifacts-dir", "store"], { cwd: tmp.dir }).stdout).toContain(runId!);
    expect(runBinary(["artifacts", "list", "--root", "store"], { cwd: tmp.dir }).stdout).toContain(runId!);
    expect(runBinary(["artifacts", "pin", runId!, "--artifacts-dir", "store"], { cwd: tmp.dir }).stdout).toBe(`Pinned ${runId}\n`);
    expect(runBinary(["artifacts", "unpin", "--id", runId!, "--artifacts-dir", "store"], { cwd: tmp.dir }).stdout).toBe(`Unpinned ${runId}\n`);
    const none = runBinary(["artifacts", "pin", "--artifacts-dir", "store"], { cwd: tmp.dir });
    expect(none.exitCode).toBe(2);
    expect(none.stderr).toContain("No entry given");
  });

  test("--tags that no step carries is a usage error unless --allow-unknown-tags", () => {
    const tmp = site({ "site.yml": "- print: hi\n  tags: [web]\n" });
    const refused = runBinary(["run", "site.yml", "--tags", "nosuch"], { cwd: tmp.dir });
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toContain('--tags "nosuch" matches no step of the config (its tags are web); --allow-unknown-tags runs anyway');
    expect(existsSync(tmp.path(".mooncake"))).toBe(false);
    const allowed = runBinary(["run", "site.yml", "--tags", "nosuch", "--allow-unknown-tags"], { cwd: tmp.dir });
    expect(allowed.exitCode).toBe(0);
    expect(allowed.stdout).toContain("0 ok");
    expect(runBinary(["plan", "site.yml", "--tags", "web,nosuch"], { cwd: tmp.dir }).exitCode).toBe(2);
  });
});

describe("pipes and the terminal", () => {
  test("a reader that closes the pipe ends schema quietly, and a run goes on to its end", () => {
    const tmp = site({ "site.yml": `${"- print: line\n".repeat(400)}- shell: touch finished\n` });
    const schema = sh('"$MOONCAKE" schema | head -1', tmp.dir);
    expect(schema).toEqual({ exitCode: 0, stdout: "{\n", stderr: "" });
    const run = sh('"$MOONCAKE" run site.yml --raw | head -1', tmp.dir);
    expect(run.stderr).toBe("");
    expect(run.exitCode).toBe(0);
    expect(existsSync(tmp.path("finished"))).toBe(true);
  });

  test("standard output and error are blocking again after mooncake exits", { timeout: 30_000 }, () => {
    const tmp = site({ "site.yml": "- print: hi\n" });
    const flags = `python3 -c 'import fcntl, os; print(*(bool(fcntl.fcntl(fd, fcntl.F_GETFL) & os.O_NONBLOCK) for fd in (1, 2)))'`;
    for (const args of ["version", "validate site.yml", "run site.yml --raw"]) {
      const result = sh(`{ "$MOONCAKE" ${args} >/dev/null; ${flags}; } 2>&1 | cat`, tmp.dir);
      expect(result.stdout).toBe("False False\n");
    }
  });
});

describe("run output in CI and as JSON", () => {
  test("plain text shows each step as it starts and ends with the run id and its directory", () => {
    const tmp = site({ "site.yml": "- name: greet\n  shell: echo hi\n" });
    const result = runBinary(["run", "site.yml"], { cwd: tmp.dir });
    const [runId] = readdirSync(tmp.path(".mooncake/runs")).filter((n) => /^\d{8}-/.test(n));
    expect(result.stdout).toMatch(/^started +step-0001 +greet\nchanged +step-0001 +greet/m);
    expect(result.stdout.trimEnd().split("\n").at(-1)).toBe(`Run ${runId}: .mooncake/runs/${runId}`);
  });

  test("--log-format json is the whole event stream at the default level, seq without gaps", () => {
    const config = { "site.yml": "- shell: echo one\n- file: {path: out.txt, content: x}\n" };
    for (const level of [[], ["--log-level", "error"]]) {
      const result = runBinary(["run", "site.yml", "--log-format", "json", ...level], { cwd: site(config).dir });
      const events = result.stdout.trimEnd().split("\n").map((l) => JSON.parse(l));
      expect(events.map((e) => e.type)).toEqual([
        "run.started", "plan.built", "step.started", "step.stdout", "step.finished", "step.started", "file.changed", "step.finished", "run.finished",
      ]);
      expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    }
  });

  test("a dry run that fails says Dry run failed", () => {
    const tmp = site({ "site.yml": "- assert: {expr: 'os == \"nowhere\"'}\n" });
    const result = runBinary(["run", "site.yml", "--dry-run", "--no-artifacts"], { cwd: tmp.dir });
    expect(result.exitCode).toBe(3);
    expect(result.stdout).toContain("Dry run failed: ");
    expect(result.stdout).not.toContain("Run failed");
  });

  test("a step stopped by Ctrl-C is labelled interrupted", { timeout: 30_000 }, async () => {
    const tmp = site({ "site.yml": "- name: Long\n  shell: 'touch started; exec sleep 30'\n" });
    const child = Bun.spawn([BINARY, "run", "site.yml", "--raw", "--no-artifacts"], { cwd: tmp.dir, stdout: "pipe", stderr: "pipe", env: { PATH: process.env.PATH ?? "" } });
    while (!existsSync(tmp.path("started"))) await Bun.sleep(20);
    child.kill("SIGINT");
    const stdout = await new Response(child.stdout).text();
    expect(await child.exited).toBe(130);
    expect(stdout).toMatch(/^interrupted +step-0001 +Long/m);
    expect(stdout).toContain("Run interrupted: ");
  });
});
