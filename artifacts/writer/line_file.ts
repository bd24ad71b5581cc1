import { closeSync, fstatSync, fsyncSync, ftruncateSync, openSync } from "node:fs";
import { writeAll } from "../../core/fs/write_all.ts";

/** Text kept before a write: large enough that a stream of short lines costs few system calls. */
const BUFFER_CHARS = 64 * 1024;

/**
 * An append-only text file written in buffered, synchronous chunks. Writing synchronously is the
 * backpressure: a step printing faster than the disk takes it waits, memory does not grow.
 * `flush()` hands everything appended so far to the operating system, so it survives a kill -9.
 * A flush that fails (a full disk) cuts the file back to its last whole flush, so it never ends
 * in half a line, and throws with the path named.
 */
export class LineFile {
  private readonly fd: number;
  private pending: string[] = [];
  private pendingChars = 0;
  private size: number;
  private closed = false;

  constructor(readonly path: string) {
    this.fd = openSync(path, "a", 0o644);
    this.size = fstatSync(this.fd).size;
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
    try {
      writeAll(this.fd, data, this.path);
    } catch (e) {
      try {
        ftruncateSync(this.fd, this.size);
      } catch {
        // The error that matters is the write's.
      }
      throw e;
    }
    this.size += data.length;
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
