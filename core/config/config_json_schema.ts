import type { ActionCatalog } from "../exec/action.ts";
import { jsonSchemaText } from "../json_schema_text.ts";
import { configSchema } from "./step_schema.ts";

/** The JSON Schema of the config language, as committed in `schemas/config.schema.json`. */
export function configJsonSchema(actions: ActionCatalog): string {
  return jsonSchemaText(configSchema(actions));
}
