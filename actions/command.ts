import { Type, type Static } from "@sinclair/typebox";
import { Strict } from "../core/config/schema_types.ts";
import { Templated } from "../core/config/templated.ts";
import { ALL_PLATFORMS, type ActionSpec } from "../core/exec/action.ts";
import { applyProcess, checkProcess } from "./process_action.ts";
import { processPayloadFields, processStepFields } from "./process_fields.ts";

const CommandArgs = Strict({
  argv: Templated(Type.Array(Type.String(), { minItems: 1, description: "Program and arguments, passed as they are; or one {{ tag }} giving that list" })),
  ...processPayloadFields,
});
type CommandArgs = Static<typeof CommandArgs>;

export const command: ActionSpec<CommandArgs> = {
  name: "command",
  summary: "Run a program with an argument vector, without a shell",
  schema: CommandArgs,
  platforms: ALL_PLATFORMS,
  phase: "run",
  stepFields: processStepFields,
  touches: (args) => [{ kind: "run", command: args.argv.join(" ") }],
  check: (ctx, args) => checkProcess(ctx, args.argv),
  apply: (ctx, args) => applyProcess(ctx, args.argv, args),
};
