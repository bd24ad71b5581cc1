export const REDACTED = "********";

/**
 * What a template made of a secret is hidden from this length on. A shorter piece (a length, a
 * two-letter prefix) tells little of the secret, and hiding it would hide every equal piece of
 * unrelated text; the field it is part of is hidden whole anyway.
 */
export const MIN_DERIVED_LENGTH = 4;

/** Every string and number in the secret variables, however nested: what the redactor hides. */
export function secretValues(value: unknown): unknown[] {
  if (value && typeof value === "object") return Object.values(value).flatMap(secretValues);
  return typeof value === "string" || typeof value === "number" ? [value] : [];
}

/** Every string in a value, however nested: what a template made of a secret, or a registered secret holds. */
export function stringValues(value: unknown): string[] {
  if (typeof value === "string") return [value];
  return value && typeof value === "object" ? Object.values(value).flatMap(stringValues) : [];
}

/**
 * Replaces every occurrence of a secret value (the sudo password, secret variables) in strings,
 * however deep in a value. Longest secrets first, so one that contains another is hidden whole.
 */
export class Redactor {
  private secrets: string[] = [];

  constructor(secrets: Iterable<unknown>) {
    this.add(secrets);
  }

  /** More secrets, such as what a run registers into a secret variable. */
  add(secrets: Iterable<unknown>): void {
    const texts = [...secrets].filter((s) => s !== undefined && s !== null).map(String).filter((s) => s.length > 0);
    if (texts.every((t) => this.secrets.includes(t))) return;
    this.secrets = [...new Set([...this.secrets, ...texts])].sort((a, b) => b.length - a.length);
  }

  /** What a template made of a secret (upper-cased, encoded, a piece of it, the field around it), unless too short to matter. */
  addDerived(text: string): void {
    const trimmed = text.trim();
    if (trimmed.length >= MIN_DERIVED_LENGTH) this.add([trimmed]);
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
