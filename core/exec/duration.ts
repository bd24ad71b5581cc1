const UNIT_MS: Record<string, number> = { ns: 1e-6, us: 1e-3, "µs": 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** The longest `timeout` or `retry_delay`: a year, far past any step, short of what a timer cannot represent. */
export const MAX_DURATION_MS = 365 * 24 * 3_600_000;
export const MAX_DURATION_TEXT = "8760h (365 days)";

/**
 * A number and a unit, the number at most the maximum in that unit. The bound is part of the
 * pattern so that `validate`, the JSON Schema and editors all refuse `99999999999999999999h`.
 */
export const DURATION_PATTERN = `^0*(${Object.entries(UNIT_MS).map(([unit, ms]) => `(${atMost(Math.floor(MAX_DURATION_MS / ms))})${unit}`).join("|")})$`;

/** "30s" -> 30000. The config schema has already checked the shape; a value rendered at run time is checked here. */
export function parseDuration(text: string): number {
  const match = /^([0-9]+)(ns|us|µs|ms|s|m|h)$/.exec(text.trim());
  if (!match) throw new Error(`Invalid duration "${text}": expected a number and a unit such as 30s, 5m or 250ms`);
  const ms = Number(match[1]) * UNIT_MS[match[2]!]!;
  if (ms > MAX_DURATION_MS) throw new Error(`Invalid duration "${text}": the longest allowed is ${MAX_DURATION_TEXT}`);
  return ms;
}

/** A regular expression matching the decimal numbers from 0 to `limit` (leading zeros are matched before it). */
function atMost(limit: number): string {
  const digits = String(limit);
  const alternatives = digits.length > 1 ? [`[0-9]{1,${digits.length - 1}}`] : [];
  for (let i = 0; i < digits.length; i++) {
    const digit = Number(digits[i]);
    if (digit === 0) continue;
    const rest = digits.length - i - 1;
    const lower = digit === 1 ? "0" : `[0-${digit - 1}]`;
    alternatives.push(`${digits.slice(0, i)}${lower}${rest > 0 ? `[0-9]{${rest}}` : ""}`);
  }
  alternatives.push(digits);
  return alternatives.join("|");
}
