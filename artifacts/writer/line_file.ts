import { closeSync, fsyncSync, openSync, writeSync } from "node:fs";

/** Text kept before a write: large enough that a stream of short lines costs few system calls. */
const BUFFER_CHARS = 64 * 1024;

/**
 * An append-only text file written in buffered, synchronous chunks. Writing synchronously is the
 * backpressure: a step printing faster than the disk takes it waits, memory does not grow.
 * `flush()` hands everything appended so far to the operating system, so it survives a kill -9.
 */
export class LineFile {
  private readonly fd: number;
  private pending: string[] = [];
  private pendingChars = 0;
  private closed = false;

  constructor(readonly path: string) {
    this.fd = openSync(path, "a", 0o644);
  }

  append(text: string): void {
    this.pending.push(text);
    this.pendingChars += text.length;
    if (this.pendingChars >= BUFFER_CHARS) this.flush();
  }

  flush(): void {
    if (this.pending.length === 0) return;
    const data = Buffer.from(this.pending.join(""));
    this.pending = [];
    this.pendingChars = 0;
    for (let offset = 0; offset < data.length;) offset += writeSync(this.fd, data, offset);
  }

  /** Flushes, syncs to disk and closes; again is a no-op. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      this.flush();
      fsyncSync(this.fd);
    } finally {
      closeSync(this.fd);
    }
  }
}
