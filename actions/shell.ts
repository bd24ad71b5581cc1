import { Type, type Static } from "@sinclair/typebox";
import { NonEmptyString, Strict } from "../core/config/schema_types.ts";
import { ALL_PLATFORMS, type ActionSpec } from "../core/exec/action.ts";
import { applyProcess, checkProcess } from "./process_action.ts";
import { processPayloadFields, processStepFields } from "./process_fields.ts";

const Interpreter = Type.Union([Type.Literal("bash"), Type.Literal("sh"), Type.Literal("pwsh"), Type.Literal("cmd")]);

const ShellArgs = Type.Union([
  Type.String({ minLength: 1, description: "The command line" }),
  Strict({
    cmd: NonEmptyString,
    interpreter: Type.Optional(Interpreter),
    ...processPayloadFields,
  }),
]);
type ShellArgs = Static<typeof ShellArgs>;

export const shell: ActionSpec<ShellArgs> = {
  name: "shell",
  summary: "Run a command line through a shell (bash by default, sh where bash is missing)",
  schema: ShellArgs,
  platforms: ALL_PLATFORMS,
  phase: "run",
  stepFields: processStepFields,
  check: (ctx, args) => checkProcess(ctx, shellArgv(args)),
  apply: (ctx, args) => applyProcess(ctx, shellArgv(args), typeof args === "string" ? {} : args),
};

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
