import { lstatSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { RUN_ID } from "../core/exec/run_id.ts";
import { unsafeNameReason } from "../core/fleet/host_name.ts";

/**
 * A folder of mooncake run directories in an artifacts directory: `runs/` for the runs made on
 * this machine, `hosts/<host>/runs/` for the runs a fleet run brought home from each host.
 */
export interface RunsLocation {
  /** The artifacts directory (the store root). */
  root: string;
  /** The inventory name of the host the runs were made on; absent for this machine's runs. */
  host?: string;
}

export const HOSTS_DIR = "hosts";

/** `runs` or `hosts/<host>/runs`, relative to the root. */
export function runsPathOf(location: RunsLocation): string {
  return location.host === undefined ? "runs" : `${HOSTS_DIR}/${location.host}/runs`;
}

export function runsDirOf(location: RunsLocation): string {
  return join(location.root, runsPathOf(location));
}

/** The store's id of a run: its run id here, `<host>/<run id>` for a host's run (run ids of two hosts may be equal). */
export function entryIdOf(location: RunsLocation, runId: string): string {
  return location.host === undefined ? runId : `${location.host}/${runId}`;
}

/** The runs location and run id of a store path (`runs/<id>` or `hosts/<host>/runs/<id>`), else undefined. */
export function runOfPath(root: string, path: string): { location: RunsLocation; runId: string } | undefined {
  const parts = path.split("/");
  const runId = parts.at(-1)!;
  if (!RUN_ID.test(runId)) return undefined;
  if (parts.length === 2 && parts[0] === "runs") return { location: { root }, runId };
  if (parts.length === 4 && parts[0] === HOSTS_DIR && parts[2] === "runs" && !unsafeNameReason(parts[1]!)) return { location: { root, host: parts[1]! }, runId };
  return undefined;
}

/**
 * The hosts whose runs are at home, sorted: each `hosts/<host>/runs/` where both folders are real
 * directories (a link is not followed) and `<host>` is a safe host name.
 */
export function hostsWithRuns(root: string): string[] {
  const hosts = join(root, HOSTS_DIR);
  if (!isRealDirectory(hosts)) return [];
  return readdirSync(hosts).filter((name) => !unsafeNameReason(name) && isRealDirectory(join(hosts, name)) && isRealDirectory(join(hosts, name, "runs"))).sort();
}

/** The run directories of a location, sorted by id: names that are run ids, real directories only. */
export function runIdsIn(location: RunsLocation): string[] {
  const dir = runsDirOf(location);
  if (!isRealDirectory(dir) || (location.host !== undefined && !isRealDirectory(join(location.root, HOSTS_DIR, location.host)))) return [];
  return readdirSync(dir).filter((name) => RUN_ID.test(name) && isRealDirectory(join(dir, name))).sort();
}

function isRealDirectory(path: string): boolean {
  try {
    return lstatSync(path).isDirectory();
  } catch {
    return false;
  }
}
