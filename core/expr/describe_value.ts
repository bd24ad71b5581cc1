import { Missing } from "./missing.ts";

const MAX_SHOWN = 40;

/** A short description of a value for error messages: `string "a"`, `number 1`, `list [1,2]`. */
export function describeValue(value: unknown): string {
  if (value === null || value === undefined || value instanceof Missing) return "null";
  if (typeof value === "string") return `string ${shorten(JSON.stringify(value))}`;
  if (typeof value === "number" || typeof value === "boolean") return `${typeof value} ${value}`;
  const kind = Array.isArray(value) ? "list" : "map";
  return `${kind} ${shorten(JSON.stringify(value) ?? "")}`;
}

function shorten(text: string): string {
  return text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN - 3)}...` : text;
}
