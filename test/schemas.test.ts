import { expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { JSON_SCHEMAS } from "../cli/json_schemas.ts";
import { jsonSchemaText } from "../core/json_schema_text.ts";

for (const [name, schema] of Object.entries(JSON_SCHEMAS)) {
  test(`schemas/${name} is what the TypeBox types generate (run \`make schemas\` when this fails)`, () => {
    expect(readFileSync(`schemas/${name}`, "utf8")).toBe(jsonSchemaText(schema()));
  });
}
