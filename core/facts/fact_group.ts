import type { Probe, ProbeResult } from "./probe.ts";

/** What a fact group's `compute` gets: the platform, its probes' results (in order) and a way to warn. */
export interface GroupInput {
  /** linux, darwin or windows. */
  platform: string;
  results: readonly ProbeResult[];
  warn(message: string): void;
}

/**
 * A set of facts computed together, at most once per run and only when a config (or `mooncake
 * facts`) reads one of them. Commands are declared as probes so they can run in parallel when
 * every group is wanted; files under /proc and /sys are read in `compute`.
 */
export interface FactGroup {
  name: string;
  probes(platform: string): readonly Probe[];
  compute(input: GroupInput): unknown;
}

/** Reports a probe that should have answered and did not; a missing program is not worth a warning. */
export function warnUnlessMissing(input: GroupInput, result: ProbeResult | undefined, what: string): void {
  if (!result || result.status === "ok" || result.status === "missing") return;
  const detail = result.status === "timeout" ? "did not answer in time and was stopped" : `exited with ${result.rc ?? "a signal"}${firstLine(result.stderr)}`;
  input.warn(`${what}: ${detail}`);
}

function firstLine(text: string): string {
  const line = text.trim().split("\n")[0]?.trim();
  return line ? `: ${line}` : "";
}
