import { mkdirSync, rmSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { describeFsError } from "../../core/config/source_file.ts";
import { writeFileAtomic } from "../../core/fs/write_file_atomic.ts";
import { describeFileError } from "../describe_file_error.ts";
import { runLockPath } from "../run_lock.ts";

/** A run directory could not be created or locked; the message says which and why. */
export class ArtifactsError extends Error {}

export interface RunDirectory {
  runId: string;
  /** `<artifacts-dir>/runs`, where last_run.json and history.jsonl live. */
  runsDir: string;
  /** `<artifacts-dir>/runs/<run_id>`. */
  dir: string;
}

/** Runs that may start in the same second from the same config on the same host. */
const MAX_SAME_SECOND_RUNS = 1000;

/**
 * Creates `<artifacts-dir>/runs/<run_id>/` and takes its lock. The directory is made with a
 * plain mkdir, which fails when it exists, so two runs starting in the same second never share
 * one: the second gets `<run_id>-2`, the next `-3`, and so on.
 */
export function createRunDirectory(artifactsDir: string, baseRunId: string): RunDirectory {
  const runsDir = join(artifactsDir, "runs");
  try {
    mkdirSync(runsDir, { recursive: true });
  } catch (e) {
    throw new ArtifactsError(`Cannot create artifacts directory "${runsDir}": ${describeCreateError(e)}`);
  }
  for (let n = 1; n <= MAX_SAME_SECOND_RUNS; n++) {
    const runId = n === 1 ? baseRunId : `${baseRunId}-${n}`;
    const dir = join(runsDir, runId);
    try {
      mkdirSync(dir);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "EEXIST") continue;
      throw new ArtifactsError(`Cannot create run directory "${dir}": ${describeCreateError(e)}`);
    }
    try {
      lockRunDirectory(dir, runId);
    } catch (e) {
      rmSync(dir, { recursive: true, force: true });
      throw new ArtifactsError(describeFileError(e));
    }
    return { runId, runsDir, dir };
  }
  throw new ArtifactsError(`Cannot create run directory in "${runsDir}": ${MAX_SAME_SECOND_RUNS} runs of "${baseRunId}" already exist`);
}

/** The lock says who holds the run: `{pid, hostname, run_id, started_at}`; written whole, so it is never found empty. */
function lockRunDirectory(dir: string, runId: string): void {
  writeFileAtomic(runLockPath(dir), `${JSON.stringify({ pid: process.pid, hostname: hostname(), run_id: runId, started_at: new Date().toISOString() })}\n`);
}

export function unlockRunDirectory(dir: string): void {
  rmSync(runLockPath(dir), { force: true });
}

function describeCreateError(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === "EEXIST" || code === "ENOTDIR") return "a file is in the way";
  return describeFsError(e);
}
