// schemas/config.schema.json as an editor or CI validator sees it: compiled by ajv (strict), it
// accepts the example configs and rejects bad steps with errors of the failing action alone. Strict
// mode is on except strictRequired: the step union tests for an action key with `required` alone.
import { describe, expect, test } from "bun:test";
import Ajv, { type ErrorObject } from "ajv";
import { readFileSync } from "node:fs";

const schema = JSON.parse(readFileSync("schemas/config.schema.json", "utf8"));
const validate = new Ajv({ allErrors: true, strict: true, strictRequired: false }).compile(schema);

function errorsOf(config: unknown): ErrorObject[] {
  return validate(config) ? [] : validate.errors!;
}

describe("schemas/config.schema.json in ajv", () => {
  test("compiles, with one definition per step kind referenced from the step union", () => {
    expect(Object.keys(schema.$defs)).toEqual(expect.arrayContaining(["step", "steps", "document", "step.shell", "step.file", "step.include", "field.when"]));
    expect(JSON.stringify(schema.$defs["step.shell"])).toContain('"$ref":"#/$defs/field.when"');
  });

  test("accepts the example configs, both shapes", () => {
    for (const path of ["examples/site.yml", "examples/tasks/checks.yml"]) {
      expect(errorsOf(Bun.YAML.parse(readFileSync(path, "utf8")))).toEqual([]);
    }
  });

  test("a bad field of a shell step gets the errors of the shell action alone", () => {
    const errors = errorsOf([{ name: "x", shell: { cmdd: "ls" } }, { file: { path: "/tmp/x" } }]);
    expect(errors.map((e) => e.params)).toContainEqual({ additionalProperty: "cmdd" });
    for (const e of errors) expect(["", "/0", "/0/shell"]).toContain(e.instancePath);
    // Only the shell step's own schema speaks: no "must have required property" from the other actions.
    expect(errors.filter((e) => e.keyword === "required").map((e) => e.params)).toEqual([{ missingProperty: "cmd" }]);
  });

  test("a common field of the wrong type, an unknown key, and a step without an action are errors", () => {
    expect(errorsOf([{ shell: "ls", retries: "many" }]).map((e) => e.instancePath)).toContain("/0/retries");
    expect(errorsOf({ steps: [{ shell: "ls", loop: [1] }] }).map((e) => e.params)).toContainEqual({ additionalProperty: "loop" });
    expect(errorsOf([{ name: "nothing to do" }]).length).toBeGreaterThan(0);
    expect(errorsOf({ steps: [], extra: 1 }).map((e) => e.params)).toContainEqual({ additionalProperty: "extra" });
  });
});
