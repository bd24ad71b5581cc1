import type { TSchema } from "@sinclair/typebox";

/** A JSON Schema as the files in schemas/ hold it. */
export function jsonSchemaText(schema: TSchema): string {
  return `${JSON.stringify(schema, null, 2)}\n`;
}
