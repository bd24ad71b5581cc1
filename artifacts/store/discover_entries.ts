import { existsSync, lstatSync, readdirSync, readFileSync, statSync, type Stats } from "node:fs";
import { basename, join, relative } from "node:path";
import { TEMP_NAME } from "../../core/fs/temp_path.ts";
import { COMPACT_SUFFIX } from "../compact/compacted_file.ts";
import { RUN_FILES } from "../run_files.ts";
import { runLockState } from "../run_lock.ts";
import { entryIdOf, hostsWithRuns, runIdsIn, runsDirOf, type RunsLocation } from "../runs_location.ts";
import { STORE_FILES, type EntryFile, type EntryStatus, type StoreEntry } from "./entry.ts";
import { readPins } from "./pins.ts";
import type { Policy } from "./policy.ts";
import { StoreError } from "./store_error.ts";
import { timestampFromName } from "./timestamp_from_name.ts";

/** The family of a mooncake run whose config is unknown (a run killed before writing anything). */
export const UNKNOWN_FAMILY = "(unknown)";

/**
 * Finds every entry of the store at `root`: the mooncake runs under `runs/` and each host's under
 * `hosts/<host>/runs/`, then what each
 * policy family's glob matches (a path is claimed by the first that finds it). Reads sizes,
 * times and statuses, never file contents beyond small JSON summaries.
 */
export function discoverEntries(root: string, policy: Policy): StoreEntry[] {
  if (!existsSync(root)) throw new StoreError(`Cannot read store "${root}": no such directory`);
  if (!statSync(root).isDirectory()) throw new StoreError(`Cannot read store "${root}": it is not a directory`);
  const pinned = new Set(readPins(root).pins.map((p) => p.id));
  const claimed = new Set<string>();
  const entries: StoreEntry[] = [];
  const add = (entry: Omit<StoreEntry, "pinned">) => {
    claimed.add(entry.path);
    const rulePins = (policy.retention[entry.family] ?? policy.fallback).pin;
    entries.push({ ...entry, pinned: pinned.has(entry.id) || rulePins.includes(entry.id) });
  };

  for (const location of [{ root }, ...hostsWithRuns(root).map((host) => ({ root, host }))]) {
    for (const runId of runIdsIn(location)) add(runEntry(location, runId));
  }

  let files = 0;
  for (const family of policy.families) {
    const matches = [...new Bun.Glob(family.glob).scanSync({ cwd: root, onlyFiles: false, dot: false, followSymlinks: false })].sort();
    for (const rel of matches) {
      const top = rel.split("/")[0]!;
      if (STORE_FILES.has(top) || claimed.has(rel) || insideClaimed(rel, claimed)) continue;
      const path = join(root, rel);
      const stat = lstatSync(path);
      if (stat.isSymbolicLink()) continue;
      const entry = stat.isDirectory() ? dirEntry(root, path, rel, family.name, stat) : fileEntry(path, rel, family.name, stat);
      files += entry.fileCount;
      if (files > policy.indexing.maxFilesPerScan) {
        throw new StoreError(`Cannot scan "${root}": more than ${policy.indexing.maxFilesPerScan} files (indexing.max_files_per_scan); narrow the family globs or raise the limit`);
      }
      add(entry);
    }
  }
  return entries;
}

function insideClaimed(rel: string, claimed: ReadonlySet<string>): boolean {
  const parts = rel.split("/");
  for (let i = 1; i < parts.length; i++) if (claimed.has(parts.slice(0, i).join("/"))) return true;
  return false;
}

/** A run directory; a host's run is its own family, `<config>@<host>`, so gc keeps each host's last runs. */
function runEntry(location: RunsLocation, runId: string): Omit<StoreEntry, "pinned"> {
  const { root, host } = location;
  const path = join(runsDirOf(location), runId);
  const files = listFiles(root, path);
  const summary = readJson(join(path, "summary.json"));
  const plan = summary ? undefined : readJson(join(path, "plan.json"));
  const rootFile = stringField(summary, "root_file") ?? stringField(plan, "root_file");
  const lock = runLockState(path);
  let status: EntryStatus = "incomplete";
  if (summary) status = statusOf(summary) ?? "unknown";
  const family = rootFile ? basename(rootFile) : UNKNOWN_FAMILY;
  return {
    id: entryIdOf(location, runId),
    family: host === undefined ? family : `${family}@${host}`,
    path: relative(root, path),
    kind: "dir",
    timestamp: timestampFromName(runId) ?? statSync(path).mtimeMs,
    size: files.reduce((sum, f) => sum + f.size, 0),
    fileCount: files.length,
    status,
    locked: lock === "held",
    lastRunPointer: false,
    dryRun: summary?.dry_run === true,
    files,
  };
}

function dirEntry(root: string, path: string, rel: string, family: string, stat: Stats): Omit<StoreEntry, "pinned"> {
  const files = listFiles(root, path);
  let status: EntryStatus = "unknown";
  const jsons = files.filter((f) => !f.path.slice(rel.length + 1).includes("/") && f.path.endsWith(".json") && f.size < 16 * 1024 * 1024);
  jsons.sort((a, b) => Number(basename(b.path) === "summary.json") - Number(basename(a.path) === "summary.json") || a.path.localeCompare(b.path));
  for (const f of jsons) {
    const found = statusOf(readJson(join(root, f.path)));
    if (found) {
      status = found;
      break;
    }
  }
  return {
    id: rel, family, path: rel, kind: "dir",
    timestamp: timestampFromName(basename(rel)) ?? stat.mtimeMs,
    size: files.reduce((sum, f) => sum + f.size, 0), fileCount: files.length,
    status, locked: runLockState(path) === "held", lastRunPointer: false, dryRun: false, files,
  };
}

function fileEntry(path: string, rel: string, family: string, stat: Stats): Omit<StoreEntry, "pinned"> {
  const name = basename(rel);
  const status = name.endsWith(".json") && stat.size < 16 * 1024 * 1024 ? statusOf(readJson(path)) ?? "unknown" : "unknown";
  return {
    id: rel, family, path: rel, kind: "file",
    timestamp: timestampFromName(name) ?? stat.mtimeMs,
    size: stat.size, fileCount: 1, status, locked: false,
    lastRunPointer: name === "last_run.json", dryRun: false,
    files: [fileOf(rel, stat)],
  };
}

/** Every regular file below `dir`, the run's own lock and files still being written (temporary names) left out. */
function listFiles(root: string, dir: string): EntryFile[] {
  const files: EntryFile[] = [];
  const prefix = relative(root, dir);
  for (const dirent of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!dirent.isFile()) continue;
    const parent = dirent.parentPath;
    if ((dirent.name === RUN_FILES.lock && parent === dir) || TEMP_NAME.test(dirent.name)) continue;
    // String joins rather than path.relative per file: this loop runs for every file of the store.
    const rel = parent.length === dir.length ? `${prefix}/${dirent.name}` : `${prefix}/${parent.slice(dir.length + 1)}/${dirent.name}`;
    files.push(fileOf(rel, statSync(`${parent}/${dirent.name}`)));
  }
  // An interrupted compaction leaves the original beside its compacted form: the original wins.
  const plain = new Set(files.filter((f) => !f.stored).map((f) => f.path));
  return files.filter((f) => !(f.stored && plain.has(f.path))).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

function fileOf(rel: string, stat: Stats): EntryFile {
  if (rel.endsWith(COMPACT_SUFFIX)) {
    return { path: rel.slice(0, -COMPACT_SUFFIX.length), size: stat.size, mtimeMs: stat.mtimeMs, stored: rel };
  }
  return { path: rel, size: stat.size, mtimeMs: stat.mtimeMs };
}

function readJson(path: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(readFileSync(path, "utf8"));
    return value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function stringField(value: Record<string, unknown> | undefined, key: string): string | undefined {
  const field = value?.[key];
  return typeof field === "string" && field !== "" ? field : undefined;
}

const PASS = new Set(["pass", "passed", "success", "succeeded", "ok", "green"]);
const FAIL = new Set(["fail", "failed", "failure", "error", "red", "interrupted", "cancelled", "canceled"]);

/** pass or fail from a top-level `status` or `success` field; undefined when neither says. */
function statusOf(value: Record<string, unknown> | undefined): EntryStatus | undefined {
  if (!value) return undefined;
  if (typeof value.success === "boolean") return value.success ? "pass" : "fail";
  if (typeof value.status === "string") {
    const status = value.status.toLowerCase();
    if (PASS.has(status)) return "pass";
    if (FAIL.has(status)) return "fail";
    return "unknown";
  }
  return undefined;
}
