import { existsSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { readArtifact } from "../reader/read_artifact.ts";
import { readHistory } from "../reader/read_history.ts";
import { LAST_RUN_FILE, LastRun, type HistoryEntry } from "../run_files.ts";
import { entryIdOf, hostsWithRuns, runOfPath, runsDirOf } from "../runs_location.ts";
import { discoverEntries } from "../store/discover_entries.ts";
import type { StoreEntry } from "../store/entry.ts";
import type { Policy } from "../store/policy.ts";
import { StoreError } from "../store/store_error.ts";
import { globFamilies } from "./glob_families.ts";
import { badgeOf, DASHBOARD_SCHEMA_VERSION, DEFAULT_HISTORY, newestFirst, type Badge, type CardStatus, type DashboardModel, type FamilyCard } from "./model.ts";
import { runFamilies, type FamiliesPart } from "./run_families.ts";
import { isSeed001Tree, productCards, readProducts, type Seed001Tree } from "./seed001_products.ts";

export interface BuildOptions {
  /** Runs per family in the history strip and in detail (default 20). */
  history?: number;
  now?: Date;
}

/** Cards with trouble first, so a glance at the top of the page is enough. */
const STATUS_ORDER: readonly CardStatus[] = ["error", "fail", "running", "incomplete", "unknown", "pass"];

/**
 * Reads an artifact tree the store understands (mooncake runs, artifacts.yaml families, a seed-001
 * products tree) into the dashboard's model. Never throws for a broken artifact: each problem is
 * a badge on its family, or on the page when it concerns the whole tree.
 */
export function buildDashboard(artifactsDir: string, policy: Policy, options: BuildOptions = {}): DashboardModel {
  const root = resolve(artifactsDir);
  const limit = options.history ?? DEFAULT_HISTORY;
  const model: DashboardModel = {
    schema_version: DASHBOARD_SCHEMA_VERSION,
    generated_at: (options.now ?? new Date()).toISOString(),
    root,
    history_limit: limit,
    badges: [],
    families: [],
    runs: [],
    details: {},
  };
  if (!existsSync(root) || !statSync(root).isDirectory()) {
    model.badges.push({ kind: "missing", message: `Missing artifact: ${root} (no runs recorded yet, or a wrong --artifacts-dir)` });
    return model;
  }
  const seed: Seed001Tree | undefined = isSeed001Tree(root) ? readProducts(root) : undefined;
  const products = seed?.products ?? [];
  const productFamilies = new Set(products.map((p) => p.family));
  const globNames = new Set(policy.families.map((f) => f.name));
  let entries: StoreEntry[] = [];
  try {
    entries = discoverEntries(root, { ...policy, families: [...products.map((p) => ({ name: p.family, glob: p.glob })), ...policy.families] });
  } catch (e) {
    if (!(e instanceof StoreError)) throw e;
    model.badges.push({ kind: "notice", message: e.message });
  }
  const isRun = (e: StoreEntry) => e.kind === "dir" && runOfPath(root, e.path) !== undefined;
  const runEntries = entries.filter(isRun);
  const lines = new Map<string, HistoryEntry>();
  for (const location of [{ root }, ...hostsWithRuns(root).map((host) => ({ root, host }))]) {
    const history = readHistory(location);
    for (const line of history.entries) lines.set(entryIdOf(location, line.run_id), line);
    model.badges.push(...history.problems.map(badgeOf), ...lastRunProblems(runsDirOf(location)));
  }
  const parts: FamiliesPart[] = [
    runFamilies(root, runEntries, lines, limit),
    globFamilies(root, entries.filter((e) => !isRun(e) && globNames.has(e.family) && !productFamilies.has(e.family)), limit),
  ];
  if (seed) {
    parts.push(productCards(root, seed, globFamilies(root, entries.filter((e) => !isRun(e) && productFamilies.has(e.family)), limit, (family) => family), limit));
    model.badges.push(...seed.badges);
  }
  for (const part of parts) {
    model.families.push(...part.cards);
    model.runs.push(...part.rows);
    for (const detail of part.details) model.details[detail.key] = detail;
  }
  model.families.sort(byStatusThenName);
  model.runs.sort(newestFirst);
  return model;
}

/** runs/last_run.json of mooncake runs: absent is fine (no run finished yet), unreadable is a badge. */
function lastRunProblems(runsDir: string): Badge[] {
  const path = join(runsDir, LAST_RUN_FILE);
  if (!existsSync(path)) return [];
  const read = readArtifact(path, LastRun);
  return read.problem === undefined ? [] : [badgeOf(read.problem)];
}

function byStatusThenName(a: FamilyCard, b: FamilyCard): number {
  return STATUS_ORDER.indexOf(a.status) - STATUS_ORDER.indexOf(b.status) || a.name.localeCompare(b.name);
}
