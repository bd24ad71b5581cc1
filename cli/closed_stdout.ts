let finishRun = false;

/**
 * A run goes on to its end when the reader of its output goes away (`mooncake run ... | head`):
 * a machine left half-provisioned is worse than output nobody reads. The run's records and exit
 * code are complete as usual.
 */
export function keepRunningWhenStdoutCloses(): void {
  finishRun = true;
}

/**
 * Standard output closed by its reader (`mooncake schema | head -1`) ends the command quietly
 * with exit 0, as it would for a tool killed by SIGPIPE, instead of an EPIPE stack trace. Later
 * output is dropped.
 */
export function handleClosedStdout(stdout: NodeJS.WriteStream): void {
  stdout.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code !== "EPIPE") throw error;
    stdout.write = () => true;
    if (!finishRun) process.exit(0);
  });
}
