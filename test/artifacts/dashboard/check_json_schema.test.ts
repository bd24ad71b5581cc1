import { expect, test } from "bun:test";
import { checkJsonSchema } from "../../../artifacts/dashboard/check_json_schema.ts";

const SCHEMA = {
  type: "object",
  required: ["schema_version", "status"],
  additionalProperties: { type: ["string", "number", "boolean", "object", "array"] },
  properties: {
    schema_version: { const: "0.1" },
    status: { enum: ["pass", "fail"] },
    evidence_paths: { type: "array", items: { type: "string", minLength: 1 }, maxItems: 3 },
    pr_wave: { $ref: "#/definitions/wave" },
    owner: { anyOf: [{ type: "string", pattern: "^@" }, { type: "null" }] },
  },
  definitions: { wave: { type: "integer", minimum: 0 } },
};

test("a value that fits the schema has no problem", () => {
  expect(checkJsonSchema(SCHEMA, { schema_version: "0.1", status: "pass", evidence_paths: ["a"], pr_wave: 3, owner: null, extra: {} })).toBeUndefined();
});

test("the first problem is named with its JSON pointer", () => {
  const base = { schema_version: "0.1", status: "pass" };
  expect(checkJsonSchema(SCHEMA, { schema_version: "0.1" })).toBe('/ must have the property "status"');
  expect(checkJsonSchema(SCHEMA, { ...base, status: "maybe" })).toBe('/status must be one of "pass", "fail", not "maybe"');
  expect(checkJsonSchema(SCHEMA, { ...base, evidence_paths: ["a", 2] })).toBe("/evidence_paths/1 must be string, not number");
  expect(checkJsonSchema(SCHEMA, { ...base, evidence_paths: [""] })).toBe("/evidence_paths/0 must be at least 1 characters long");
  expect(checkJsonSchema(SCHEMA, { ...base, evidence_paths: ["a", "b", "c", "d"] })).toBe("/evidence_paths must have at most 3 items");
  expect(checkJsonSchema(SCHEMA, { ...base, pr_wave: 1.5 })).toBe("/pr_wave must be integer, not number");
  expect(checkJsonSchema(SCHEMA, { ...base, pr_wave: -1 })).toBe("/pr_wave must be at least 0");
  expect(checkJsonSchema(SCHEMA, { ...base, owner: "bob" })).toStartWith("/owner matches none of the allowed shapes");
  expect(checkJsonSchema(SCHEMA, { ...base, extra: null })).toBe("/extra must be string or number or boolean or object or array, not null");
  expect(checkJsonSchema(SCHEMA, [])).toBe("/ must be object, not array");
});

test("a closed object rejects other properties, and a $ref to nothing is a problem, not a crash", () => {
  expect(checkJsonSchema({ type: "object", additionalProperties: false, properties: { a: {} } }, { a: 1, b: 2 })).toBe("/b is not an allowed property");
  expect(checkJsonSchema({ $ref: "#/definitions/none" }, 1)).toBe('/ refers to "#/definitions/none", which the schema does not define');
});
