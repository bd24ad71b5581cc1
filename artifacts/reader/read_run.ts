import { existsSync } from "node:fs";
import { join } from "node:path";
import { LAST_RUN_FILE, LastRun, RUN_FILES, RunDiff, RunResults, RunSummary } from "../run_files.ts";
import { readArtifact } from "./read_artifact.ts";
import { readHistory } from "./read_history.ts";
import { DIFF_UPGRADES, RESULTS_UPGRADES, SUMMARY_UPGRADES } from "./upstream_upgrades.ts";
import { RUN_ID } from "../../core/exec/run_id.ts";
import { artifactExists } from "../compact/read_artifact.ts";
import { runLockPath, runLockState } from "../run_lock.ts";
import { listTrash, trashContentPath } from "../store/trash.ts";
import { entryIdOf, hostsWithRuns, runsDirOf, runsPathOf, type RunsLocation } from "../runs_location.ts";
import { unsafeNameReason } from "../../core/fleet/host_name.ts";

/** A run directory read back: what could be read, and each problem in seed 001's words. */
export interface RunView {
  run_id: string;
  /** The host a fleet run made it on; null for a run made here. */
  host: string | null;
  dir: string;
  /** complete: it has its summary; running: its lock is held by a live process; incomplete: neither. */
  state: "complete" | "running" | "incomplete";
  summary: Partial<RunSummary> | null;
  results: Partial<RunResults> | null;
  diff: Partial<RunDiff> | null;
  problems: string[];
}

export class RunNotFound extends Error {}

/**
 * Where `runs show` looks for `runId`: on `host` when given, or the host of a `<host>/<run id>`
 * (the store's id of a host's run); else this machine's runs, else the one host that brought a
 * run of that id home (an error names them when several did).
 */
export function locateRun(root: string, runId: string, host?: string): { location: RunsLocation; runId: string } {
  const slash = runId.lastIndexOf("/");
  if (host === undefined && slash > 0 && RUN_ID.test(runId.slice(slash + 1))) [host, runId] = [runId.slice(0, slash), runId.slice(slash + 1)];
  if (host !== undefined) {
    const unsafe = unsafeNameReason(host);
    if (unsafe) throw new RunNotFound(`Invalid host name ${JSON.stringify(host)}: ${unsafe}`);
    return { location: { root, host }, runId };
  }
  const here = { root };
  if (runId === "last" || existsSync(join(runsDirOf(here), runId))) return { location: here, runId };
  const hosts = hostsWithRuns(root).filter((h) => existsSync(join(runsDirOf({ root, host: h }), runId)));
  if (hosts.length > 1) throw new RunNotFound(`Run "${runId}" was brought home from several hosts (${hosts.join(", ")}): name one with --host`);
  return { location: hosts.length === 1 ? { root, host: hosts[0]! } : here, runId };
}

/** The run directory of `runId` in `location`, or of its newest run for `last`. */
export function resolveRunDir(location: RunsLocation, runId: string): { runId: string; dir: string } {
  const runsDir = runsDirOf(location);
  const id = runId === "last" ? lastRunId(location) : runId;
  if (!RUN_ID.test(id)) throw new RunNotFound(`"${runId}" is not a run id: run ids look like 20260204-141419-a3f2c8`);
  const dir = join(runsDir, id);
  if (!existsSync(dir)) {
    const root = location.root;
    const trashed = listTrash(root).find((i) => i.complete && i.original_path === `${runsPathOf(location)}/${id}`);
    if (trashed) throw new RunNotFound(`Run "${id}" is in the trash (${join(root, trashContentPath(trashed))}): bring it back with \`mooncake artifacts restore --id ${entryIdOf(location, id)}${root === ".mooncake" ? "" : ` --root ${root}`}\``);
    throw new RunNotFound(`No run "${id}" in "${runsDir}"`);
  }
  return { runId: id, dir };
}

function lastRunId(location: RunsLocation): string {
  const runsDir = runsDirOf(location);
  const last = readArtifact(join(runsDir, LAST_RUN_FILE), LastRun);
  if (last.value?.path) return last.value.path;
  const newest = readHistory(location).entries[0];
  if (!newest) throw new RunNotFound(`No runs recorded in "${runsDir}"`);
  return newest.run_id;
}

export function readRun(location: RunsLocation, runId: string): RunView {
  const { runId: id, dir } = resolveRunDir(location, runId);
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
    host: location.host ?? null,
    dir,
    state,
    summary: hasSummary ? read(readArtifact(join(dir, RUN_FILES.summary), RunSummary, SUMMARY_UPGRADES)) : null,
    results: hasSummary ? read(readArtifact(join(dir, RUN_FILES.results), RunResults, RESULTS_UPGRADES)) : null,
    diff: hasSummary ? read(readArtifact(join(dir, RUN_FILES.diff), RunDiff, DIFF_UPGRADES)) : null,
    problems,
  };
}
