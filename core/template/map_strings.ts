export type ValuePath = readonly (string | number)[];

/** `value` with every string in it, however deep in lists and maps, replaced by `map(text, path)`. */
export function mapStrings(value: unknown, map: (text: string, path: ValuePath) => unknown, path: ValuePath = []): unknown {
  if (typeof value === "string") return map(value, path);
  if (Array.isArray(value)) return value.map((item, i) => mapStrings(item, map, [...path, i]));
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = mapStrings(v, map, [...path, k]);
    return out;
  }
  return value;
}
