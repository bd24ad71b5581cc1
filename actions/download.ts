import { Type } from "@sinclair/typebox";
import { Duration, Path, Strict, StringMap } from "../core/config/schema_types.ts";
import { ALL_PLATFORMS, type ActionSpec } from "./action.ts";
import { ownershipFields } from "./ownership_fields.ts";

export const download: ActionSpec = {
  name: "download",
  summary: "Download a URL to a file, verified and atomic",
  schema: Strict({
    url: Type.String({ minLength: 1 }),
    dest: Path,
    sha256: Type.Optional(Type.String({ minLength: 1 })),
    checksum: Type.Optional(Type.String({ minLength: 1 })),
    ...ownershipFields,
    timeout: Type.Optional(Duration),
    retries: Type.Optional(Type.Integer({ minimum: 0, maximum: 100 })),
    headers: Type.Optional(StringMap),
    force: Type.Optional(Type.Boolean()),
    backup: Type.Optional(Type.Boolean()),
  }),
  platforms: ALL_PLATFORMS,
  phase: "run",
  pathFields: ["dest"],
};
