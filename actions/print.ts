import { Type } from "@sinclair/typebox";
import { Strict } from "../core/config/schema_types.ts";
import { ALL_PLATFORMS, type ActionSpec } from "./action.ts";

export const print: ActionSpec = {
  name: "print",
  summary: "Show a rendered message",
  schema: Type.Union([Type.String(), Strict({ msg: Type.String() })]),
  platforms: ALL_PLATFORMS,
  phase: "run",
};
