/**
 * The value of an undefined variable or member while an expression runs. Only a few functions
 * (`default`, `coalesce`, `is_defined`, `empty`) accept it; they mark it consumed. Any Missing
 * left unconsumed after evaluation becomes an UndefinedVariableError naming its path.
 */
export class Missing {
  consumed = false;
  constructor(readonly path: string) {
    produced?.push(this);
  }
}

/** Marks `value` consumed when it is Missing, and says whether it was. */
export function consumeMissing(value: unknown): value is Missing {
  if (!(value instanceof Missing)) return false;
  value.consumed = true;
  return true;
}

// Evaluation is synchronous, so one slot is enough; saving the previous one keeps nesting safe.
let produced: Missing[] | undefined;

/** Runs `evaluate`, collecting every Missing created meanwhile. */
export function trackMissing<T>(evaluate: () => T): { value: T; missing: Missing[] } {
  const outer = produced;
  const missing: Missing[] = (produced = []);
  try {
    return { value: evaluate(), missing };
  } finally {
    produced = outer;
  }
}
