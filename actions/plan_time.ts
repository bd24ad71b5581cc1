import { Type } from "@sinclair/typebox";
import { AnyMap, NonEmptyString, Path, Strict } from "../core/config/schema_types.ts";
import { ALL_PLATFORMS, type ActionSpec } from "../core/exec/action.ts";

/** Actions the plan compiler resolves; they never reach the executor. */

export const vars: ActionSpec = {
  name: "vars",
  summary: "Set variables for the steps that follow (strings are rendered once, here)",
  schema: AnyMap,
  platforms: ALL_PLATFORMS,
  phase: "plan",
  commonFields: ["name", "when", "tags"],
};

export const include: ActionSpec = {
  name: "include",
  summary: "Insert the steps of another file, relative to this one",
  schema: Path,
  platforms: ALL_PLATFORMS,
  phase: "plan",
  commonFields: ["name", "when", "tags", "become", "become_user"],
};

export const includeVars: ActionSpec = {
  name: "include_vars",
  summary: "Load variables from a YAML file, relative to this one",
  schema: Path,
  platforms: ALL_PLATFORMS,
  phase: "plan",
  commonFields: ["name", "when", "tags"],
};

export const preset: ActionSpec = {
  name: "preset",
  summary: "Insert the steps of a preset, with its parameters (see mooncake presets list)",
  schema: Type.Union([
    NonEmptyString,
    Strict({ name: NonEmptyString, with: Type.Optional(AnyMap) }),
  ]),
  platforms: ALL_PLATFORMS,
  phase: "plan",
  commonFields: ["name", "when", "tags", "become", "become_user"],
};
