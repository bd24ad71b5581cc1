const UNIT_MS: Record<string, number> = { ns: 1e-6, us: 1e-3, "µs": 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** "30s" -> 30000. The config schema has already checked the shape. */
export function parseDuration(text: string): number {
  const match = /^([0-9]+)(ns|us|µs|ms|s|m|h)$/.exec(text.trim());
  if (!match) throw new Error(`Invalid duration "${text}": expected a number and a unit such as 30s, 5m or 250ms`);
  return Number(match[1]) * UNIT_MS[match[2]!]!;
}
