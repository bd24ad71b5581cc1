import { runProcess, signalProcessGroup } from "../exec/run_process.ts";

/** Probe output kept: facts are a few lines; a probe that floods its output is cut off here. */
const MAX_OUTPUT_CHARS = 1024 * 1024;

/** A read-only command a fact group runs, such as `git --version`, bounded by a timeout. */
export interface Probe {
  argv: readonly string[];
}

export type ProbeResult =
  | { status: "ok"; stdout: string }
  | { status: "missing" }
  | { status: "failed"; rc: number | null; stdout: string; stderr: string }
  | { status: "timeout" };

export interface ProbeOptions {
  timeoutMs: number;
  /** The PATH the program is looked up in and runs with. */
  path: string;
}

/**
 * Runs a probe and waits for it: the way a lazy fact, read while an expression evaluates, gets its
 * value. It runs in its own process group, and whatever it started is killed when it ends.
 */
export function runProbeSync(probe: Probe, options: ProbeOptions): ProbeResult {
  const spawn = spawnOptions(probe, options);
  if (!spawn) return { status: "missing" };
  const result = Bun.spawnSync(spawn.argv, {
    env: spawn.env, stdin: "ignore", stdout: "pipe", stderr: "pipe", timeout: options.timeoutMs, detached: true,
  });
  signalProcessGroup(result.pid, "SIGKILL");
  if (result.exitedDueToTimeout) return { status: "timeout" };
  return settle(result.exitCode, result.stdout.toString(), result.stderr.toString());
}

/**
 * Runs a probe without blocking, so `mooncake facts` can run every probe at once. A timeout or
 * the probe's end stops its whole process group, so a wrapper script's children neither hold the
 * output open nor outlive it.
 */
export async function runProbe(probe: Probe, options: ProbeOptions): Promise<ProbeResult> {
  const spawn = spawnOptions(probe, options);
  if (!spawn) return { status: "missing" };
  const output = { stdout: "", stderr: "" };
  const exit = await runProcess({
    ...spawn,
    timeoutMs: options.timeoutMs,
    signal: new AbortController().signal,
    endGroup: true,
    onLine: (stream, line) => {
      if (output[stream].length < MAX_OUTPUT_CHARS) output[stream] += `${line}\n`;
    },
  });
  if (exit.timedOut) return { status: "timeout" };
  if (exit.spawnError) return { status: "failed", rc: null, stdout: "", stderr: exit.spawnError.message };
  return settle(exit.rc, output.stdout, output.stderr);
}

/** The program found on the probe's PATH, run with C locale output; undefined when it is not there. */
function spawnOptions(probe: Probe, options: ProbeOptions) {
  const program = Bun.which(probe.argv[0]!, { PATH: options.path });
  if (!program) return undefined;
  return { argv: [program, ...probe.argv.slice(1)], env: { ...process.env, PATH: options.path, LC_ALL: "C" } };
}

function settle(rc: number | null, stdout: string, stderr: string): ProbeResult {
  return rc === 0 ? { status: "ok", stdout } : { status: "failed", rc, stdout, stderr };
}

/** The output of a probe that succeeded, or "" for any other outcome. */
export function stdoutOf(result: ProbeResult | undefined): string {
  return result?.status === "ok" ? result.stdout : "";
}
