import { readFileSync, statSync } from "node:fs";
import { basename, join } from "node:path";
import type { StoreEntry } from "../store/entry.ts";
import { labelledFields } from "./labelled_fields.ts";
import { cardFromRows, newestFirst, type LabelledValue, type RunDetail, type RunRow } from "./model.ts";
import { groupBy, type FamiliesPart } from "./run_families.ts";

/** Files of an entry the page links to; the rest are counted. */
const MAX_EVIDENCE = 50;
const MAX_STATUS_JSON = 1024 * 1024;
const NO_FIELDS = new Set<string>();

/**
 * The cards of the families an `artifacts.yaml` declares by glob: each matched directory or file
 * is a run of its family, with the status the store found in it and its files as evidence.
 * `keyOf` names a family's cards and rows on the page.
 */
export function globFamilies(root: string, entries: readonly StoreEntry[], limit: number, keyOf = (family: string) => `glob:${family}`): FamiliesPart {
  const part: FamiliesPart = { cards: [], rows: [], details: [] };
  for (const [family, members] of groupBy(entries, (e) => e.family)) {
    const familyKey = keyOf(family);
    const rows = members.map((entry) => rowOf(familyKey, entry)).sort(newestFirst);
    const byKey = new Map(members.map((e) => [`${familyKey}/${e.id}`, e]));
    const details = rows.slice(0, limit).map((row) => {
      row.detailed = true;
      return detailOf(root, row, byKey.get(row.key)!);
    });
    part.details.push(...details);
    part.cards.push({ ...cardFromRows(familyKey, family, "glob", rows, limit), evidence: details[0]?.evidence ?? [], fields: details[0]?.fields ?? [] });
    part.rows.push(...rows);
  }
  return part;
}

function rowOf(familyKey: string, entry: StoreEntry): RunRow {
  return {
    key: `${familyKey}/${entry.id}`,
    id: entry.id,
    family: entry.family,
    status: entry.locked ? "running" : entry.status,
    started_at: new Date(entry.timestamp).toISOString(),
    duration_ms: null,
    counts: null,
    dry_run: false,
    pinned: entry.pinned,
    path: entry.path,
    detailed: false,
  };
}

function detailOf(root: string, row: RunRow, entry: StoreEntry): RunDetail {
  const evidence = entry.files.slice(0, MAX_EVIDENCE).map((f) => f.path);
  if (entry.files.length > MAX_EVIDENCE) evidence.push(`… ${entry.files.length - MAX_EVIDENCE} more files in ${entry.path}`);
  return {
    key: row.key, error_message: null, error_kind: null, ended_at: null, badges: [], steps: [], events: [],
    events_note: null, changed_files: [], evidence, fields: statusFields(root, entry),
  };
}

/** The top-level values of the JSON file the store took the entry's status from (summary.json first). */
function statusFields(root: string, entry: StoreEntry): LabelledValue[] {
  const top = entry.files.filter((f) => f.path.endsWith(".json") && (entry.kind === "file" || !f.path.slice(entry.path.length + 1).includes("/")));
  top.sort((a, b) => Number(basename(b.path) === "summary.json") - Number(basename(a.path) === "summary.json") || a.path.localeCompare(b.path));
  for (const file of top) {
    const path = join(root, file.path);
    try {
      if (statSync(path).size > MAX_STATUS_JSON) continue;
      const value: unknown = JSON.parse(readFileSync(path, "utf8"));
      if (value && typeof value === "object" && !Array.isArray(value) && ("status" in value || "success" in value)) {
        return labelledFields(value as Record<string, unknown>, NO_FIELDS);
      }
    } catch {
      continue;
    }
  }
  return [];
}
