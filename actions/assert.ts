import { Type, type TSchema } from "@sinclair/typebox";
import { Duration, NonEmptyString, Path, Strict, StringMap } from "../core/config/schema_types.ts";
import { ALL_PLATFORMS, type ActionSpec } from "./action.ts";

const checks: Record<string, TSchema> = {
  expr: Type.String({ minLength: 1, description: "An expression that must be true" }),
  command: Strict({
    cmd: NonEmptyString,
    exit_code: Type.Optional(Type.Integer()),
    stdout_contains: Type.Optional(Type.String()),
    stdout_regex: Type.Optional(Type.String()),
    timeout: Type.Optional(Duration),
  }),
  file: Strict({
    path: Path,
    exists: Type.Optional(Type.Boolean()),
    content: Type.Optional(Type.String()),
    contains: Type.Optional(Type.String()),
    mode: Type.Optional(Type.String()),
    owner: Type.Optional(Type.String()),
    group: Type.Optional(Type.String()),
    sha256: Type.Optional(Type.String()),
  }),
  http: Strict({
    url: NonEmptyString,
    method: Type.Optional(Type.String()),
    status: Type.Optional(Type.Integer()),
    headers: Type.Optional(StringMap),
    body: Type.Optional(Type.String()),
    contains: Type.Optional(Type.String()),
    jsonpath: Type.Optional(Type.String()),
    equals: Type.Optional(Type.Unknown()),
    timeout: Type.Optional(Duration),
  }),
};

/** Exactly one kind of check per assert step; an assert never reports "changed". */
export const assert: ActionSpec = {
  name: "assert",
  summary: "Check an expression, command, file or HTTP endpoint; fail with the mismatch",
  schema: Type.Union(
    Object.entries(checks).map(([kind, schema]) =>
      Strict({ [kind]: schema, msg: Type.Optional(Type.String({ description: "Message shown when the assertion fails" })) }),
    ),
  ),
  platforms: ALL_PLATFORMS,
  phase: "run",
};
