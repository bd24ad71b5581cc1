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

/** Runs a probe and waits for it: the way a lazy fact, read while an expression evaluates, gets its value. */
export function runProbeSync(probe: Probe, options: ProbeOptions): ProbeResult {
  const spawn = spawnOptions(probe, options);
  if (!spawn) return { status: "missing" };
  const result = Bun.spawnSync({ ...spawn, timeout: options.timeoutMs });
  if (result.exitedDueToTimeout) return { status: "timeout" };
  return settle(result.exitCode, result.stdout.toString(), result.stderr.toString());
}

/** Runs a probe without blocking, so `mooncake facts` can run every probe at once. */
export async function runProbe(probe: Probe, options: ProbeOptions): Promise<ProbeResult> {
  const spawn = spawnOptions(probe, options);
  if (!spawn) return { status: "missing" };
  let timedOut = false;
  const child = Bun.spawn(spawn);
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill("SIGKILL");
  }, options.timeoutMs);
  const [stdout, stderr, rc] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited]);
  clearTimeout(timer);
  return timedOut ? { status: "timeout" } : settle(rc, stdout, stderr);
}

/** The program found on the probe's PATH, run with C locale output; undefined when it is not there. */
function spawnOptions(probe: Probe, options: ProbeOptions) {
  const program = Bun.which(probe.argv[0]!, { PATH: options.path });
  if (!program) return undefined;
  return {
    cmd: [program, ...probe.argv.slice(1)],
    env: { ...process.env, PATH: options.path, LC_ALL: "C" },
    stdin: "ignore" as const,
    stdout: "pipe" as const,
    stderr: "pipe" as const,
  };
}

function settle(rc: number | null, stdout: string, stderr: string): ProbeResult {
  return rc === 0 ? { status: "ok", stdout } : { status: "failed", rc, stdout, stderr };
}

/** The output of a probe that succeeded, or "" for any other outcome. */
export function stdoutOf(result: ProbeResult | undefined): string {
  return result?.status === "ok" ? result.stdout : "";
}
