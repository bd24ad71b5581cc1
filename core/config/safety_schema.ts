import { Type, type Static } from "@sinclair/typebox";
import { Strict } from "./schema_types.ts";

const Patterns = (description: string) => Type.Array(Type.String({ minLength: 1 }), { description });

/**
 * The `safety:` block of a config, and of a machine policy file (`--policy`): see docs/safety.md.
 * A config's block can only tighten the machine's: deny lists add up, allow lists and
 * workspaces intersect, confirmations add up.
 */
export const SafetyBlock = Strict({
  commands: Type.Optional(Strict({
    deny: Type.Optional(Patterns("Glob patterns over a command line: a step whose command matches one is refused")),
    allow: Type.Optional(Patterns("Glob patterns over a command line: when present, only commands matching one may run")),
  }, "Which command lines shell and command steps (and unless probes) may run")),
  workspace: Type.Optional(Type.Array(Type.String({ minLength: 1 }), {
    description: "Directories (or templates rendering to them): files are written and removed only at real paths below one of them",
  })),
  confirm: Type.Optional(Type.Array(Type.String({ minLength: 1 }), {
    description: "Danger categories that need --i-accept-danger besides the built-in ones: packages, services, etc, deletes",
  })),
}, "Safety rails: command patterns, a workspace, categories that need --i-accept-danger");
export type SafetyBlock = Static<typeof SafetyBlock>;
