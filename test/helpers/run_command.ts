export interface CommandResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs a command without blocking the event loop (so a server in the same test process can
 * answer it), killing it after `timeoutMs`. Only the variables in `env` are passed.
 */
export async function runCommand(argv: string[], options: { cwd?: string; env: Record<string, string>; timeoutMs?: number }): Promise<CommandResult> {
  const child = Bun.spawn(argv, { cwd: options.cwd, env: options.env, stdin: "ignore", stdout: "pipe", stderr: "pipe" });
  const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 60_000);
  try {
    const [stdout, stderr, exitCode] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited]);
    return { exitCode, stdout, stderr };
  } finally {
    clearTimeout(timer);
  }
}
