import { expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { manifestJsonSchema } from "../artifacts/store/manifest.ts";
import { policyJsonSchema } from "../artifacts/store/policy_schema.ts";
import { configJsonSchema } from "../core/config/config_json_schema.ts";

const generated: [string, () => string][] = [
  ["schemas/config.schema.json", configJsonSchema],
  ["schemas/artifacts-policy.schema.json", policyJsonSchema],
  ["schemas/manifest.schema.json", manifestJsonSchema],
];

for (const [path, generate] of generated) {
  test(`${path} is what the TypeBox types generate (run \`make schemas\` when this fails)`, () => {
    expect(readFileSync(path, "utf8")).toBe(generate());
  });
}
