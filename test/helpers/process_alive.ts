import { existsSync, readFileSync } from "node:fs";

/** Whether `pid` is a live process (a zombie waiting for its parent counts as gone). */
export function processAlive(pid: number): boolean {
  const stat = `/proc/${pid}/stat`;
  if (!existsSync(stat)) return false;
  try {
    return readFileSync(stat, "utf8").replace(/^.*\) /s, "")[0] !== "Z";
  } catch {
    return false;
  }
}

/** Waits a little for `pid` to end after its killer exited; a kill reaches it within milliseconds. */
export async function endsSoon(pid: number): Promise<boolean> {
  for (let i = 0; i < 100 && processAlive(pid); i++) await Bun.sleep(20);
  return !processAlive(pid);
}
