import { Type, type Static } from "@sinclair/typebox";
import { NonEmptyString, Path, Seconds, Strict, StringMap } from "../core/config/schema_types.ts";
import { ALL_PLATFORMS, type ActionSpec, type Normalized } from "../core/exec/action.ts";
import { applyProcess, checkProcess } from "./process_action.ts";
import { processPayloadFields, processStepFields } from "./process_fields.ts";

const Interpreter = Type.Union([Type.Literal("bash"), Type.Literal("sh"), Type.Literal("pwsh"), Type.Literal("cmd")]);

/** Seed 004's structured shell also takes these, which are the step's own fields. */
const stepFieldsInside = {
  env: Type.Optional({ ...StringMap, description: "Same as the step's env" }),
  cwd: Type.Optional({ ...Path, description: "Same as the step's cwd" }),
  timeout_s: Type.Optional(Seconds("Same as the step's timeout, in seconds")),
};

const ShellArgs = Type.Union([
  Type.String({ minLength: 1, description: "The command line" }),
  Strict({
    cmd: NonEmptyString,
    interpreter: Type.Optional(Interpreter),
    ...processPayloadFields,
    ...stepFieldsInside,
  }),
]);
/** What `check` sees: env, cwd and timeout_s have moved to the step (see liftStepFields). */
type ShellArgs = string | Omit<Extract<Static<typeof ShellArgs>, object>, keyof typeof stepFieldsInside>;

export const shell: ActionSpec<ShellArgs> = {
  name: "shell",
  summary: "Run a command line through a shell (bash by default, sh where bash is missing)",
  schema: ShellArgs,
  platforms: ALL_PLATFORMS,
  phase: "run",
  stepFields: processStepFields,
  normalize: liftStepFields,
  touches: (args) => [{ kind: "run", command: (typeof args === "string" ? args : args.cmd).trim() }],
  check: (ctx, args) => checkProcess(ctx, shellArgv(args)),
  apply: (ctx, args) => applyProcess(ctx, shellArgv(args), typeof args === "string" ? {} : args),
};

/** `shell: {env, cwd, timeout_s}` are the step's env, cwd and timeout; the step may not set them too. */
function liftStepFields(fields: Readonly<Record<string, unknown>>): Normalized {
  if (typeof fields.shell !== "object") return { fields, problems: [] };
  const { env, cwd, timeout_s: seconds, ...args } = fields.shell as Record<string, unknown>;
  const lifted: Record<string, unknown> = { env, cwd, timeout: seconds === undefined ? undefined : durationOfSeconds(seconds) };
  const problems: Normalized["problems"] = [];
  const out: Record<string, unknown> = { ...fields, shell: args };
  for (const [key, value] of Object.entries(lifted)) {
    if (value === undefined) continue;
    const inside = key === "timeout" ? "timeout_s" : key;
    if (fields[key] !== undefined) problems.push({ path: ["shell", inside], message: `the step also sets "${key}": write it once` });
    out[key] = value;
  }
  return { fields: problems.length ? fields : out, problems };
}

/** 5 -> "5s", 2.5 -> "2500ms"; a template stays one, in seconds. */
function durationOfSeconds(seconds: unknown): string {
  if (typeof seconds !== "number") return `${String(seconds)}s`;
  return Number.isInteger(seconds) ? `${seconds}s` : `${Math.round(seconds * 1000)}ms`;
}

/** `bash -c CMD` (or sh, `pwsh -Command`, `cmd /C`); the command line is passed whole, as one argument. */
function shellArgv(args: ShellArgs): string[] {
  const { cmd, interpreter } = typeof args === "string" ? { cmd: args, interpreter: undefined } : args;
  const text = cmd.trim();
  switch (interpreter ?? defaultInterpreter()) {
    case "pwsh":
      return ["pwsh", "-NoProfile", "-Command", text];
    case "cmd":
      return ["cmd", "/C", text];
    case "sh":
      return ["sh", "-c", text];
    case "bash":
      return ["bash", "-c", text];
  }
}

let detected: "bash" | "sh" | "pwsh" | undefined;

function defaultInterpreter(): "bash" | "sh" | "pwsh" {
  detected ??= process.platform === "win32" ? "pwsh" : Bun.which("bash") ? "bash" : "sh";
  return detected;
}
