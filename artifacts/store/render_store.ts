import { countsAsPass, type StoreEntry } from "./entry.ts";
import { formatSize } from "./parse_size.ts";
import type { RetentionPlan } from "./plan_retention.ts";

/** "2026-02-04 14:14:19" in UTC, as the tables show times. */
export function formatTime(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace("T", " ");
}

/** Columns a terminal gives the text: characters beyond the basic plane (📌) take two. */
function displayWidth(text: string): number {
  let width = 0;
  for (const char of text) width += char.codePointAt(0)! > 0xffff ? 2 : 1;
  return width;
}

function pad(text: string, width: number): string {
  return text + " ".repeat(Math.max(0, width - displayWidth(text)));
}

function table(rows: readonly string[][]): string[] {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => displayWidth(r[c]!))));
  return rows.map((r) => r.map((cell, c) => (c === r.length - 1 ? cell : pad(cell, widths[c]!))).join("  ").trimEnd());
}

/** The table of seed 002's `artifacts list`: one row an entry, newest first, then its legend and totals. */
export function renderList(entries: readonly StoreEntry[], verbose: boolean): string {
  if (entries.length === 0) return "No entries.\n";
  const sorted = [...entries].sort((a, b) => b.timestamp - a.timestamp || (a.id < b.id ? 1 : -1));
  const lastRun = new Map<string, StoreEntry>();
  const lastPass = new Map<string, StoreEntry>();
  for (const e of sorted) {
    if (e.lastRunPointer) continue;
    if (!lastRun.has(e.family)) lastRun.set(e.family, e);
    if (countsAsPass(e) && !lastPass.has(e.family)) lastPass.set(e.family, e);
  }
  const rows = [["ID", "FAMILY", "TIMESTAMP", "SIZE", "STATUS", "PINNED", "FILES", ...(verbose ? ["PATH"] : [])]];
  for (const e of sorted) {
    const marks = `${lastRun.get(e.family) === e ? "*" : ""}${lastPass.get(e.family) === e ? "+" : ""}${e.locked ? "!" : ""}`;
    rows.push([e.id, e.family, formatTime(e.timestamp), formatSize(e.size), `${e.status}${e.dryRun ? " (dry-run)" : ""}${marks}`, e.pinned ? "📌" : "", String(e.fileCount), ...(verbose ? [e.path] : [])]);
  }
  const families = new Set(entries.map((e) => e.family)).size;
  const size = entries.reduce((s, e) => s + e.size, 0);
  const files = entries.reduce((s, e) => s + e.fileCount, 0);
  return [
    ...table(rows),
    "",
    "Legend: * = last run, + = last pass, ! = run in progress, 📌 = pinned",
    `Total: ${entries.length} ${entries.length === 1 ? "entry" : "entries"}, ${formatSize(size)}, ${files} files, ${families} ${families === 1 ? "family" : "families"}`,
    "",
  ].join("\n");
}

/** The plan of seed 002's `artifacts gc`: totals, per family, safety counts, then every decision with its reason. */
export function renderGcPlan(entries: readonly StoreEntry[], plan: RetentionPlan, options: { dryRun: boolean; policySource: string | null; verbose: boolean }): string {
  const deleted = plan.decisions.map((d, i) => [d, entries[i]!] as const).filter(([d]) => d.action === "delete");
  const bytes = deleted.reduce((s, [, e]) => s + e.size, 0);
  const files = deleted.reduce((s, [, e]) => s + e.fileCount, 0);
  const runs = entries.filter((e) => !e.lastRunPointer);
  const lastRuns = new Set(runs.map((e) => e.family)).size;
  const lastPasses = new Set(runs.filter(countsAsPass).map((e) => e.family)).size;
  const lines = [
    `GC Plan Summary (DryRun: ${options.dryRun})`,
    `Policy: ${options.policySource ?? "built-in defaults (keep 10 last)"}`,
    `Total Entries: ${entries.length}`,
    `To Delete: ${deleted.length} entries (${formatSize(bytes)}, ${files} files)`,
    `To Keep: ${entries.length - deleted.length} entries`,
    `Safety: ${entries.filter((e) => e.pinned).length} pinned, ${lastPasses} last-pass, ${lastRuns} last-run, ${entries.filter((e) => e.locked).length} in progress, ${entries.filter((e) => e.status === "incomplete").length} incomplete kept`,
    "",
    "By Family:",
    ...plan.families.map((f) => `  ${f.family}: keep ${f.kept}/${f.total}, delete ${formatSize(f.bytesDeleted)} (${f.policy})`),
    "",
    "Decisions:",
  ];
  const ordered = [...plan.decisions].sort((a, b) => (a.family < b.family ? -1 : a.family > b.family ? 1 : a.rank - b.rank));
  const shown = options.verbose ? ordered : ordered.filter((d) => d.action === "delete" || d.rule !== "keep");
  const rows = shown.map((d) => [d.action === "delete" ? "-" : "+", d.id, d.family, d.reason]);
  lines.push(...(rows.length ? table(rows).map((l) => `  ${l}`) : ["  (none)"]));
  if (!options.verbose && shown.length < plan.decisions.length) lines.push(`  (${plan.decisions.length - shown.length} kept within keep not shown; --verbose shows every decision)`);
  if (options.dryRun && deleted.length) lines.push("", "Dry run: nothing was moved. Run with --apply to move these entries to the trash.");
  return `${lines.join("\n")}\n`;
}
