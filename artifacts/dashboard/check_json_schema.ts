/**
 * Checks a value against a JSON Schema (the keywords artifact contracts use: type, enum, const,
 * required, properties, additionalProperties, items, lengths, bounds, pattern, anyOf, oneOf,
 * allOf, not, local $ref) and returns the first problem as `/path message`, or undefined when it
 * passes. Unknown keywords (format, title...) are ignored, as JSON Schema says.
 */
export function checkJsonSchema(schema: unknown, value: unknown): string | undefined {
  return check(schema, value, "", schema, 0);
}

type Schema = Record<string, unknown>;

const MAX_DEPTH = 64;

function check(schema: unknown, value: unknown, path: string, root: unknown, depth: number): string | undefined {
  if (schema === true || schema === undefined) return undefined;
  if (schema === false) return `${path || "/"} is not allowed`;
  if (!schema || typeof schema !== "object" || depth > MAX_DEPTH) return undefined;
  const s = schema as Schema;
  const at = path || "/";
  if (typeof s.$ref === "string") {
    const target = resolveRef(root, s.$ref);
    if (target === undefined) return `${at} refers to "${s.$ref}", which the schema does not define`;
    const problem = check(target, value, path, root, depth + 1);
    if (problem) return problem;
  }
  if (s.type !== undefined) {
    const types = Array.isArray(s.type) ? s.type : [s.type];
    if (!types.some((t) => hasType(value, t))) return `${at} must be ${types.join(" or ")}, not ${typeName(value)}`;
  }
  if (Array.isArray(s.enum) && !s.enum.some((option) => sameJson(option, value))) {
    return `${at} must be one of ${s.enum.map((o) => JSON.stringify(o)).join(", ")}, not ${JSON.stringify(value)}`;
  }
  if ("const" in s && !sameJson(s.const, value)) return `${at} must be ${JSON.stringify(s.const)}`;
  for (const keyword of ["allOf", "anyOf", "oneOf"] as const) {
    const options = s[keyword];
    if (!Array.isArray(options)) continue;
    const problems = options.map((option) => check(option, value, path, root, depth + 1));
    const passed = problems.filter((p) => p === undefined).length;
    if (keyword === "allOf" && passed < options.length) return problems.find((p) => p !== undefined);
    if (keyword === "anyOf" && passed === 0) return `${at} matches none of the allowed shapes (${problems[0]})`;
    if (keyword === "oneOf" && passed !== 1) return `${at} must match exactly one allowed shape, it matches ${passed}`;
  }
  if (s.not !== undefined && check(s.not, value, path, root, depth + 1) === undefined) return `${at} matches a shape that is not allowed`;
  if (typeof value === "string") return checkString(s, value, at);
  if (typeof value === "number") return checkNumber(s, value, at);
  if (Array.isArray(value)) return checkArray(s, value, path, root, depth);
  if (value && typeof value === "object") return checkObject(s, value as Record<string, unknown>, path, root, depth);
  return undefined;
}

function checkString(s: Schema, value: string, at: string): string | undefined {
  const length = [...value].length;
  if (typeof s.minLength === "number" && length < s.minLength) return `${at} must be at least ${s.minLength} characters long`;
  if (typeof s.maxLength === "number" && length > s.maxLength) return `${at} must be at most ${s.maxLength} characters long`;
  if (typeof s.pattern === "string") {
    let pattern: RegExp;
    try {
      pattern = new RegExp(s.pattern, "u");
    } catch {
      return undefined;
    }
    if (!pattern.test(value)) return `${at} must match the pattern ${s.pattern}`;
  }
  return undefined;
}

function checkNumber(s: Schema, value: number, at: string): string | undefined {
  if (typeof s.minimum === "number" && value < s.minimum) return `${at} must be at least ${s.minimum}`;
  if (typeof s.maximum === "number" && value > s.maximum) return `${at} must be at most ${s.maximum}`;
  if (typeof s.exclusiveMinimum === "number" && value <= s.exclusiveMinimum) return `${at} must be more than ${s.exclusiveMinimum}`;
  if (typeof s.exclusiveMaximum === "number" && value >= s.exclusiveMaximum) return `${at} must be less than ${s.exclusiveMaximum}`;
  return undefined;
}

function checkArray(s: Schema, value: unknown[], path: string, root: unknown, depth: number): string | undefined {
  const at = path || "/";
  if (typeof s.minItems === "number" && value.length < s.minItems) return `${at} must have at least ${s.minItems} items`;
  if (typeof s.maxItems === "number" && value.length > s.maxItems) return `${at} must have at most ${s.maxItems} items`;
  const tuple = Array.isArray(s.prefixItems) ? s.prefixItems : Array.isArray(s.items) ? s.items : undefined;
  for (let i = 0; i < value.length; i++) {
    const itemSchema = tuple ? (i < tuple.length ? tuple[i] : tuple === s.items ? s.additionalItems : s.items) : s.items;
    const problem = check(itemSchema, value[i], `${path}/${i}`, root, depth + 1);
    if (problem) return problem;
  }
  return undefined;
}

function checkObject(s: Schema, value: Record<string, unknown>, path: string, root: unknown, depth: number): string | undefined {
  const at = path || "/";
  if (Array.isArray(s.required)) {
    const missing = s.required.find((key) => typeof key === "string" && !(key in value));
    if (missing !== undefined) return `${at} must have the property "${missing}"`;
  }
  const properties = (s.properties && typeof s.properties === "object" ? s.properties : {}) as Schema;
  for (const [key, item] of Object.entries(value)) {
    const child = `${path}/${key.replaceAll("~", "~0").replaceAll("/", "~1")}`;
    if (Object.hasOwn(properties, key)) {
      const problem = check(properties[key], item, child, root, depth + 1);
      if (problem) return problem;
    } else if (s.additionalProperties === false) {
      return `${child} is not an allowed property`;
    } else if (s.additionalProperties && typeof s.additionalProperties === "object") {
      const problem = check(s.additionalProperties, item, child, root, depth + 1);
      if (problem) return problem;
    }
  }
  return undefined;
}

function resolveRef(root: unknown, ref: string): unknown {
  if (ref === "#") return root;
  if (!ref.startsWith("#/")) return undefined;
  let node: unknown = root;
  for (const raw of ref.slice(2).split("/")) {
    const key = decodeURIComponent(raw).replaceAll("~1", "/").replaceAll("~0", "~");
    if (!node || typeof node !== "object" || !Object.hasOwn(node, key)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

function hasType(value: unknown, type: unknown): boolean {
  switch (type) {
    case "null": return value === null;
    case "boolean": return typeof value === "boolean";
    case "string": return typeof value === "string";
    case "number": return typeof value === "number";
    case "integer": return Number.isInteger(value);
    case "array": return Array.isArray(value);
    case "object": return typeName(value) === "object";
    default: return true;
  }
}

function typeName(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value;
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
