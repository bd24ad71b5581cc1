import { readFileSync } from "node:fs";

/**
 * Runs `argv` to its end and returns its exit code and peak RSS, read from its VmHWM while it
 * runs: the maxRSS a parent gets back also counts the pages of the test process the child was
 * forked from, so it grows with whatever ran before in the same test process.
 */
export async function peakRss(argv: string[], options: { cwd: string; stdoutFile?: string; env?: Record<string, string> }): Promise<{ exitCode: number; peakMb: number; stderr: string }> {
  const child = Bun.spawn(argv, { cwd: options.cwd, env: options.env, stdout: options.stdoutFile ? Bun.file(options.stdoutFile) : "ignore", stderr: "pipe" });
  let peakKb = 0;
  const poll = setInterval(() => {
    try {
      const match = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${child.pid}/status`, "utf8"));
      if (match) peakKb = Math.max(peakKb, Number(match[1]));
    } catch {
      // Gone already: the last reading stands.
    }
  }, 10);
  const [exitCode, stderr] = await Promise.all([child.exited, new Response(child.stderr).text()]);
  clearInterval(poll);
  return { exitCode, peakMb: peakKb / 1024, stderr };
}
