import type { LabelledValue } from "./model.ts";

const MAX_FIELDS = 32;
const MAX_VALUE = 400;

/**
 * The fields of a record the page has no place for, as labelled values: `banana_economy: 3`
 * becomes "Banana economy" = "3"; objects and arrays are shown as JSON, long values cut.
 */
export function labelledFields(record: Record<string, unknown>, known: ReadonlySet<string>): LabelledValue[] {
  const fields: LabelledValue[] = [];
  for (const [key, value] of Object.entries(record)) {
    if (known.has(key)) continue;
    if (fields.length === MAX_FIELDS) {
      fields.push({ label: "…", value: `${Object.keys(record).length - known.size - MAX_FIELDS} more fields not shown` });
      break;
    }
    const text = typeof value === "string" ? value : JSON.stringify(value) ?? String(value);
    fields.push({ label: labelOf(key), value: text.length > MAX_VALUE ? `${text.slice(0, MAX_VALUE)}… (${text.length} characters)` : text });
  }
  return fields;
}

function labelOf(key: string): string {
  const words = key.replace(/([a-z])([A-Z])/g, "$1 $2").replace(/[_-]+/g, " ").trim().toLowerCase();
  return words ? words[0]!.toUpperCase() + words.slice(1) : key;
}
