import { Type } from "@sinclair/typebox";
import { Flag } from "../core/config/schema_types.ts";

/** Idempotency guards shared by the process actions (`shell`, `command`). */
export const processStepFields = {
  creates: Type.String({ minLength: 1, description: "Skip the step (ok) when this path exists" }),
  unless: Type.String({ minLength: 1, description: "Run the step only when this shell command exits non-zero" }),
};

export const processPayloadFields = {
  stdin: Type.Optional(Type.String({ description: "Text written to the process's standard input" })),
  capture: Type.Optional(Flag("Keep stdout/stderr in the result (default true)")),
};

