import { Type, type TSchema } from "@sinclair/typebox";
import type { ActionCatalog, ActionSpec } from "../exec/action.ts";
import { AnyMap, Condition, Count, Duration, Identifier, NonEmptyString, Path, Strict, StringMap, Tag } from "./schema_types.ts";

/** The fields every step may carry besides its action key. */
export const COMMON_FIELDS: Readonly<Record<string, TSchema>> = {
  name: Type.String({ description: "Display name, rendered where its variables are known" }),
  tags: Type.Array(Tag, { description: "Select the step with --tags" }),
  when: Condition,
  become: Type.Boolean({ description: "Run the step through sudo" }),
  become_user: Type.String({ minLength: 1, description: "User to become (sudo -u)" }),
  env: StringMap,
  cwd: Path,
  register: Identifier,
  timeout: Duration,
  retries: Count("Extra attempts after a failure", { minimum: 0, maximum: 100 }),
  retry_delay: Duration,
  changed_when: Condition,
  failed_when: Condition,
  ignore_errors: Type.Boolean({ description: "A failure of this step does not stop the run" }),
  with_items: Type.Union([NonEmptyString, Type.Array(Type.Unknown())], {
    description: "A list, a variable name, an expression, or one {{ expr }} tag",
  }),
  with_filetree: Path,
};

/** Common fields an action accepts, plus its own step-level fields. */
export function stepFieldsOf(action: ActionSpec): Record<string, TSchema> {
  const allowed = action.commonFields ?? Object.keys(COMMON_FIELDS);
  const fields: Record<string, TSchema> = {};
  for (const key of allowed) fields[key] = COMMON_FIELDS[key]!;
  return { ...fields, ...action.stepFields };
}

function stepSchemaOf(action: ActionSpec): TSchema {
  const optional = Object.fromEntries(Object.entries(stepFieldsOf(action)).map(([k, s]) => [k, Type.Optional(s)]));
  return Strict({ [action.name]: action.schema, ...optional }, action.summary);
}

/** The whole config language as one TypeBox type; `schemas/config.schema.json` is generated from it. */
export function configSchema(actions: ActionCatalog): TSchema {
  const Step = Type.Union(actions.all.map(stepSchemaOf), { $id: "Step", description: "Exactly one action key plus common fields" });
  const Steps = Type.Array(Step);
  return Type.Union(
    [
      Steps,
      Strict({
        version: Type.Optional(Type.Union([Type.String(), Type.Number()])),
        name: Type.Optional(Type.String()),
        description: Type.Optional(Type.String()),
        vars: Type.Optional(AnyMap),
        steps: Steps,
      }),
    ],
    {
      $schema: "http://json-schema.org/draft-07/schema#",
      title: "mooncake configuration",
      description: "A list of steps, or a mapping with version, vars and steps",
    },
  );
}

export const ROOT_KEYS = ["version", "name", "description", "vars", "steps"] as const;
