import { Kind, type TSchema } from "@sinclair/typebox";
import { explainSchema, matchesSchema, type ValuePath } from "./explain_schema.ts";
import { formatOf } from "./templated.ts";

/** A rendered value that does not have its field's format; `path` is relative to the checked value. */
export interface FormatProblem {
  path: ValuePath;
  message: string;
}

export interface CheckedFormats {
  /** The rendered value with every checked field in its format's type ("3" -> 3, "true" -> true). */
  value: unknown;
  problems: FormatProblem[];
  /** Templated fields still holding their template: they are checked when the step runs. */
  deferred: ValuePath[];
}

/**
 * Checks every `Templated` field of `schema` that was written as a template: `written` is the
 * value as the config has it, `rendered` the same value after rendering. A field whose
 * rendering was deferred (it still holds its template) is listed in `deferred`.
 */
export function checkRenderedFormats(schema: TSchema, written: unknown, rendered: unknown): CheckedFormats {
  const result: CheckedFormats = { value: rendered, problems: [], deferred: [] };
  result.value = walk(schema, written, rendered, [], result);
  return result;
}

function walk(schema: TSchema, written: unknown, rendered: unknown, path: ValuePath, result: CheckedFormats): unknown {
  const format = formatOf(schema);
  if (format) return checkField(format, written, rendered, path, result);
  switch (schema[Kind]) {
    case "Union":
      return walk(memberFor(schema, written), written, rendered, path, result);
    case "Array":
      if (!Array.isArray(written) || !Array.isArray(rendered)) return rendered;
      return rendered.map((item, i) => walk(schema.items as TSchema, written[i], item, [...path, i], result));
    case "Object":
    case "Record": {
      if (!isMapping(written) || !isMapping(rendered)) return rendered;
      const properties = schema[Kind] === "Object" ? (schema.properties as Record<string, TSchema>) : undefined;
      const each = properties ? undefined : Object.values(schema.patternProperties as Record<string, TSchema>)[0];
      const out: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(rendered)) {
        const property = properties ? properties[key] : each;
        out[key] = property ? walk(property, written[key], value, [...path, key], result) : value;
      }
      return out;
    }
    default:
      return rendered;
  }
}

function checkField(format: TSchema, written: unknown, rendered: unknown, path: ValuePath, result: CheckedFormats): unknown {
  if (typeof written !== "string" || !written.includes("{{")) return rendered;
  if (rendered === written) {
    result.deferred.push(path);
    return rendered;
  }
  const value = inFormatType(format, rendered);
  for (const problem of explainSchema(format, value)) {
    result.problems.push({ path, message: `${problem.message} (rendered from ${JSON.stringify(written)})` });
  }
  return value;
}

/** A rendered string read as the number or boolean its format wants, when the format takes no string. */
function inFormatType(format: TSchema, rendered: unknown): unknown {
  if (typeof rendered !== "string" || acceptsStrings(format)) return rendered;
  const text = rendered.trim();
  const candidates: unknown[] = [];
  if (/^-?[0-9]+(\.[0-9]+)?$/.test(text)) candidates.push(Number(text));
  if (text === "true" || text === "false") candidates.push(text === "true");
  return candidates.find((c) => matchesSchema(format, c)) ?? candidates.find((c) => takesKindOf(format, c)) ?? rendered;
}

function acceptsStrings(schema: TSchema): boolean {
  return takesKindOf(schema, "");
}

/** Whether `schema` takes values of the JavaScript type of `value`, whatever its other constraints. */
function takesKindOf(schema: TSchema, value: unknown): boolean {
  if (schema[Kind] === "Union") return (schema.anyOf as TSchema[]).some((m) => takesKindOf(m, value));
  const kinds: Record<string, string> = { String: "string", Integer: "number", Number: "number", Boolean: "boolean" };
  return kinds[schema[Kind] as string] === typeof value;
}

/** The member of a union the written value matches (it passed validation, so one does). */
function memberFor(schema: TSchema, written: unknown): TSchema {
  const members = schema.anyOf as TSchema[];
  return members.find((m) => matchesSchema(m, written)) ?? members[0]!;
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
