import { Type } from "@sinclair/typebox";
import { Path, Strict } from "../core/config/schema_types.ts";
import { ALL_PLATFORMS, type ActionSpec } from "./action.ts";

export const sync: ActionSpec = {
  name: "sync",
  summary: "Make a directory tree match a source tree",
  schema: Strict({
    src: Path,
    dest: Path,
    delete: Type.Optional(Type.Boolean()),
    exclude: Type.Optional(Type.Array(Type.String({ minLength: 1 }))),
    checksum: Type.Optional(Type.Boolean()),
  }),
  platforms: ALL_PLATFORMS,
  phase: "run",
  pathFields: ["src", "dest"],
};
