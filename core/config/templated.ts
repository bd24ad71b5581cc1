import { Type, type TSchema } from "@sinclair/typebox";

const TEMPLATED = Symbol.for("mooncake.templated");

/** Any text holding a tag: its value is only known once rendered. */
const TemplateText = Type.String({ pattern: "\\{\\{", description: "A template ({{ ... }}), whose rendered value must have the format" });

/**
 * A field whose value may be written as a template: the schema accepts `format` or any
 * template, and the rendered value is checked against `format` by `checkRenderedFormats`, at
 * plan time when it is known, when the step runs otherwise. `{ ...Templated(x), description }`
 * keeps the mark. Typed as `format`: actions only ever see the checked, rendered value.
 */
export function Templated<T extends TSchema>(format: T): T {
  return Type.Union([format, TemplateText], { [TEMPLATED]: true, ...(format.description ? { description: format.description } : {}) }) as unknown as T;
}

/** The format of a `Templated` schema, or undefined for any other schema. */
export function formatOf(schema: TSchema): TSchema | undefined {
  return (schema as { [TEMPLATED]?: true })[TEMPLATED] ? (schema.anyOf as TSchema[])[0] : undefined;
}
