import { EXIT } from "./config_command.ts";

/**
 * Aborts `controller` on the first SIGINT or SIGTERM, so the executor stops the step's processes
 * and finishes as interrupted, and exits at once on the second. Returns the function that stops
 * listening.
 */
export function abortOnSignals(controller: AbortController): () => void {
  const stop = () => {
    if (controller.signal.aborted) process.exit(EXIT.interrupted);
    controller.abort();
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  return () => {
    process.off("SIGINT", stop);
    process.off("SIGTERM", stop);
  };
}
