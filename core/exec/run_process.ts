import { existsSync } from "node:fs";
import type { StepError } from "../events/event.ts";
import { setLongTimeout } from "./long_timeout.ts";

export interface ProcessRequest {
  argv: string[];
  stdin?: string;
  env: Record<string, string | undefined>;
  cwd?: string;
  timeoutMs?: number;
  signal: AbortSignal;
  /** Stop the rest of the process group once the main process exits: a probe leaves nothing behind. */
  endGroup?: boolean;
  onLine(stream: "stdout" | "stderr", line: string): void;
  /** Where a line too long to keep whole may be cut at or before `at` (so no secret is split). */
  keepWhole?(text: string, at: number): number;
}

export interface ProcessExit {
  /** The exit code; null when the process was killed by a signal or never started. */
  rc: number | null;
  timedOut: boolean;
  interrupted: boolean;
  /** Set when the process could not be started. */
  spawnError?: StepError;
  /**
   * Set when a process it started in the background still held its output a moment after it
   * exited; mooncake stopped reading instead of waiting for it.
   */
  outputLeftOpen?: boolean;
}

/** How long a process's output may stay open after it exited (a daemon it started keeps it open). */
export const OUTPUT_GRACE_MS = 1000;
/** Seconds between SIGTERM and SIGKILL when a step is stopped. */
const KILL_GRACE_MS = 1000;
/**
 * A line longer than this is passed on in pieces of at most this many characters, so a stream
 * without newlines stays bounded. A piece is cut early rather than through a secret (a secret
 * longer than this is not protected from the cut).
 */
const MAX_LINE_CHARS = 64 * 1024;

/**
 * Runs one process in its own process group, streaming its output line by line. A timeout or an
 * abort stops the whole group: SIGTERM, then SIGKILL if it is still there a second later.
 */
export async function runProcess(request: ProcessRequest): Promise<ProcessExit> {
  let child: Bun.Subprocess<"ignore", "pipe", "pipe">;
  try {
    child = Bun.spawn(request.argv, {
      cwd: request.cwd,
      env: request.env,
      // The text is handed over whole; without any the process reads /dev/null, so nothing waits on a terminal.
      stdin: (request.stdin ? Buffer.from(request.stdin) : "ignore") as "ignore",
      stdout: "pipe",
      stderr: "pipe",
      detached: true,
    });
  } catch (e) {
    return { rc: null, timedOut: false, interrupted: false, spawnError: describeSpawnError(request, e) };
  }

  let timedOut = false;
  let interrupted = false;
  const stopGroup = () => stopProcessGroup(child);
  const onAbort = () => {
    interrupted = true;
    stopGroup();
  };
  request.signal.addEventListener("abort", onAbort, { once: true });
  if (request.signal.aborted) onAbort();
  const cancelTimeout = request.timeoutMs === undefined ? undefined : setLongTimeout(() => {
    timedOut = true;
    stopGroup();
  }, request.timeoutMs);

  const readers = [child.stdout.getReader(), child.stderr.getReader()] as const;
  const reading = Promise.all([
    readLines(readers[0], (line) => request.onLine("stdout", line), request.keepWhole),
    readLines(readers[1], (line) => request.onLine("stderr", line), request.keepWhole),
  ]);
  const rc = await child.exited;
  cancelTimeout?.();
  request.signal.removeEventListener("abort", onAbort);
  if (request.endGroup) signalProcessGroup(child.pid, "SIGKILL");
  const outputClosed = await settleWithin(reading, OUTPUT_GRACE_MS);
  // Closing our end lets the run go on and end; the background process keeps running.
  if (!outputClosed) await Promise.all(readers.map((reader) => reader.cancel()));
  return { rc: child.signalCode ? null : rc, timedOut, interrupted, ...(outputClosed ? {} : { outputLeftOpen: true }) };
}

/** Waits for `work`, or `ms` at most, without keeping the process alive afterwards; true when `work` finished. */
async function settleWithin(work: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  const finished = await Promise.race([work.then(() => true), deadline]);
  clearTimeout(timer);
  return finished;
}

function stopProcessGroup(child: { pid: number }): void {
  signalProcessGroup(child.pid, "SIGTERM");
  setTimeout(() => signalProcessGroup(child.pid, "SIGKILL"), KILL_GRACE_MS).unref();
}

/** Signals every process of the group `pid` leads (a process spawned detached). */
export function signalProcessGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // The group is already gone.
  }
}

async function readLines(
  reader: { read(): Promise<{ done: boolean; value?: Uint8Array }> },
  onLine: (line: string) => void,
  keepWhole: (text: string, at: number) => number = (_text, at) => at,
): Promise<void> {
  const decoder = new TextDecoder();
  let pending = "";
  for (;;) {
    const { done, value: chunk } = await reader.read();
    if (done) break;
    pending += decoder.decode(chunk, { stream: true });
    let start = 0;
    for (let newline = pending.indexOf("\n"); newline !== -1; newline = pending.indexOf("\n", start)) {
      onLine(passLongLine(pending.slice(start, newline), true));
      start = newline + 1;
    }
    pending = passLongLine(pending.slice(start), false);
  }
  pending += decoder.decode();
  if (pending.length > 0) onLine(passLongLine(pending, true));

  /**
   * Passes on all but the last piece of a line too long to keep whole and returns that piece. An
   * unfinished line keeps a piece's worth beyond each cut, so a secret across it is seen whole.
   */
  function passLongLine(line: string, finished: boolean): string {
    let rest = line;
    while (rest.length > (finished ? MAX_LINE_CHARS : 2 * MAX_LINE_CHARS)) {
      const cut = keepWhole(rest, MAX_LINE_CHARS);
      onLine(rest.slice(0, cut));
      rest = rest.slice(cut);
    }
    return rest;
  }
}

function describeSpawnError(request: ProcessRequest, e: unknown): StepError {
  const program = request.argv[0] ?? "";
  const code = (e as { code?: string }).code;
  const text = e instanceof Error ? e.message : String(e);
  if (request.cwd !== undefined && !existsSync(request.cwd)) {
    return { kind: "validation", message: `Working directory "${request.cwd}" does not exist` };
  }
  if (code === "ENOENT") return { kind: "command_not_found", message: `Command not found: "${program}"` };
  if (code === "EACCES") {
    return { kind: "permission_denied", message: `Permission denied running "${program}"` };
  }
  return { kind: "internal", message: `Cannot start "${program}": ${text}` };
}
