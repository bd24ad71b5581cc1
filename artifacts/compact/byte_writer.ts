/** A growable byte buffer written at its end: bytes, ranges of other buffers, and LEB128 varints. */
export class ByteWriter {
  bytes: Uint8Array;
  length = 0;

  constructor(capacity = 64 * 1024) {
    this.bytes = Buffer.allocUnsafe(capacity);
  }

  /** Makes room for `count` more bytes. */
  reserve(count: number): void {
    const needed = this.length + count;
    if (needed <= this.bytes.length) return;
    const grown = Buffer.allocUnsafe(Math.max(needed, this.bytes.length * 2));
    grown.set(this.bytes.subarray(0, this.length));
    this.bytes = grown;
  }

  byte(value: number): void {
    this.reserve(1);
    this.bytes[this.length++] = value;
  }

  /** `source[from, to)`, copied byte by byte when short: a native copy costs more than the bytes. */
  range(source: Uint8Array, from: number, to: number): void {
    this.reserve(to - from);
    const bytes = this.bytes;
    let at = this.length;
    if (to - from > 256) {
      bytes.set(source.subarray(from, to), at);
      at += to - from;
    } else {
      for (let i = from; i < to; i++) bytes[at++] = source[i]!;
    }
    this.length = at;
  }

  /** A non-negative integer up to 2^53 in 7-bit groups, low first. */
  varint(value: number): void {
    this.reserve(8);
    const bytes = this.bytes;
    let at = this.length;
    while (value >= 128) {
      bytes[at++] = (value % 128) | 128;
      value = Math.floor(value / 128);
    }
    bytes[at++] = value;
    this.length = at;
  }

  /** A signed integer as a varint, small magnitudes small (zigzag). */
  signed(value: number): void {
    this.varint(value >= 0 ? value * 2 : -value * 2 - 1);
  }

  /** The bytes written, without copying. */
  written(): Uint8Array {
    return this.bytes.subarray(0, this.length);
  }
}
