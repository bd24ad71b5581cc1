import { Type } from "@sinclair/typebox";
import { AnyMap, Path, Strict } from "../core/config/schema_types.ts";
import { ALL_PLATFORMS, type ActionSpec } from "./action.ts";
import { ownershipFields } from "./ownership_fields.ts";

export const template: ActionSpec = {
  name: "template",
  summary: "Render a mustache template file to a destination, atomically",
  schema: Strict({
    src: Path,
    dest: Path,
    vars: Type.Optional(AnyMap),
    ...ownershipFields,
    backup: Type.Optional(Type.Boolean()),
    newline: Type.Optional(Type.Union([Type.Literal("lf"), Type.Literal("crlf")])),
  }),
  platforms: ALL_PLATFORMS,
  phase: "run",
  pathFields: ["src", "dest"],
};
