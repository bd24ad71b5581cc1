import { linkSync, readFileSync, renameSync, rmSync } from "node:fs";
import { join } from "node:path";
import { tempPathBeside } from "../../core/fs/temp_path.ts";
import { writeFileAtomic } from "../../core/fs/write_file_atomic.ts";
import { processAlive } from "./process_alive.ts";
import { StoreError } from "./store_error.ts";

interface LockHolder {
  pid: number;
  command: string;
  started_at: string;
}

/**
 * Takes the store's one lock (`<root>/.store.lock`, created exclusively) for a command that
 * rewrites the store; returns its release. A lock whose process is gone is taken over; a live
 * holder is waited for up to `waitMs`, then this fails with its pid. The lock is written whole
 * under a temporary name and linked into place, so no one ever finds it empty (a full disk
 * fails before it exists).
 */
export function acquireStoreLock(root: string, command: string, waitMs = 0): () => void {
  const path = join(root, ".store.lock");
  const deadline = Date.now() + waitMs;
  for (let attempt = 0; attempt < 3; attempt++) {
    if (createLock(path, { pid: process.pid, command, started_at: new Date().toISOString() })) return () => rmSync(path, { force: true });
    const holder = readHolder(path);
    if (holder && processAlive(holder.pid)) {
      if (Date.now() < deadline) {
        Bun.sleepSync(100);
        attempt--;
        continue;
      }
      throw new StoreError(`Store "${root}" is locked by pid ${holder.pid} (mooncake artifacts ${holder.command}, since ${holder.started_at}); try again when it ends`);
    }
    if (!holder && attempt === 0) {
      // Perhaps written this instant by another process: look once more before calling it stale.
      Bun.sleepSync(50);
      continue;
    }
    // The holder died (kill -9): move its lock aside rather than delete it, so that of two
    // processes taking it over at once only one succeeds.
    try {
      renameSync(path, `${path}.stale.${process.pid}`);
      rmSync(`${path}.stale.${process.pid}`, { force: true });
    } catch {
      // Another process took it over first; the next attempt sees its lock.
    }
  }
  throw new StoreError(`Cannot lock store "${root}": ${path} keeps reappearing`);
}

/** Creates the lock holding `holder`; false when one exists. */
function createLock(path: string, holder: LockHolder): boolean {
  const temporary = tempPathBeside(path);
  try {
    writeFileAtomic(temporary, `${JSON.stringify(holder)}\n`);
    linkSync(temporary, path);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw e;
  } finally {
    rmSync(temporary, { force: true });
  }
}

function readHolder(path: string): LockHolder | undefined {
  try {
    const holder = JSON.parse(readFileSync(path, "utf8")) as LockHolder;
    return typeof holder.pid === "number" ? holder : undefined;
  } catch {
    return undefined;
  }
}
