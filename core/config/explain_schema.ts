import { Kind, type TSchema } from "@sinclair/typebox";
import { TypeCompiler, type TypeCheck } from "@sinclair/typebox/compiler";
import { closestMatch } from "./closest_match.ts";
import { formatOf } from "./templated.ts";

export type ValuePath = readonly (string | number)[];

/** One reason a value does not match its schema. `atKey` points at the key rather than its value. */
export interface SchemaProblem {
  path: ValuePath;
  message: string;
  atKey?: boolean;
}

const compiled = new WeakMap<TSchema, TypeCheck<TSchema>>();

/** Whether `value` matches `schema` (compiled once per schema). */
export function matchesSchema(schema: TSchema, value: unknown): boolean {
  let checker = compiled.get(schema);
  if (!checker) compiled.set(schema, (checker = TypeCompiler.Compile(schema)));
  return checker.Check(value);
}

/**
 * Explains why `value` does not match `schema`, in words a config author understands: a union
 * is explained through the member of the value's own kind, not as "expected union value".
 */
export function explainSchema(schema: TSchema, value: unknown, path: ValuePath = []): SchemaProblem[] {
  if (matchesSchema(schema, value)) return [];
  const format = formatOf(schema);
  if (format) return explainSchema(format, value, path);
  switch (schema[Kind]) {
    case "Union":
      return explainUnion(schema.anyOf as TSchema[], value, path);
    case "Object":
      return explainObject(schema, value, path);
    case "Record":
      return explainRecord(schema, value, path);
    case "Array":
      return explainArray(schema, value, path);
    default:
      return [{ path, message: explainScalar(schema, value) }];
  }
}

function explainUnion(members: TSchema[], value: unknown, path: ValuePath): SchemaProblem[] {
  if (members.every((m) => m[Kind] === "Literal")) {
    const allowed = members.map((m) => JSON.stringify(m.const)).join(", ");
    return [{ path, message: `Expected one of ${allowed}, got ${describe(value)}` }];
  }
  const tag = kindOf(value) === "a mapping" ? discriminator(members) : undefined;
  if (tag !== undefined) return explainTagged(members, tag, value as Record<string, unknown>, path);
  let sameKind = members.filter((m) => kindsOf(m).includes(kindOf(value)));
  if (sameKind.length > 1 && kindOf(value) === "a mapping") {
    const keys = Object.keys(value as object);
    sameKind = sameKind.filter((m) => ((m.required ?? []) as string[]).every((k) => keys.includes(k)));
    if (sameKind.length !== 1) {
      const choices = members.map((m) => `"${(m.required as string[])[0]}"`).join(", ");
      return [{ path, message: `Expected exactly one of ${choices}, got ${keys.length ? keys.map((k) => `"${k}"`).join(", ") : "none"}` }];
    }
  }
  if (sameKind.length === 1) return explainSchema(sameKind[0]!, value, path);
  const accepted = [...new Set(members.flatMap(kindsOf))].join(" or ");
  return [{ path, message: `Expected ${accepted}, got ${describe(value)}` }];
}

/** A key every member of a union of mappings holds as literals, such as `file`'s `state`. */
function discriminator(members: TSchema[]): string | undefined {
  if (!members.every((m) => m[Kind] === "Object")) return undefined;
  const keys = Object.keys((members[0]!.properties ?? {}) as object);
  return keys.find((key) => members.every((m) => literalsOf(m.properties?.[key]).length > 0));
}

/** Explains a mapping through the member its tag value picks (the member with an optional tag when it has none). */
function explainTagged(members: TSchema[], tag: string, value: Record<string, unknown>, path: ValuePath): SchemaProblem[] {
  const given = value[tag];
  const picked = members.filter((m) =>
    given === undefined ? !((m.required ?? []) as string[]).includes(tag) : literalsOf(m.properties[tag]).includes(given));
  if (picked.length === 1) return explainSchema(picked[0]!, value, path);
  const allowed = members.flatMap((m) => literalsOf(m.properties[tag])).map((v) => JSON.stringify(v)).join(", ");
  return [{ path: [...path, tag], message: `Expected one of ${allowed}, got ${describe(given)}` }];
}

function literalsOf(schema: TSchema | undefined): unknown[] {
  if (schema?.[Kind] === "Literal") return [schema.const];
  if (schema?.[Kind] === "Union") return (schema.anyOf as TSchema[]).flatMap(literalsOf);
  return [];
}

function explainObject(schema: TSchema, value: unknown, path: ValuePath): SchemaProblem[] {
  if (kindOf(value) !== "a mapping") return [{ path, message: `Expected a mapping, got ${describe(value)}` }];
  const object = value as Record<string, unknown>;
  const properties = (schema.properties ?? {}) as Record<string, TSchema>;
  const problems: SchemaProblem[] = [];
  for (const key of (schema.required ?? []) as string[]) {
    if (!(key in object)) problems.push({ path, message: `Missing required key "${key}"` });
  }
  for (const [key, item] of Object.entries(object)) {
    const property = properties[key];
    if (property) problems.push(...explainSchema(property, item, [...path, key]));
    else if (schema.additionalProperties === false) {
      const suggestion = closestMatch(key, Object.keys(properties));
      const known = Object.keys(properties).join(", ");
      problems.push({
        path: [...path, key],
        atKey: true,
        message: suggestion ? `Unknown key "${key}": did you mean "${suggestion}"?` : `Unknown key "${key}": expected one of ${known}`,
      });
    }
  }
  return problems;
}

function explainRecord(schema: TSchema, value: unknown, path: ValuePath): SchemaProblem[] {
  if (kindOf(value) !== "a mapping") return [{ path, message: `Expected a mapping, got ${describe(value)}` }];
  const item = Object.values(schema.patternProperties as Record<string, TSchema>)[0]!;
  return Object.entries(value as Record<string, unknown>).flatMap(([key, v]) => explainSchema(item, v, [...path, key]));
}

function explainArray(schema: TSchema, value: unknown, path: ValuePath): SchemaProblem[] {
  if (!Array.isArray(value)) return [{ path, message: `Expected a list, got ${describe(value)}` }];
  if (schema.minItems !== undefined && value.length < schema.minItems) {
    return [{ path, message: `Expected a list of at least ${schema.minItems} item(s), got ${value.length}` }];
  }
  return value.flatMap((item, i) => explainSchema(schema.items as TSchema, item, [...path, i]));
}

function explainScalar(schema: TSchema, value: unknown): string {
  const expected = kindsOf(schema)[0]!;
  if (schema[Kind] === "Literal") return `Expected ${JSON.stringify(schema.const)}, got ${describe(value)}`;
  if (kindOf(value) !== expected) return `Expected ${expected}, got ${describe(value)}`;
  if (typeof value === "string") {
    if (schema.minLength && value.length < schema.minLength) return "Must not be empty";
    const hint = schema.description ? `: expected ${lowerFirst(schema.description)}` : ` (pattern ${schema.pattern})`;
    return `${describe(value)} is not valid${hint}`;
  }
  if (typeof value === "number") {
    if (schema[Kind] === "Integer" && !Number.isInteger(value)) return `Expected a whole number, got ${value}`;
    if (schema.minimum !== undefined && schema.maximum !== undefined) {
      return `Must be between ${schema.minimum} and ${schema.maximum}, got ${value}`;
    }
    if (schema.minimum !== undefined) return `Must be at least ${schema.minimum}, got ${value}`;
    if (schema.exclusiveMinimum !== undefined && value <= schema.exclusiveMinimum) return `Must be above ${schema.exclusiveMinimum}, got ${value}`;
    if (schema.maximum !== undefined) return `Must be at most ${schema.maximum}, got ${value}`;
  }
  return `Unexpected value ${describe(value)}`;
}

function kindsOf(schema: TSchema): string[] {
  switch (schema[Kind]) {
    case "String":
      return ["a string"];
    case "Integer":
    case "Number":
      return ["a number"];
    case "Boolean":
      return ["true or false"];
    case "Object":
    case "Record":
      return ["a mapping"];
    case "Array":
      return ["a list"];
    case "Literal":
      return [kindOf(schema.const)];
    case "Union":
      return (schema.anyOf as TSchema[]).flatMap(kindsOf);
    default:
      return ["a value"];
  }
}

function kindOf(value: unknown): string {
  if (Array.isArray(value)) return "a list";
  if (value === null || value === undefined) return "nothing";
  switch (typeof value) {
    case "string":
      return "a string";
    case "number":
      return "a number";
    case "boolean":
      return "true or false";
    case "object":
      return "a mapping";
    default:
      return typeof value;
  }
}

export function describe(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (value === null || value === undefined) return "nothing (null)";
  if (typeof value === "number" || typeof value === "boolean") return `${kindOf(value)} (${value})`;
  return kindOf(value);
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}
