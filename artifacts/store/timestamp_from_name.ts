const PATTERNS: readonly RegExp[] = [
  // 20260204-141419, 20250906_143022
  /(?<y>\d{4})(?<mo>\d{2})(?<d>\d{2})[-_T](?<h>\d{2})(?<mi>\d{2})(?<s>\d{2})/,
  // 2025-09-06T14:30:22, 2025-09-06_14-30-22, 2025-09-06 143022
  /(?<y>\d{4})-(?<mo>\d{2})-(?<d>\d{2})[T_ -](?<h>\d{2})[:-]?(?<mi>\d{2})[:-]?(?<s>\d{2})/,
  // 2025-09-06
  /(?<y>\d{4})-(?<mo>\d{2})-(?<d>\d{2})/,
];

/**
 * The time written in an entry's name, read as UTC, or undefined when it holds none:
 * `20260204-141419-a3f2c8` -> 2026-02-04T14:14:19Z.
 */
export function timestampFromName(name: string): number | undefined {
  for (const pattern of PATTERNS) {
    const g = pattern.exec(name)?.groups;
    if (!g) continue;
    const [y, mo, d, h, mi, s] = [g.y, g.mo, g.d, g.h ?? "0", g.mi ?? "0", g.s ?? "0"].map(Number) as [number, number, number, number, number, number];
    if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) continue;
    return Date.UTC(y, mo - 1, d, h, mi, s);
  }
  return undefined;
}
