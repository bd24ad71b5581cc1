import { Type } from "@sinclair/typebox";
import { Path, Strict } from "../core/config/schema_types.ts";
import { ALL_PLATFORMS, type ActionSpec } from "./action.ts";
import { ownershipFields } from "./ownership_fields.ts";

export const copy: ActionSpec = {
  name: "copy",
  summary: "Copy a file, atomically, when the destination differs",
  schema: Strict({
    src: Path,
    dest: Path,
    ...ownershipFields,
    force: Type.Optional(Type.Boolean()),
    backup: Type.Optional(Type.Boolean()),
    checksum: Type.Optional(Type.String({ minLength: 1 })),
    preserve_times: Type.Optional(Type.Boolean()),
    preserve_mode: Type.Optional(Type.Boolean()),
  }),
  platforms: ALL_PLATFORMS,
  phase: "run",
  pathFields: ["src", "dest"],
};
