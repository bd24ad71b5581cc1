import { existsSync, readFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { RUN_FILES } from "./run_files.ts";
import { processAlive } from "./store/process_alive.ts";

/** `<run>/run.lock`, the one name the writer creates and every reader and store command looks for. */
export function runLockPath(dir: string): string {
  return join(dir, RUN_FILES.lock);
}

/**
 * Whether a run directory's lock is held: `none` without a lock; `held` while its process lives,
 * when it was taken on another host (which cannot be probed), or when it cannot be read (to be
 * safe); `stale` when its process is gone (a run killed outright).
 */
export function runLockState(dir: string): "none" | "held" | "stale" {
  const path = runLockPath(dir);
  if (!existsSync(path)) return "none";
  try {
    const text = readFileSync(path, "utf8").trim();
    const lock = (text.startsWith("{") ? JSON.parse(text) : { pid: Number(/^\d+/.exec(text)?.[0]) }) as { pid?: unknown; hostname?: unknown };
    if (typeof lock.hostname === "string" && lock.hostname !== hostname()) return "held";
    if (typeof lock.pid !== "number" || !lock.pid) return "held";
    return processAlive(lock.pid) ? "held" : "stale";
  } catch {
    return "held";
  }
}
