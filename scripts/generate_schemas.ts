// Writes schemas/*.schema.json from the TypeBox types; a test fails when the committed files are stale.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { JSON_SCHEMAS } from "../cli/json_schemas.ts";
import { jsonSchemaText } from "../core/json_schema_text.ts";

const outDir = join(import.meta.dir, "..", "schemas");
for (const [name, schema] of Object.entries(JSON_SCHEMAS)) {
  writeFileSync(join(outDir, name), jsonSchemaText(schema()));
  console.log(`wrote schemas/${name}`);
}
