import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { LAST_RUN_FILE, LastRun, RUN_FILES, RunDiff, RunResults, RunSummary } from "../run_files.ts";
import { readArtifact } from "./read_artifact.ts";
import { readHistory } from "./read_history.ts";
import { DIFF_UPGRADES, RESULTS_UPGRADES, SUMMARY_UPGRADES } from "./upstream_upgrades.ts";
import { RUN_ID } from "../../core/exec/run_id.ts";
import { artifactExists } from "../compact/read_artifact.ts";
import { runLockPath, runLockState } from "../run_lock.ts";
import { listTrash, trashContentPath } from "../store/trash.ts";

/** A run directory read back: what could be read, and each problem in seed 001's words. */
export interface RunView {
  run_id: string;
  dir: string;
  /** complete: it has its summary; running: its lock is held by a live process; incomplete: neither. */
  state: "complete" | "running" | "incomplete";
  summary: Partial<RunSummary> | null;
  results: Partial<RunResults> | null;
  diff: Partial<RunDiff> | null;
  problems: string[];
}

/** `YYYYMMDD-HHMMSS-<6 hex>`, with `-N` when runs started in the same second. */

export class RunNotFound extends Error {}

/** The run directory of `runId`, or of the newest run for `last`. */
export function resolveRunDir(runsDir: string, runId: string): { runId: string; dir: string } {
  const id = runId === "last" ? lastRunId(runsDir) : runId;
  if (!RUN_ID.test(id)) throw new RunNotFound(`"${runId}" is not a run id: run ids look like 20260204-141419-a3f2c8`);
  const dir = join(runsDir, id);
  if (!existsSync(dir)) {
    const root = dirname(runsDir);
    const trashed = listTrash(root).find((i) => i.complete && i.original_path === `runs/${id}`);
    if (trashed) throw new RunNotFound(`Run "${id}" is in the trash (${join(root, trashContentPath(trashed))}): bring it back with \`mooncake artifacts restore --id ${id}${root === ".mooncake" ? "" : ` --root ${root}`}\``);
    throw new RunNotFound(`No run "${id}" in "${runsDir}"`);
  }
  return { runId: id, dir };
}

function lastRunId(runsDir: string): string {
  const last = readArtifact(join(runsDir, LAST_RUN_FILE), LastRun);
  if (last.value?.path) return last.value.path;
  const newest = readHistory(runsDir).entries[0];
  if (!newest) throw new RunNotFound(`No runs recorded in "${runsDir}"`);
  return newest.run_id;
}

export function readRun(runsDir: string, runId: string): RunView {
  const { runId: id, dir } = resolveRunDir(runsDir, runId);
  const problems: string[] = [];
  const read = <T>(result: { value?: T; problem?: string | undefined }): T | null => {
    if (result.problem !== undefined) problems.push(result.problem);
    return result.value ?? null;
  };
  const hasSummary = artifactExists(join(dir, RUN_FILES.summary));
  const state = hasSummary ? "complete" : runLockState(dir) === "held" ? "running" : "incomplete";
  if (!hasSummary) {
    problems.push(state === "running"
      ? `The run is still going: ${runLockPath(dir)} is held by a live process`
      : `Missing artifact: ${join(dir, RUN_FILES.summary)} (the run did not finish: it was killed or crashed; ${RUN_FILES.events} holds what it did)`);
  }
  return {
    run_id: id,
    dir,
    state,
    summary: hasSummary ? read(readArtifact(join(dir, RUN_FILES.summary), RunSummary, SUMMARY_UPGRADES)) : null,
    results: hasSummary ? read(readArtifact(join(dir, RUN_FILES.results), RunResults, RESULTS_UPGRADES)) : null,
    diff: hasSummary ? read(readArtifact(join(dir, RUN_FILES.diff), RunDiff, DIFF_UPGRADES)) : null,
    problems,
  };
}
