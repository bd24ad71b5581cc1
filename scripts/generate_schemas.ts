// Writes schemas/*.schema.json from the TypeBox types; a test fails when the committed files are stale.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { configJsonSchema } from "../core/config/config_json_schema.ts";

const outDir = join(import.meta.dir, "..", "schemas");
writeFileSync(join(outDir, "config.schema.json"), configJsonSchema());
console.log("wrote schemas/config.schema.json");
