import { Type } from "@sinclair/typebox";
import { Mode, Path, Strict } from "../core/config/schema_types.ts";
import { ALL_PLATFORMS, type ActionSpec } from "./action.ts";

export const unarchive: ActionSpec = {
  name: "unarchive",
  summary: "Extract a .tar, .tar.gz, .tgz or .zip archive",
  schema: Strict({
    src: Path,
    dest: Path,
    strip_components: Type.Optional(Type.Integer({ minimum: 0 })),
    creates: Type.Optional(Path),
    mode: Type.Optional(Mode),
  }),
  platforms: ALL_PLATFORMS,
  phase: "run",
  pathFields: ["src", "dest", "creates"],
};
