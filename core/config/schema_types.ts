import { Type, type TBoolean, type TInteger, type TNumber, type TSchema } from "@sinclair/typebox";
import { DURATION_PATTERN, MAX_DURATION_MS, MAX_DURATION_TEXT } from "../exec/duration.ts";
import { Templated } from "./templated.ts";

/** Building blocks shared by the step schema and the action payload schemas. */

export const Duration = Templated(Type.String({
  pattern: DURATION_PATTERN,
  description: `A duration such as "30s", "5m" or "250ms", at most ${MAX_DURATION_TEXT}`,
}));

/** A whole number in [minimum, maximum], or a template rendering to one. */
export function Count(description: string, range: { minimum?: number; maximum?: number } = {}): TInteger {
  return Templated(Type.Integer({ ...range, description }));
}

/** A number of seconds above 0 and at most the longest duration, or a template rendering to one. */
export function Seconds(description: string): TNumber {
  return Templated(Type.Number({ exclusiveMinimum: 0, maximum: MAX_DURATION_MS / 1000, description: `${description}; at most ${MAX_DURATION_TEXT}` }));
}

/** true or false, or a template rendering to one of them. */
export function Flag(description?: string): TBoolean {
  return Templated(Type.Boolean(description ? { description } : {}));
}

export const Sha256 = Templated(Type.String({ pattern: "^(sha256:)?[0-9a-fA-F]{64}$", description: "A sha256, 64 hex digits (optionally prefixed sha256:)" }));

export const HttpUrl = Templated(Type.String({ pattern: "^https?://", description: "An http:// or https:// URL" }));

export const NonEmptyString = Type.String({ minLength: 1 });

export const Path = Type.String({ minLength: 1, description: "A path; relative paths are resolved against the directory of the file that declares the step" });

export const Tag = Type.String({
  pattern: "^[A-Za-z0-9_][A-Za-z0-9_.:-]*$",
  description: "A non-empty word: letters, digits, _ . : -",
});

/** The names expressions read as one variable (core/expr/tokenize.ts): `pkgs`, `my-tool_check`. */
export const Identifier = Type.String({
  pattern: "^[0-9]*[A-Za-z_][A-Za-z0-9_]*(-[0-9]*[A-Za-z_][A-Za-z0-9_]*)*$",
  description: "A variable name: words of letters, digits and _, each with a letter or _, joined by -",
});

/** An expression (`when`, `changed_when`, `failed_when`); a YAML boolean is the constant. */
export const Condition = Type.Union([Type.String({ minLength: 1 }), Type.Boolean()], {
  description: 'An expression such as `os == "linux" && !skip`, or one {{ expr }} tag',
});

/**
 * A file mode: an octal string such as "0644", a number, or a template rendering to either. YAML
 * reads an unquoted `mode: 0644` as the decimal 644, so a number's decimal digits are read as octal.
 */
export const Mode = Templated(Type.Union([
  Type.String({ pattern: "^0?[0-7]{3,4}$", description: 'An octal mode such as "0644"' }),
  Type.Integer({ minimum: 0, maximum: 7777, description: "Digits read as octal: 644 means 0644 (an unquoted YAML 0644 arrives as 644)" }),
], { description: 'An octal mode such as "0644"' }));

export const Scalar = Type.Union([Type.String(), Type.Number(), Type.Boolean()]);

export const StringMap = Type.Record(Type.String({ minLength: 1 }), Scalar);

export const AnyMap = Type.Record(Type.String(), Type.Unknown());

export function Strict<T extends Record<string, TSchema>>(properties: T, description?: string) {
  return Type.Object(properties, { additionalProperties: false, ...(description ? { description } : {}) });
}
