import { FFIType } from "bun:ffi";
import { writeSync } from "node:fs";
import { openLibc } from "./libc.ts";

let isatty: ((fd: number) => boolean) | undefined;

/** Whether `fd` is a terminal, asked of the C library: node:tty would load Node's stream machinery to answer. */
export function isTerminal(fd: number): boolean {
  isatty ??= libcIsatty() ?? (require("node:tty") as typeof import("node:tty")).isatty;
  return isatty(fd);
}

function libcIsatty(): ((fd: number) => boolean) | undefined {
  const libc = openLibc({ isatty: { args: [FFIType.i32], returns: FFIType.i32 } });
  return libc && ((fd) => libc.isatty(fd) === 1);
}

const PAUSE = new Int32Array(new SharedArrayBuffer(4));

/**
 * A standard stream written with write(2), complete and in order. Bun's process.stdout and
 * process.stderr load Node's stream machinery when first touched, a large part of the start of
 * a short command (and they leave the file non-blocking). A reader that closed the pipe (EPIPE)
 * is reported to the "error" listeners, as a stream reports it, and later output is dropped.
 */
export class SyncWriter {
  private readonly errorListeners: ((error: NodeJS.ErrnoException) => void)[] = [];
  private closed = false;
  private terminal: boolean | undefined;

  constructor(readonly fd: number) {}

  get isTTY(): boolean {
    return (this.terminal ??= isTerminal(this.fd));
  }

  write(chunk: string | Uint8Array, callback?: (error?: Error | null) => void): boolean {
    if (!this.closed) this.writeAll(typeof chunk === "string" ? Buffer.from(chunk) : chunk);
    callback?.(null);
    return true;
  }

  on(event: string, listener: (error: NodeJS.ErrnoException) => void): this {
    if (event === "error") this.errorListeners.push(listener);
    return this;
  }

  private writeAll(bytes: Uint8Array): void {
    let rest = bytes;
    while (rest.length > 0) {
      try {
        rest = rest.subarray(writeSync(this.fd, rest));
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        // Another program made the shared file non-blocking: wait for the reader to make room.
        if (code === "EAGAIN") Atomics.wait(PAUSE, 0, 0, 1);
        else if (code === "EPIPE") return this.close(error as NodeJS.ErrnoException);
        else throw error;
      }
    }
  }

  private close(error: NodeJS.ErrnoException): void {
    this.closed = true;
    for (const listener of this.errorListeners) listener(error);
  }
}
