import { Type, type Static } from "@sinclair/typebox";
import { Strict } from "../core/config/schema_types.ts";
import { ALL_PLATFORMS, type ActionSpec } from "../core/exec/action.ts";

const PrintArgs = Type.Union([Type.String(), Strict({ msg: Type.String() })]);
type PrintArgs = Static<typeof PrintArgs>;

export const print: ActionSpec<PrintArgs> = {
  name: "print",
  summary: "Show a rendered message",
  schema: PrintArgs,
  platforms: ALL_PLATFORMS,
  phase: "run",
  check: async (_ctx, args) => ({
    kind: "none",
    reason: "print only shows a message",
    message: typeof args === "string" ? args : args.msg,
  }),
};
