/** The events of a `--log-format json` run, one JSON object per line of its stdout. */
export function jsonEvents(stdout: string): { type: string; step_id?: string; data: Record<string, any> }[] {
  return stdout.trimEnd().split("\n").map((line) => JSON.parse(line));
}
