import { closeSync, fstatSync, fsyncSync, openSync, readSync } from "node:fs";
import { join } from "node:path";
import { writeAll } from "../../core/fs/write_all.ts";
import { writeFileAtomic } from "../../core/fs/write_file_atomic.ts";
import { ARTIFACT_SCHEMA_VERSION, HISTORY_FILE, historyEntryOf, LAST_RUN_FILE, type LastRun, type RunSummary } from "../run_files.ts";

/**
 * Records a finished run in `runs/`: one line appended to history.jsonl, then last_run.json
 * replaced. The history line goes out in a single O_APPEND write, so runs finishing together
 * never interleave their lines; after a torn last line (a run killed while writing it, a full
 * disk) it starts on a new line, so it is never glued to the torn one. last_run.json is renamed
 * into place, so it is whole or old.
 */
export function recordFinishedRun(runsDir: string, summary: RunSummary): void {
  appendLine(join(runsDir, HISTORY_FILE), `${JSON.stringify(historyEntryOf(summary))}\n`);
  const lastRun: LastRun = { schema_version: ARTIFACT_SCHEMA_VERSION, run_id: summary.run_id, path: summary.run_id, summary };
  writeFileAtomic(join(runsDir, LAST_RUN_FILE), `${JSON.stringify(lastRun, null, 2)}\n`);
}

function appendLine(path: string, line: string): void {
  const fd = openSync(path, "a+", 0o644);
  try {
    const data = Buffer.from(endsInNewline(fd) ? line : `\n${line}`);
    writeAll(fd, data, path);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function endsInNewline(fd: number): boolean {
  const size = fstatSync(fd).size;
  if (size === 0) return true;
  const last = Buffer.alloc(1);
  readSync(fd, last, 0, 1, size - 1);
  return last[0] === 0x0a;
}
