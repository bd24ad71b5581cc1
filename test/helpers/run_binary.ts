import { join } from "node:path";

export const BINARY = join(import.meta.dir, "..", "..", "dist", "mooncake");

export interface BinaryResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs the compiled mooncake binary (built by `npm test` before the suite) and waits for it; with
 * `timeoutMs`, a binary that hangs is killed then, so the test fails instead of hanging.
 */
export function runBinary(args: readonly string[], options: { cwd?: string; env?: Record<string, string>; timeoutMs?: number } = {}): BinaryResult {
  const result = Bun.spawnSync([BINARY, ...args], {
    cwd: options.cwd,
    ...(options.timeoutMs !== undefined ? { timeout: options.timeoutMs } : {}),
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", ...options.env },
    stdout: "pipe",
    stderr: "pipe",
  });
  return { exitCode: result.exitCode ?? -1, stdout: result.stdout.toString(), stderr: result.stderr.toString() };
}

/** The same, without blocking this process: for tests that serve HTTP to the binary meanwhile. */
export async function runBinaryAsync(args: readonly string[], options: { cwd?: string; env?: Record<string, string> } = {}): Promise<BinaryResult> {
  const child = Bun.spawn([BINARY, ...args], {
    cwd: options.cwd,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", ...options.env },
    stdout: "pipe",
    stderr: "pipe",
  });
  const [stdout, stderr, exitCode] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited]);
  return { exitCode, stdout, stderr };
}
