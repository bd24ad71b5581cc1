/** Bytes of lines an output event carries at most (a single line may exceed it by its own size). */
export const BATCH_BYTES = 64 * 1024;
/** How long a line waits for company before its event goes out, so slow output still shows promptly. */
export const BATCH_DELAY_MS = 100;

/**
 * Gathers a stream's lines into batches: one event per ~64 KiB or per 100 ms instead of one per
 * line, so the run record stays close to the output's size. Lines are never split or merged.
 */
export class OutputBatcher {
  private lines: string[] = [];
  private bytes = 0;
  private firstLine = 1;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly publish: (lines: string[], firstLine: number) => void) {}

  push(line: string): void {
    this.lines.push(line);
    this.bytes += line.length + 1;
    if (this.bytes >= BATCH_BYTES) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), BATCH_DELAY_MS);
  }

  /** Publishes what is gathered; called at the stream's end so no line is held back. */
  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.lines.length === 0) return;
    const lines = this.lines;
    this.publish(lines, this.firstLine);
    this.firstLine += lines.length;
    this.lines = [];
    this.bytes = 0;
  }
}
