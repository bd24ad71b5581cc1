import { collector } from "./collector.ts";

const missingValues = collector<Missing>();

/**
 * The value of an undefined variable or member while an expression runs. Only a few functions
 * (`default`, `coalesce`, `is_defined`, `empty`) accept it; they mark it consumed. Any Missing
 * left unconsumed after evaluation becomes an UndefinedVariableError naming its path.
 */
export class Missing {
  consumed = false;
  constructor(readonly path: string) {
    missingValues.note(this);
  }
}

/** Marks `value` consumed when it is Missing, and says whether it was. */
export function consumeMissing(value: unknown): value is Missing {
  if (!(value instanceof Missing)) return false;
  value.consumed = true;
  return true;
}

/** Runs `evaluate`, collecting every Missing created meanwhile. */
export function trackMissing<T>(evaluate: () => T): { value: T; missing: Missing[] } {
  const { value, items } = missingValues.track(evaluate);
  return { value, missing: items };
}
