import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { listTrash } from "../store/trash.ts";
import { HISTORY_FILE, HistoryEntry } from "../run_files.ts";
import { checkArtifact } from "./read_artifact.ts";
import { artifactExists, readArtifactBytes } from "../compact/read_artifact.ts";

export interface History {
  /** Newest first. */
  entries: HistoryEntry[];
  /** Runs of the history whose directory gc moved to the trash, and those deleted for good. */
  trashed: string[];
  deleted: string[];
  /** Lines that could not be read, each said in seed 001's words. */
  problems: string[];
}

/** runs/history.jsonl, newest run first; a missing file is an empty history. */
export function readHistory(runsDir: string): History {
  const path = join(runsDir, HISTORY_FILE);
  if (!artifactExists(path)) return { entries: [], trashed: [], deleted: [], problems: [] };
  const entries: HistoryEntry[] = [];
  const problems: string[] = [];
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
  const inTrash = new Set(listTrash(dirname(runsDir)).map((i) => i.original_path));
  const gone = entries.filter((e) => !existsSync(join(runsDir, e.run_id))).map((e) => e.run_id);
  return {
    entries: entries.reverse(),
    trashed: gone.filter((id) => inTrash.has(`runs/${id}`)),
    deleted: gone.filter((id) => !inTrash.has(`runs/${id}`)),
    problems,
  };
}
