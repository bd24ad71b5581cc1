import { expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { configJsonSchema } from "../core/config/config_json_schema.ts";

test("schemas/config.schema.json is what the TypeBox types generate (run `make schemas` when this fails)", () => {
  expect(readFileSync("schemas/config.schema.json", "utf8")).toBe(configJsonSchema());
});
