import { describeValue } from "./describe_value.ts";
import { ExpressionError } from "./errors.ts";

/**
 * The truth of a condition's value (`when`, `changed_when`, `failed_when`). Booleans are
 * themselves; numbers are true unless 0; the strings "true"/"false" (any case) and "" are read as
 * such, so `when: "{{ flag }}"` behaves. Anything else is an error rather than a guess.
 */
export function conditionValue(value: unknown, source: string): boolean {
  if (typeof value === "boolean") return value;
  if (typeof value === "number") return value !== 0;
  if (value === null || value === undefined) return false;
  if (typeof value === "string") {
    const text = value.trim().toLowerCase();
    if (text === "true") return true;
    if (text === "false" || text === "") return false;
  }
  throw new ExpressionError(`Condition "${source}" must be true or false, got ${describeValue(value)}`);
}
