import { Type } from "@sinclair/typebox";
import { Path, Strict } from "../core/config/schema_types.ts";
import { ownershipFields } from "./ownership_fields.ts";
import { ALL_PLATFORMS, type ActionSpec } from "./action.ts";

const states = ["file", "present", "directory", "touch", "absent", "link", "hardlink", "perms"] as const;

export const file: ActionSpec = {
  name: "file",
  summary: "Ensure a file, directory, link or permissions, or that a path is absent",
  schema: Strict({
    path: Path,
    state: Type.Optional(Type.Union(states.map((s) => Type.Literal(s)), { description: "Default: file" })),
    content: Type.Optional(Type.String()),
    src: Type.Optional(Path),
    ...ownershipFields,
    force: Type.Optional(Type.Boolean()),
    recurse: Type.Optional(Type.Boolean()),
    backup: Type.Optional(Type.Boolean()),
    allow_glob: Type.Optional(Type.Boolean()),
  }),
  platforms: ALL_PLATFORMS,
  phase: "run",
  pathFields: ["path", "src"],
};
