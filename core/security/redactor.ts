export const REDACTED = "********";

/** Every string and number in the secret variables, however nested: what the redactor hides. */
export function secretValues(value: unknown): unknown[] {
  if (value && typeof value === "object") return Object.values(value).flatMap(secretValues);
  return typeof value === "string" || typeof value === "number" ? [value] : [];
}

/**
 * Replaces every occurrence of a secret value (the sudo password, secret variables) in strings,
 * however deep in a value. Longest secrets first, so one that contains another is hidden whole.
 */
export class Redactor {
  private readonly secrets: string[];

  constructor(secrets: Iterable<unknown>) {
    const texts = [...secrets].filter((s) => s !== undefined && s !== null).map(String).filter((s) => s.length > 0);
    this.secrets = [...new Set(texts)].sort((a, b) => b.length - a.length);
  }

  get active(): boolean {
    return this.secrets.length > 0;
  }

  /** Whether `value` holds a secret. */
  finds(value: string): boolean {
    return this.secrets.some((secret) => value.includes(secret));
  }

  /**
   * The latest position at or before `at` where `value` can be cut without splitting a secret, so
   * each piece still gets it redacted whole. `value` must reach past `at` by the longest secret.
   */
  cutBefore(value: string, at: number): number {
    let cut = at;
    for (let moved = true; moved; ) {
      moved = false;
      for (const secret of this.secrets) {
        const found = value.indexOf(secret, Math.max(0, cut - secret.length + 1));
        if (found !== -1 && found < cut && found > 0) {
          cut = found;
          moved = true;
        }
      }
    }
    return cut;
  }

  text(value: string): string {
    let out = value;
    for (const secret of this.secrets) if (out.includes(secret)) out = out.replaceAll(secret, REDACTED);
    return out;
  }

  /** A copy of `value` with every secret replaced; `value` itself when there are no secrets. */
  value<T>(value: T): T {
    return this.active ? (this.deep(value) as T) : value;
  }

  private deep(value: unknown): unknown {
    if (typeof value === "string") return this.text(value);
    if (Array.isArray(value)) return value.map((v) => this.deep(v));
    if (value && typeof value === "object") {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) out[this.text(k)] = this.deep(v);
      return out;
    }
    return value;
  }
}
