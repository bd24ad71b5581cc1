import type { CapturedOutput } from "../events/event.ts";

export interface CaptureLimits {
  maxBytes: number;
  maxLines: number;
}

export const DEFAULT_CAPTURE_LIMITS: CaptureLimits = { maxBytes: 1024 * 1024, maxLines: 1000 };

/**
 * Keeps a stream within its limits as it arrives: the first half of the budget as the head, the
 * latest lines that fit the rest as the tail, and exact counts of what was dropped between them.
 * Memory stays bounded by the limits whatever the stream's size.
 */
export class OutputCapture {
  private readonly head: string[] = [];
  private headBytes = 0;
  private headOpen = true;
  private tail: string[] = [];
  private tailStart = 0;
  private tailBytes = 0;
  private totalBytes = 0;
  private totalLines = 0;
  private droppedBytes = 0;
  private droppedLines = 0;

  constructor(private readonly limits: CaptureLimits = DEFAULT_CAPTURE_LIMITS) {}

  /** One line, without its newline. */
  push(line: string): void {
    const bytes = Buffer.byteLength(line) + 1;
    this.totalBytes += bytes;
    this.totalLines += 1;
    if (this.headOpen) {
      if (this.headBytes + bytes <= this.limits.maxBytes / 2 && this.head.length < Math.ceil(this.limits.maxLines / 2)) {
        this.head.push(line);
        this.headBytes += bytes;
        return;
      }
      this.headOpen = false;
    }
    this.pushTail(line, bytes);
  }

  result(): CapturedOutput {
    const tail = this.tail.slice(this.tailStart);
    const truncated = this.droppedLines > 0;
    const marker = truncated ? [`[... ${this.droppedBytes} bytes, ${this.droppedLines} lines dropped ...]`] : [];
    const lines = [...this.head, ...marker, ...tail];
    return {
      text: lines.length ? `${lines.join("\n")}\n` : "",
      truncated,
      original_bytes: this.totalBytes,
      original_lines: this.totalLines,
      kept_head_bytes: this.headBytes,
      kept_tail_bytes: this.tailBytes,
      dropped_bytes: this.droppedBytes,
      dropped_lines: this.droppedLines,
    };
  }

  private pushTail(line: string, bytes: number): void {
    const byteBudget = this.limits.maxBytes - this.headBytes;
    const lineBudget = this.limits.maxLines - this.head.length;
    if (bytes > byteBudget || lineBudget <= 0) {
      this.droppedBytes += bytes;
      this.droppedLines += 1;
      return;
    }
    this.tail.push(line);
    this.tailBytes += bytes;
    while (this.tailBytes > byteBudget || this.tail.length - this.tailStart > lineBudget) {
      const evicted = this.tail[this.tailStart]!;
      // Let go of it now: up to 1024 evicted long lines would otherwise stay until compaction.
      this.tail[this.tailStart++] = "";
      const evictedBytes = Buffer.byteLength(evicted) + 1;
      this.tailBytes -= evictedBytes;
      this.droppedBytes += evictedBytes;
      this.droppedLines += 1;
    }
    // Compact now and then so the evicted prefix does not hold memory.
    if (this.tailStart > 1024 && this.tailStart * 2 > this.tail.length) {
      this.tail = this.tail.slice(this.tailStart);
      this.tailStart = 0;
    }
  }
}
