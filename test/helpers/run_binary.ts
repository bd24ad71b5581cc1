import { join } from "node:path";

export const BINARY = join(import.meta.dir, "..", "..", "dist", "mooncake");

export interface BinaryResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs the compiled mooncake binary (built by `npm test` before the suite) and waits for it; a
 * binary that hangs is killed after `timeoutMs` (a minute by default), so the test fails instead.
 */
export function runBinary(args: readonly string[], options: { cwd?: string; env?: Record<string, string>; timeoutMs?: number } = {}): BinaryResult {
  const result = Bun.spawnSync([BINARY, ...args], {
    cwd: options.cwd,
    timeout: options.timeoutMs ?? 60_000,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", ...options.env },
    stdout: "pipe",
    stderr: "pipe",
  });
  return { exitCode: result.exitCode ?? -1, stdout: result.stdout.toString(), stderr: result.stderr.toString() };
}
