import { writeSync } from "node:fs";

/** Exit code of a crash: a run that failed, not one the user can fix by editing the input. */
const CRASH_EXIT_CODE = 3;

/**
 * Prints an error nothing else handled as one `Internal error` line on stderr and returns the
 * exit code. The stack trace is for whoever debugs mooncake: it is shown with MOONCAKE_DEBUG=1.
 */
export function reportCrash(error: unknown): number {
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  const detail = process.env.MOONCAKE_DEBUG === "1" && error instanceof Error && error.stack
    ? `\n${error.stack}`
    : "\n(a bug in mooncake; run again with MOONCAKE_DEBUG=1 to see where it happened)";
  // Synchronous: the process may exit right after.
  writeSync(2, `Internal error: ${message}${detail}\n`);
  return CRASH_EXIT_CODE;
}

/** An error thrown outside any command (a timer, a stream callback) ends the process the same way. */
export function installCrashHandler(): void {
  const crash = (error: unknown) => process.exit(reportCrash(error));
  process.on("uncaughtException", crash);
  process.on("unhandledRejection", crash);
}
