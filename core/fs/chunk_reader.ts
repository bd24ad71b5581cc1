const EMPTY = new Uint8Array(0);

/**
 * Pulls exact byte counts out of a stream of chunks without gathering the stream: headers are
 * read whole, data is passed on chunk by chunk (views into the source's own buffers).
 */
export class ChunkReader {
  private readonly chunks: AsyncIterator<Uint8Array>;
  private head: Uint8Array = EMPTY;
  private ended = false;

  constructor(source: AsyncIterable<Uint8Array>) {
    this.chunks = source[Symbol.asyncIterator]();
  }

  /** `n` bytes, or fewer when the stream ends first. */
  async read(n: number): Promise<Uint8Array> {
    if (this.head.length >= n || !(await this.fill())) return this.cut(n);
    if (this.head.length >= n) return this.cut(n);
    const out = new Uint8Array(n);
    let filled = 0;
    while (filled < n && (await this.fill())) {
      const part = this.cut(n - filled);
      out.set(part, filled);
      filled += part.length;
    }
    return filled === n ? out : out.subarray(0, filled);
  }

  /** The next `n` bytes as chunks; throws `short` when the stream ends first. */
  async *take(n: number, short: () => Error): AsyncGenerator<Uint8Array> {
    for (let left = n; left > 0; ) {
      if (!(await this.fill())) throw short();
      const part = this.cut(left);
      left -= part.length;
      yield part;
    }
  }

  /** Drops the next `n` bytes; throws `short` when the stream ends first. */
  async skip(n: number, short: () => Error): Promise<void> {
    for await (const _ of this.take(n, short));
  }

  /** Stops the source (a decompressor, a file read) when the rest is not needed. */
  async close(): Promise<void> {
    if (!this.ended) await this.chunks.return?.();
    this.ended = true;
  }

  private async fill(): Promise<boolean> {
    while (this.head.length === 0) {
      if (this.ended) return false;
      const next = await this.chunks.next();
      if (next.done) {
        this.ended = true;
        return false;
      }
      this.head = next.value;
    }
    return true;
  }

  private cut(n: number): Uint8Array {
    const part = this.head.length <= n ? this.head : this.head.subarray(0, n);
    this.head = this.head.length <= n ? EMPTY : this.head.subarray(n);
    return part;
  }
}
