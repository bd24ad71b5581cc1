import type { TSchema } from "@sinclair/typebox";
import { configSchema } from "./config/step_schema.ts";
import { eventSchema } from "./events/event.ts";
import { Plan } from "./plan/plan.ts";

/** Every file in schemas/, generated from the TypeBox types the code itself uses. */
export const JSON_SCHEMAS: Readonly<Record<string, () => TSchema>> = {
  "config.schema.json": configSchema,
  "plan.schema.json": () => Plan,
  "event.schema.json": eventSchema,
};

export function jsonSchemaText(schema: TSchema): string {
  return `${JSON.stringify(schema, null, 2)}\n`;
}
