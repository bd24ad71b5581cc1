import { basename } from "node:path";
import type { StoreEntry } from "./entry.ts";
import { StoreError } from "./store_error.ts";

/** The entry `id` names: its exact id, else the one entry whose id or name starts with it. */
export function findEntry(entries: readonly StoreEntry[], id: string): StoreEntry {
  const exact = entries.find((e) => e.id === id);
  if (exact) return exact;
  const matches = entries.filter((e) => e.id.startsWith(id) || basename(e.path).startsWith(id));
  if (matches.length === 1) return matches[0]!;
  if (matches.length > 1) {
    throw new StoreError(`Entry id "${id}" is ambiguous: it matches ${matches.slice(0, 5).map((e) => `"${e.id}"`).join(", ")}${matches.length > 5 ? ", ..." : ""}`);
  }
  throw new StoreError(`No entry "${id}" in the store: \`mooncake artifacts list\` shows the ids`);
}
