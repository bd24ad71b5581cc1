import { closeSync, openSync, readFileSync, renameSync, rmSync, writeSync } from "node:fs";
import { join } from "node:path";
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
 * holder is waited for up to `waitMs`, then this fails with its pid.
 */
export function acquireStoreLock(root: string, command: string, waitMs = 0): () => void {
  const path = join(root, ".store.lock");
  const deadline = Date.now() + waitMs;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(path, "wx", 0o644);
      const holder: LockHolder = { pid: process.pid, command, started_at: new Date().toISOString() };
      writeSync(fd, `${JSON.stringify(holder)}\n`);
      closeSync(fd);
      return () => rmSync(path, { force: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
    }
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

function readHolder(path: string): LockHolder | undefined {
  try {
    const holder = JSON.parse(readFileSync(path, "utf8")) as LockHolder;
    return typeof holder.pid === "number" ? holder : undefined;
  } catch {
    return undefined;
  }
}
