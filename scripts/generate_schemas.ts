// Writes schemas/*.schema.json from the TypeBox types; a test fails when the committed files are stale.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { manifestJsonSchema } from "../artifacts/store/manifest.ts";
import { policyJsonSchema } from "../artifacts/store/policy_schema.ts";
import { configJsonSchema } from "../core/config/config_json_schema.ts";

const outDir = join(import.meta.dir, "..", "schemas");
const schemas: [string, string][] = [
  ["config.schema.json", configJsonSchema()],
  ["artifacts-policy.schema.json", policyJsonSchema()],
  ["manifest.schema.json", manifestJsonSchema()],
];
for (const [name, text] of schemas) {
  writeFileSync(join(outDir, name), text);
  console.log(`wrote schemas/${name}`);
}
