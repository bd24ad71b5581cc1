import { existsSync } from "node:fs";
import { join } from "node:path";
import { listTrash } from "../store/trash.ts";
import { HISTORY_FILE, HistoryEntry, historyEntryOf, RUN_FILES, RunSummary } from "../run_files.ts";
import { runIdsIn, runsDirOf, runsPathOf, type RunsLocation } from "../runs_location.ts";
import { checkArtifact, readArtifact } from "./read_artifact.ts";
import { artifactExists, readArtifactBytes } from "../compact/read_artifact.ts";
import { SUMMARY_UPGRADES } from "./upstream_upgrades.ts";

export interface History {
  /** Newest first. */
  entries: HistoryEntry[];
  /** Runs of the history whose directory gc moved to the trash, and those deleted for good. */
  trashed: string[];
  deleted: string[];
  /** Lines that could not be read, each said in seed 001's words. */
  problems: string[];
}

/**
 * The runs of a location, newest first: the lines of its history.jsonl (a missing file is an
 * empty history), and each run directory holding a readable summary but no history line, read
 * from its summary: a host's run brought home by a fleet run, or a run killed between the two
 * writes.
 */
export function readHistory(location: RunsLocation): History {
  const runsDir = runsDirOf(location);
  const path = join(runsDir, HISTORY_FILE);
  const entries: HistoryEntry[] = [];
  const problems: string[] = [];
  if (artifactExists(path)) {
    new TextDecoder().decode(readArtifactBytes(path)).split("\n").forEach((line, index) => {
      if (line.trim() === "") return;
      const where = `${path}:${index + 1}`;
      let raw: unknown;
      try {
        raw = JSON.parse(line);
      } catch {
        problems.push(`Invalid artifact: ${where}: not JSON (a run may have been killed while writing it)`);
        return;
      }
      const read = checkArtifact(raw, where, HistoryEntry);
      if (read.problem === undefined) entries.push(read.value);
      else problems.push(read.problem);
    });
  }
  entries.reverse();

  const listed = new Set(entries.map((e) => e.run_id));
  const unlisted = runIdsIn(location).filter((id) => !listed.has(id) && artifactExists(join(runsDir, id, RUN_FILES.summary)));
  for (const id of unlisted) {
    // A summary that cannot be read is left to `runs show` and the dashboard, which report it with the run.
    const read = readArtifact(join(runsDir, id, RUN_FILES.summary), RunSummary, SUMMARY_UPGRADES);
    if (read.problem === undefined) entries.push({ ...historyEntryOf(read.value), run_id: id });
  }
  if (unlisted.length > 0) entries.sort((a, b) => (a.start_time < b.start_time ? 1 : a.start_time > b.start_time ? -1 : 0));

  const prefix = runsPathOf(location);
  const inTrash = new Set(listTrash(location.root).map((i) => i.original_path));
  const gone = entries.filter((e) => !existsSync(join(runsDir, e.run_id))).map((e) => e.run_id);
  return {
    entries,
    trashed: gone.filter((id) => inTrash.has(`${prefix}/${id}`)),
    deleted: gone.filter((id) => !inTrash.has(`${prefix}/${id}`)),
    problems,
  };
}
