import { Type, type Static, type TSchema } from "@sinclair/typebox";
import { Count, Duration, Flag, Mode, NonEmptyString, Path, Seconds, Strict, StringMap } from "../core/config/schema_types.ts";
import { parseDuration } from "../core/exec/duration.ts";
import { compileExpression } from "../core/expr/compile_expression.ts";
import { conditionValue } from "../core/expr/condition_value.ts";
import { describeValue } from "../core/expr/describe_value.ts";
import { ALL_PLATFORMS, ActionError, type ActionContext, type ActionSpec, type Change, type Normalized, type Outcome } from "../core/exec/action.ts";
import { fileMismatches, quote } from "./assert_file.ts";
import { httpMismatches } from "./assert_http.ts";

const Timeout = Seconds("Seconds before the check gives up");

const commandExpectations = {
  rc: Type.Optional(Count("The exit code expected (default 0)")),
  exit_code: Type.Optional(Count("The original mooncake's name for rc")),
  stdout_contains: Type.Optional(Type.String()),
  stdout_regex: Type.Optional(Type.String()),
  timeout_s: Type.Optional(Timeout),
  timeout: Type.Optional(Duration),
};

const CommandCheck = Strict({ cmd: NonEmptyString, ...commandExpectations });

/** Seed 004's flat form: `command` is the command line and the expectations sit beside it. */
const CommandLine = Type.String({ minLength: 1, description: "The command line, with rc, stdout_contains, ... beside command (seed 004's form)" });

const FileCheck = Strict({
  path: Path,
  exists: Type.Optional(Flag()),
  content: Type.Optional(Type.String()),
  contains: Type.Optional(Type.String()),
  mode: Type.Optional(Mode),
  owner: Type.Optional(Type.String()),
  group: Type.Optional(Type.String()),
  sha256: Type.Optional(Type.String()),
});

const HttpCheck = Strict({
  url: NonEmptyString,
  method: Type.Optional(Type.String()),
  status: Type.Optional(Count("The HTTP status expected (default 200)")),
  headers: Type.Optional(StringMap),
  body: Type.Optional(Type.String()),
  contains: Type.Optional(Type.String()),
  jsonpath: Type.Optional(Type.String({ description: "A JSONPath such as $.status or $.items[0].name" })),
  equals: Type.Optional(Type.Unknown()),
  timeout_s: Type.Optional(Timeout),
  timeout: Type.Optional(Duration),
});

const checks: Record<string, TSchema> = {
  expr: Type.String({ minLength: 1, description: "An expression that must be true" }),
  command: Type.Union([CommandLine, CommandCheck]),
  file: FileCheck,
  http: HttpCheck,
};

const Message = Type.Optional(Type.String({ description: "Message shown when the assertion fails" }));

type AssertArgs =
  | { expr: string; msg?: string }
  | { command: Static<typeof CommandCheck>; msg?: string }
  | { file: Static<typeof FileCheck>; msg?: string }
  | { http: Static<typeof HttpCheck>; msg?: string };

const DEFAULT_TIMEOUT_MS = 30_000;

/**
 * Exactly one kind of check per assert step. An assert only looks, so it decides while
 * checking: a pass is "nothing to change" with what held, a failure is a ActionError saying
 * what was expected and what was found, the same in a dry-run and a run. Never "changed".
 */
export const assert: ActionSpec<AssertArgs> = {
  name: "assert",
  summary: "Check an expression, command, file or HTTP endpoint; fail with the mismatch",
  schema: Type.Union(Object.entries(checks).map(([kind, schema]) => Strict({ [kind]: schema, msg: Message, ...(kind === "command" ? commandExpectations : {}) }))),
  platforms: ALL_PLATFORMS,
  phase: "run",
  pathFields: ["file.path"],
  normalize: nestFlatCommand,
  async check(ctx, args) {
    if ("expr" in args) return verdict(args, `expression ${quote(args.expr)}`, checkExpression(ctx, args.expr), `${quote(args.expr)} is true`);
    if ("file" in args) return verdict(args, `file "${args.file.path}"`, await fileMismatches(args.file), `"${args.file.path}" is as expected`);
    if ("http" in args) {
      const { http } = args;
      const problems = await httpMismatches(http, timeoutMs(http), ctx.signal);
      return verdict(args, `${(http.method ?? "GET").toUpperCase()} ${http.url}`, problems, `${http.url} answered ${http.status ?? 200}`);
    }
    return checkCommand(ctx, args);
  },
};

/** `assert: {command: "CMD", rc, ...}` -> `assert: {command: {cmd: "CMD", rc, ...}}`. */
function nestFlatCommand(fields: Readonly<Record<string, unknown>>): Normalized {
  const { command, msg, ...expectations } = fields.assert as Record<string, unknown>;
  if (command === undefined) return { fields, problems: [] };
  if (typeof command === "string") return { fields: { ...fields, assert: { command: { cmd: command, ...expectations }, ...(msg !== undefined ? { msg } : {}) } }, problems: [] };
  const problems = Object.keys(expectations).map((key) => ({ path: ["assert", key], atKey: true, message: `with command: as a mapping, write ${key} inside it` }));
  return { fields, problems };
}

function checkExpression(ctx: ActionContext, source: string): string[] {
  const expression = compileExpression(source);
  if (conditionValue(expression.evaluate(ctx.vars), source)) return [];
  const values = expression.references.filter((r) => r in ctx.vars).map((r) => `${r} is ${describeValue(ctx.vars[r])}`);
  return [`expected it to be true, found false${values.length ? ` (${values.join(", ")})` : ""}`];
}

async function checkCommand(ctx: ActionContext, args: Extract<AssertArgs, { command: unknown }>): Promise<Change> {
  const { command } = args;
  const result = await ctx.run(["sh", "-c", command.cmd], { probe: true, timeoutMs: timeoutMs(command) });
  const outcome: Omit<Outcome, "changed" | "error"> = { rc: result.rc, stdout: result.stdout, stderr: result.stderr };
  const subject = `command ${quote(command.cmd)}`;
  if (result.error) throw new ActionError("assertion", failure(args, subject, [`expected it to run, found: ${result.error.message}`]), outcome);
  const wantRc = command.rc ?? command.exit_code ?? 0;
  const stdout = result.stdout.text;
  const problems: string[] = [];
  if (result.rc !== wantRc) problems.push(`expected exit code ${wantRc}, found ${result.rc ?? "a signal"}${lastLine(result.stderr.text)}`);
  if (command.stdout_contains !== undefined && !stdout.includes(command.stdout_contains)) {
    problems.push(`expected stdout to contain ${quote(command.stdout_contains)}, found ${quote(stdout)}`);
  }
  if (command.stdout_regex !== undefined && !new RegExp(command.stdout_regex, "m").test(stdout)) {
    problems.push(`expected stdout to match /${command.stdout_regex}/, found ${quote(stdout)}`);
  }
  if (problems.length > 0) throw new ActionError("assertion", failure(args, subject, problems), outcome);
  return { kind: "none", reason: `${subject} exited ${wantRc}${command.stdout_contains !== undefined || command.stdout_regex !== undefined ? " with the expected output" : ""}` };
}

function verdict(args: AssertArgs, subject: string, problems: readonly string[], holds: string): Change {
  if (problems.length > 0) throw new ActionError("assertion", failure(args, subject, problems));
  return { kind: "none", reason: holds };
}

/** `Assertion failed (file "/etc/x"): expected mode 0644, found 0600`, the step's `msg` first when it has one. */
function failure(args: AssertArgs, subject: string, problems: readonly string[]): string {
  const head = args.msg ? `${args.msg}: assertion failed` : "Assertion failed";
  return `${head} (${subject}): ${problems.join("; ")}`;
}

function timeoutMs(check: { timeout_s?: number; timeout?: string }): number {
  if (check.timeout_s !== undefined) return check.timeout_s * 1000;
  return check.timeout !== undefined ? parseDuration(check.timeout) : DEFAULT_TIMEOUT_MS;
}

function lastLine(text: string): string {
  const line = text.trimEnd().split("\n").pop()?.trim();
  return line ? ` (stderr: ${quote(line)})` : "";
}
