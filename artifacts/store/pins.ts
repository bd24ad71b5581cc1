import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { writeFileAtomic } from "../../core/fs/write_file_atomic.ts";
import { StoreError } from "./store_error.ts";

/** `<root>/.pins.json`: the pins made with `artifacts pin`, beside those the policy lists. */
export interface PinsFile {
  schema_version: 1;
  pins: { id: string; pinned_at: string }[];
}

export function readPins(root: string): PinsFile {
  const path = join(root, ".pins.json");
  if (!existsSync(path)) return { schema_version: 1, pins: [] };
  try {
    const value = JSON.parse(readFileSync(path, "utf8")) as PinsFile;
    if (!Array.isArray(value.pins)) throw new Error('it has no "pins" list');
    return value;
  } catch (e) {
    throw new StoreError(`Cannot read pins "${path}": ${e instanceof Error ? e.message : String(e)}; fix or remove the file`);
  }
}

/** Pins or unpins `id`; returns false when it already was in that state. */
export function setPinned(root: string, id: string, pinned: boolean, now: Date): boolean {
  const file = readPins(root);
  const has = file.pins.some((p) => p.id === id);
  if (has === pinned) return false;
  file.pins = pinned ? [...file.pins, { id, pinned_at: now.toISOString() }] : file.pins.filter((p) => p.id !== id);
  writeFileAtomic(join(root, ".pins.json"), `${JSON.stringify(file, null, 2)}\n`);
  return true;
}
