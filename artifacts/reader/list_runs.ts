import { listedRuns, type ListedRun } from "./format_runs.ts";
import { readHistory, type History } from "./read_history.ts";
import { hostsWithRuns } from "../runs_location.ts";

/** What `runs list` shows: this machine's runs, and each host's that fleet runs brought home. */
export interface RunsListing {
  here: History;
  /** By host name, sorted; only hosts with a `hosts/<host>/runs/` directory. */
  hosts: Record<string, History>;
}

export function readRunsListing(root: string): RunsListing {
  return { here: readHistory({ root }), hosts: Object.fromEntries(hostsWithRuns(root).map((host) => [host, readHistory({ root, host })])) };
}

/** Every run of the listing in one list, newest start first (this machine's first on a tie). */
export function allRuns(listing: RunsListing): ListedRun[] {
  const runs = [listedRuns(listing.here), ...Object.entries(listing.hosts).map(([host, history]) => listedRuns(history, host))].flat();
  return runs.sort((a, b) => (a.entry.start_time < b.entry.start_time ? 1 : a.entry.start_time > b.entry.start_time ? -1 : 0));
}
