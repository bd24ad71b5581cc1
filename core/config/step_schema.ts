import { Type, type TSchema } from "@sinclair/typebox";
import type { ActionCatalog, ActionSpec } from "../exec/action.ts";
import { SafetyBlock } from "./safety_schema.ts";
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
  dry_run: Type.Literal("run", {
    description: "run: the step runs for real in a dry-run too, so a read-only probe's result is known in the preview",
  }),
};

/** Common fields an action accepts, plus its own step-level fields. */
export function stepFieldsOf(action: ActionSpec): Record<string, TSchema> {
  const allowed = action.commonFields ?? Object.keys(COMMON_FIELDS);
  const fields: Record<string, TSchema> = {};
  for (const key of allowed) fields[key] = COMMON_FIELDS[key]!;
  return { ...fields, ...action.stepFields };
}

const ref = (name: string) => Type.Unsafe({ $ref: `#/$defs/${name}` });

/** A step of one action: its key, the fields it accepts (the common ones by reference), nothing else. */
function stepSchemaOf(action: ActionSpec): TSchema {
  const common = action.commonFields ?? Object.keys(COMMON_FIELDS);
  const fields = Object.fromEntries([
    ...common.map((key) => [key, Type.Optional(ref(`field.${key}`))] as const),
    ...Object.entries(action.stepFields ?? {}).map(([key, schema]) => [key, Type.Optional(schema)] as const),
  ]);
  return Strict({ [action.name]: action.schema, ...fields }, action.summary);
}

/**
 * The whole config language as one JSON Schema (`schemas/config.schema.json`): one definition per
 * step kind under `$defs`, and a step chosen by its action key (if it has `shell`, then it is a
 * `step.shell`), so an editor or validator reports the errors of that action alone.
 */
export function configSchema(actions: ActionCatalog): TSchema {
  const $defs: Record<string, unknown> = {};
  for (const [key, schema] of Object.entries(COMMON_FIELDS)) $defs[`field.${key}`] = schema;
  for (const action of actions.all) $defs[`step.${action.name}`] = stepSchemaOf(action);
  $defs.step = {
    type: "object",
    description: "Exactly one action key plus common fields",
    properties: Object.fromEntries(actions.all.map((a) => [a.name, { description: a.summary }])),
    anyOf: actions.all.map((a) => ({ required: [a.name] })),
    allOf: actions.all.map((a) => ({ if: { required: [a.name] }, then: ref(`step.${a.name}`) })),
  };
  $defs.steps = Type.Array(ref("step"));
  $defs.document = Strict({
    version: Type.Optional(Type.Union([Type.String(), Type.Number()])),
    name: Type.Optional(Type.String()),
    description: Type.Optional(Type.String()),
    vars: Type.Optional(AnyMap),
    safety: Type.Optional(SafetyBlock),
    steps: ref("steps"),
  });
  return Type.Unsafe({
    $schema: "http://json-schema.org/draft-07/schema#",
    title: "mooncake configuration",
    description: "A list of steps, or a mapping with version, vars and steps",
    if: { type: "array" },
    then: ref("steps"),
    else: ref("document"),
    $defs,
  });
}

export const ROOT_KEYS = ["version", "name", "description", "vars", "safety", "steps"] as const;
