import { jsonSchemaText } from "../json_schemas.ts";
import { configSchema } from "./step_schema.ts";

/** The JSON Schema of the config language, as committed in `schemas/config.schema.json`. */
export function configJsonSchema(): string {
  return jsonSchemaText(configSchema());
}
