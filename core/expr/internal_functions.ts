import { describeValue } from "./describe_value.ts";
import { hasMember, member } from "./member.ts";

/** What the `is` tests read from a registered result. */
const RESULT_TESTS: Record<string, (r: { failed: boolean; changed: boolean; skipped: boolean }) => boolean> = {
  failed: (r) => r.failed,
  succeeded: (r) => !r.failed,
  success: (r) => !r.failed,
  changed: (r) => r.changed,
  skipped: (r) => r.skipped,
  ok: (r) => !r.failed && !r.changed && !r.skipped,
};

/** Names of the `x is <test>` tests; `defined` and `undefined` compile to `is_defined`. */
export const TESTS: readonly string[] = [...Object.keys(RESULT_TESTS), "defined", "undefined", "none"];

/**
 * Helpers the normalizer emits for operators filtrex lacks. The `$` keeps them out of reach:
 * user identifiers cannot contain it.
 */
export const INTERNAL_FUNCTIONS = {
  $get: member,
  $list: (...items: unknown[]) => items,
  $in: contains,
  $test: (test: string, value: unknown) => {
    if (test === "none") return value === null || value === undefined;
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      throw new TypeError(`Cannot test ${describeValue(value)} with "is ${test}": expected a registered result`);
    }
    const r = value as Record<string, unknown>;
    const flag = (name: string) => r[name] === true || r.status === name;
    return RESULT_TESTS[test]!({ failed: flag("failed"), changed: flag("changed"), skipped: flag("skipped") });
  },
};

/** `needle in haystack`: list membership, substring, or map key. */
function contains(needle: unknown, haystack: unknown): boolean {
  if (Array.isArray(haystack)) return haystack.includes(needle);
  if (typeof haystack === "string" && (typeof needle === "string" || typeof needle === "number")) {
    return haystack.includes(String(needle));
  }
  if (typeof haystack === "object" && haystack !== null && !Array.isArray(haystack)) return hasMember(haystack, needle);
  throw new TypeError(`Cannot look for ${describeValue(needle)} in ${describeValue(haystack)}`);
}
