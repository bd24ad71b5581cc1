import { Type } from "@sinclair/typebox";
import { Strict } from "../core/config/schema_types.ts";
import { ALL_PLATFORMS, type ActionSpec } from "./action.ts";
import { processPayloadFields, processStepFields } from "./process_fields.ts";

export const command: ActionSpec = {
  name: "command",
  summary: "Run a program with an argument vector, without a shell",
  schema: Strict({
    argv: Type.Array(Type.String(), { minItems: 1, description: "Program and arguments, passed as they are" }),
    ...processPayloadFields,
  }),
  platforms: ALL_PLATFORMS,
  phase: "run",
  stepFields: processStepFields,
};
