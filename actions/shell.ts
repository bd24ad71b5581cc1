import { Type } from "@sinclair/typebox";
import { NonEmptyString, Strict } from "../core/config/schema_types.ts";
import { ALL_PLATFORMS, type ActionSpec } from "./action.ts";
import { processPayloadFields, processStepFields } from "./process_fields.ts";

export const shell: ActionSpec = {
  name: "shell",
  summary: "Run a command line through a shell (bash by default)",
  schema: Type.Union([
    Type.String({ minLength: 1, description: "The command line" }),
    Strict({
      cmd: NonEmptyString,
      interpreter: Type.Optional(Type.Union([Type.Literal("bash"), Type.Literal("sh"), Type.Literal("pwsh"), Type.Literal("cmd")])),
      ...processPayloadFields,
    }),
  ]),
  platforms: ALL_PLATFORMS,
  phase: "run",
  stepFields: processStepFields,
};
