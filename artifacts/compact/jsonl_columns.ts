import { ByteWriter } from "./byte_writer.ts";

/**
 * The JSONL column codec of version 3 frames, on bytes. Each line holding one JSON object is
 * split, by scanning its bytes, into a *shape* (keys, punctuation and spacing: every byte that is
 * not a value) and its leaf values (a string's contents, a number, a literal, a whole array); the
 * values are stored column by column per shape: integers and ISO timestamps as deltas, the rest
 * as length and bytes, a value equal to the one above it as a single byte. Any other line is
 * kept verbatim. So the line rebuilds exactly whatever its spacing, key order or number
 * spellings, and a general compressor finds far more repetition down columns than along rows.
 *
 * Both sides reuse their buffers from frame to frame: a fresh multi-megabyte buffer costs more
 * in page faults than the work done in it. Decoding copies bytes within one buffer (no string,
 * no object per value).
 */

const FORMAT = 1;
const TEXT = 0;
const INTEGER = 1;
const TIMESTAMP = 2;
/** Objects nested deeper than this make the line verbatim: the scan recurses. */
const MAX_DEPTH = 64;
/** Below this many bytes a loop copies faster than a native call. */
const SHORT_COPY = 24;

interface Shape {
  /** Fragment f is pool[bounds[f], bounds[f + 1]); a hole (a value) sits between fragments. */
  bounds: number[];
  firstColumn: number;
}

/** Encodes frames of JSONL bytes one after another; each payload is valid until the next call. */
export class JsonlColumnEncoder {
  private frame: Uint8Array = new Uint8Array(0);
  private readonly pool = new ByteWriter(4096);
  private shapes: Shape[] = [];
  private shapeByHash = new Map<number, number>();
  /** The shape last seen with a given count of holes: the next line's most likely shape. */
  private recentByHoles: number[] = [];
  /** Each value of the frame in line order: its [start, end) and its column. */
  private starts: Int32Array = new Int32Array(1 << 16);
  private ends: Int32Array = new Int32Array(1 << 16);
  private valueColumns: Int32Array = new Int32Array(1 << 16);
  private values = 0;
  private columnCount = 0;
  private readonly ids = new ByteWriter();
  private readonly raw = new ByteWriter();
  private readonly body = new ByteWriter(1 << 20);
  private readonly out = new ByteWriter(1 << 20);
  private lines = 0;

  encode(frame: Uint8Array): Uint8Array {
    this.reset(frame);
    const size = frame.length;
    for (let start = 0; start < size;) start = this.line(start) + 1;
    return this.payload(size > 0 && frame[size - 1] === 10);
  }

  private reset(frame: Uint8Array): void {
    this.frame = frame;
    this.pool.length = 0;
    this.shapes = [];
    this.shapeByHash = new Map();
    this.recentByHoles = [];
    this.values = 0;
    this.columnCount = 0;
    this.ids.length = 0;
    this.raw.length = 0;
    this.lines = 0;
  }

  /** Takes the line at `start`; returns the index of its newline (or the frame's end). */
  private line(start: number): number {
    const b = this.frame;
    const size = b.length;
    this.lines++;
    const first = this.values;
    let i = skipSpace(b, start, size);
    if (i < size && b[i] === 123) {
      i = this.scanObject(i, 0);
      if (i >= 0) i = skipSpace(b, i, size);
      if (i >= 0 && (i === size || b[i] === 10)) {
        const shape = this.shapeOf(start, i, first);
        this.ids.varint(shape + 1);
        const column = this.shapes[shape]!.firstColumn - first;
        for (let v = first; v < this.values; v++) this.valueColumns[v] = column + v;
        return i;
      }
    }
    this.values = first;
    let end = start;
    while (end < size && b[end] !== 10) end++;
    this.ids.byte(0);
    this.raw.varint(end - start);
    this.raw.range(b, start, end);
    return end;
  }

  /** Scans the object at `i` (a "{"), recording its values; the index after its "}", or -1. */
  private scanObject(i: number, depth: number): number {
    const b = this.frame;
    const end = b.length;
    if (depth > MAX_DEPTH) return -1;
    i = skipSpace(b, i + 1, end);
    if (i < end && b[i] === 125) return i + 1;
    for (;;) {
      if (i >= end || b[i] !== 34) return -1;
      i = endOfString(b, i, end);
      if (i < 0) return -1;
      i = skipSpace(b, i, end);
      if (i >= end || b[i] !== 58) return -1;
      i = skipSpace(b, i + 1, end);
      if (i >= end) return -1;
      const c = b[i];
      if (c === 123) {
        i = this.scanObject(i, depth + 1);
        if (i < 0) return -1;
      } else if (c === 34) {
        const after = endOfString(b, i, end);
        if (after < 0) return -1;
        this.value(i + 1, after - 1);
        i = after;
      } else {
        const after = c === 91 ? endOfArray(b, i, end) : endOfScalar(b, i, end);
        if (after <= i) return -1;
        this.value(i, after);
        i = after;
      }
      i = skipSpace(b, i, end);
      if (i >= end) return -1;
      if (b[i] === 125) return i + 1;
      if (b[i] !== 44) return -1;
      i = skipSpace(b, i + 1, end);
    }
  }

  private value(start: number, end: number): void {
    if (this.values === this.starts.length) {
      this.starts = grown(this.starts);
      this.ends = grown(this.ends);
      this.valueColumns = grown(this.valueColumns);
    }
    this.starts[this.values] = start;
    this.ends[this.values++] = end;
  }

  /** The id of the shape of the line [start, end) whose values begin at `first`, added when new. */
  private shapeOf(start: number, end: number, first: number): number {
    const holes = this.values - first;
    const recent = this.recentByHoles[holes];
    if (recent !== undefined && this.sameShape(this.shapes[recent]!, start, end, first)) return recent;
    const b = this.frame;
    let hash = 0x811c9dc5 ^ holes;
    let from = start;
    for (let h = 0; h <= holes; h++) {
      const to = h < holes ? this.starts[first + h]! : end;
      for (let i = from; i < to; i++) hash = Math.imul(hash ^ b[i]!, 0x01000193);
      hash = Math.imul(hash ^ 0x100, 0x01000193);
      if (h < holes) from = this.ends[first + h]!;
    }
    for (let key = hash; ; key = (key + 1) | 0) {
      const id = this.shapeByHash.get(key);
      if (id === undefined) {
        this.shapeByHash.set(key, this.shapes.length);
        this.recentByHoles[holes] = this.shapes.length;
        return this.addShape(start, end, first);
      }
      if (this.sameShape(this.shapes[id]!, start, end, first)) {
        this.recentByHoles[holes] = id;
        return id;
      }
    }
  }

  private sameShape(shape: Shape, start: number, end: number, first: number): boolean {
    const holes = this.values - first;
    const bounds = shape.bounds;
    if (bounds.length !== holes + 2) return false;
    const b = this.frame;
    const pool = this.pool.bytes;
    let from = start;
    for (let h = 0; h <= holes; h++) {
      const to = h < holes ? this.starts[first + h]! : end;
      let at = bounds[h]!;
      if (bounds[h + 1]! - at !== to - from) return false;
      for (let i = from; i < to; i++) if (pool[at++] !== b[i]) return false;
      if (h < holes) from = this.ends[first + h]!;
    }
    return true;
  }

  private addShape(start: number, end: number, first: number): number {
    const holes = this.values - first;
    const bounds = [this.pool.length];
    let from = start;
    for (let h = 0; h <= holes; h++) {
      const to = h < holes ? this.starts[first + h]! : end;
      this.pool.range(this.frame, from, to);
      bounds.push(this.pool.length);
      if (h < holes) from = this.ends[first + h]!;
    }
    this.shapes.push({ bounds, firstColumn: this.columnCount });
    this.columnCount += holes;
    return this.shapes.length - 1;
  }

  /**
   * The header (format, line count, whether the frame ends in a newline, the shapes, each
   * column's kind, the length of each stream) and then the streams: shape ids, verbatim lines,
   * then every column.
   */
  private payload(endsWithNewline: boolean): Uint8Array {
    const order = this.valuesByColumn();
    const body = this.body;
    body.length = 0;
    const streamLengths = [this.ids.length, this.raw.length];
    body.range(this.ids.bytes, 0, this.ids.length);
    body.range(this.raw.bytes, 0, this.raw.length);
    const kinds = new Uint8Array(this.columnCount);
    let from = 0;
    for (let c = 0; c < this.columnCount; c++) {
      const to = order.ends[c]!;
      const before = body.length;
      kinds[c] = this.writeColumn(order.values, from, to);
      streamLengths.push(body.length - before);
      from = to;
    }
    const out = this.out;
    out.length = 0;
    out.varint(FORMAT);
    out.varint(this.lines);
    out.byte(endsWithNewline ? 1 : 0);
    out.varint(this.shapes.length);
    const pool = this.pool.bytes;
    for (const { bounds } of this.shapes) {
      out.varint(bounds.length - 2);
      for (let f = 0; f + 1 < bounds.length; f++) {
        out.varint(bounds[f + 1]! - bounds[f]!);
        out.range(pool, bounds[f]!, bounds[f + 1]!);
      }
    }
    out.range(kinds, 0, kinds.length);
    for (const length of streamLengths) out.varint(length);
    out.range(body.bytes, 0, body.length);
    return out.written();
  }

  /** The values' indexes grouped by column, in line order within each (a counting sort). */
  private valuesByColumn(): { values: Int32Array; ends: Int32Array } {
    const ends = new Int32Array(this.columnCount);
    for (let v = 0; v < this.values; v++) ends[this.valueColumns[v]!]!++;
    for (let c = 1; c < this.columnCount; c++) ends[c]! += ends[c - 1]!;
    const next = new Int32Array(this.columnCount);
    for (let c = 1; c < this.columnCount; c++) next[c] = ends[c - 1]!;
    const values = new Int32Array(this.values);
    for (let v = 0; v < this.values; v++) values[next[this.valueColumns[v]!]!++] = v;
    return { values, ends };
  }

  /** Writes the column of values[from, to) to the body; returns its kind. */
  private writeColumn(values: Int32Array, from: number, to: number): number {
    const b = this.frame;
    const starts = this.starts;
    const ends = this.ends;
    const body = this.body;
    const before = body.length;
    const first = values[from]!;
    // A number column is decided by its first value and proven by the rest as they are written.
    const kind = to - from < 2 ? TEXT : !Number.isNaN(integerAt(b, starts[first]!, ends[first]!)) ? INTEGER
      : !Number.isNaN(timestampAt(b, starts[first]!, ends[first]!)) ? TIMESTAMP : TEXT;
    if (kind !== TEXT) {
      let previous = 0;
      let k = from;
      for (; k < to; k++) {
        const v = values[k]!;
        const value = kind === INTEGER ? integerAt(b, starts[v]!, ends[v]!) : timestampAt(b, starts[v]!, ends[v]!);
        if (Number.isNaN(value)) break;
        body.signed(value - previous);
        previous = value;
      }
      if (k === to) return kind;
      body.length = before;
    }
    let previousStart = -1;
    let previousEnd = -1;
    for (let k = from; k < to; k++) {
      const v = values[k]!;
      const start = starts[v]!;
      const end = ends[v]!;
      if (previousStart >= 0 && sameBytes(b, start, end, previousStart, previousEnd)) {
        body.byte(0);
        continue;
      }
      body.varint(end - start + 1);
      body.range(b, start, end);
      previousStart = start;
      previousEnd = end;
    }
    return TEXT;
  }
}

function grown(array: Int32Array): Int32Array {
  const bigger = new Int32Array(array.length * 2);
  bigger.set(array);
  return bigger;
}

function sameBytes(b: Uint8Array, start: number, end: number, otherStart: number, otherEnd: number): boolean {
  if (end - start !== otherEnd - otherStart) return false;
  for (let i = start, j = otherStart; i < end; i++, j++) if (b[i] !== b[j]) return false;
  return true;
}

function skipSpace(b: Uint8Array, i: number, end: number): number {
  while (i < end) {
    const c = b[i];
    if (c !== 32 && c !== 9 && c !== 13) break;
    i++;
  }
  return i;
}

/** `i` at a quote: the index after the closing quote, or -1 (no closing quote before the line ends). */
function endOfString(b: Uint8Array, i: number, end: number): number {
  for (i++; i < end; i++) {
    const c = b[i];
    if (c === 34) return i + 1;
    if (c === 92) i++;
    else if (c === 10) return -1;
  }
  return -1;
}

/** `i` at "[": the index after its "]" (strings inside skipped whole), or -1. */
function endOfArray(b: Uint8Array, i: number, end: number): number {
  let depth = 0;
  for (; i < end; i++) {
    const c = b[i];
    if (c === 34) {
      i = endOfString(b, i, end) - 1;
      if (i < 0) return -1;
    } else if (c === 91 || c === 123) {
      depth++;
    } else if (c === 93 || c === 125) {
      if (--depth === 0) return i + 1;
    } else if (c === 10) {
      return -1;
    }
  }
  return -1;
}

/** A number or literal: up to the next delimiter; -1 at a character no scalar holds. */
function endOfScalar(b: Uint8Array, i: number, end: number): number {
  for (; i < end; i++) {
    const c = b[i];
    if (c === 44 || c === 125 || c === 93 || c === 32 || c === 9 || c === 13 || c === 10) return i;
    if (c === 123 || c === 91 || c === 34 || c === 58) return -1;
  }
  return i;
}

/** The integer spelled canonically (`-?(0|[1-9][0-9]{0,14})`, not `-0`) at [start, end), or NaN. */
function integerAt(b: Uint8Array, start: number, end: number): number {
  const negative = b[start] === 45;
  let i = negative ? start + 1 : start;
  const digits = end - i;
  if (digits < 1 || digits > 15 || (b[i] === 48 && (digits > 1 || negative))) return NaN;
  let value = 0;
  for (; i < end; i++) {
    const d = b[i]! - 48;
    if (d < 0 || d > 9) return NaN;
    value = value * 10 + d;
  }
  return negative ? -value : value;
}

const DAY_MS = 86_400_000;

/** Milliseconds since the epoch of `YYYY-MM-DDTHH:MM:SS.mmmZ` at [start, end) (what toISOString writes), or NaN. */
function timestampAt(b: Uint8Array, start: number, end: number): number {
  if (end - start !== 24 || b[start + 4] !== 45 || b[start + 7] !== 45 || b[start + 10] !== 84 || b[start + 13] !== 58
    || b[start + 16] !== 58 || b[start + 19] !== 46 || b[start + 23] !== 90) return NaN;
  const year = digitsAt(b, start, 4);
  const month = digitsAt(b, start + 5, 2);
  const day = digitsAt(b, start + 8, 2);
  const hour = digitsAt(b, start + 11, 2);
  const minute = digitsAt(b, start + 14, 2);
  const second = digitsAt(b, start + 17, 2);
  const ms = digitsAt(b, start + 20, 3);
  if (!(month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month) && hour <= 23 && minute <= 59 && second <= 59 && ms >= 0)) return NaN;
  return daysFromCivil(year, month, day) * DAY_MS + ((hour * 60 + minute) * 60 + second) * 1000 + ms;
}

function digitsAt(b: Uint8Array, start: number, count: number): number {
  let value = 0;
  for (let i = start; i < start + count; i++) {
    const d = b[i]! - 48;
    if (d < 0 || d > 9) return NaN;
    value = value * 10 + d;
  }
  return value;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/**
 * Decodes payloads one after another into one reused buffer: the payload is copied in, then the
 * lines are rebuilt behind it by copies within the buffer. Each frame returned is valid until
 * the next call.
 */
export class JsonlColumnDecoder {
  private work = new Uint8Array(0);

  /** The `size` bytes the encoder was given; throws when the payload is malformed. */
  decode(payload: Uint8Array, size: number): Uint8Array {
    if (this.work.length < payload.length + size) this.work = new Uint8Array(Math.max(payload.length + size, this.work.length * 2));
    const work = this.work;
    work.set(payload);
    const layout = readLayout(work, payload.length);
    if (rebuild(work, layout, payload.length, size) !== size) throw new Error("the JSONL column payload does not fill its frame");
    return work.subarray(payload.length, payload.length + size);
  }
}

/** Where a payload's parts are: what `rebuild` walks. */
interface Layout {
  lines: number;
  endsWithNewline: boolean;
  /** Per shape, its fragments' [start, end), flat: fragment f at 2f and 2f + 1. */
  fragments: Int32Array[];
  firstColumns: Int32Array;
  kinds: Uint8Array;
  /** Per column, where its stream starts and ends. */
  starts: Int32Array;
  ends: Int32Array;
  idsStart: number;
  rawStart: number;
  rawEnd: number;
}

function readLayout(p: Uint8Array, length: number): Layout {
  let at = 0;
  const byte = (): number => {
    if (at >= length) throw new Error("the JSONL column payload is truncated");
    return p[at++]!;
  };
  const varint = (): number => {
    let value = 0;
    for (let shift = 1; shift < 2 ** 49; shift *= 128) {
      const b = byte();
      value += (b & 127) * shift;
      if (b < 128) return value;
    }
    throw new Error("the JSONL column payload holds a malformed number");
  };
  if (varint() !== FORMAT) throw new Error("unknown JSONL column format");
  const lines = varint();
  const endsWithNewline = byte() === 1;
  const shapeCount = varint();
  const fragments: Int32Array[] = [];
  const firstColumns = new Int32Array(shapeCount);
  let columnCount = 0;
  for (let s = 0; s < shapeCount; s++) {
    const holes = varint();
    if (holes > length) throw new Error("the JSONL column payload is truncated");
    const bounds = new Int32Array(2 * (holes + 1));
    for (let f = 0; f <= holes; f++) {
      const fragmentLength = varint();
      bounds[2 * f] = at;
      bounds[2 * f + 1] = at + fragmentLength;
      at += fragmentLength;
    }
    fragments.push(bounds);
    firstColumns[s] = columnCount;
    columnCount += holes;
  }
  if (at > length) throw new Error("the JSONL column payload is truncated");
  const kinds = new Uint8Array(columnCount);
  for (let c = 0; c < columnCount; c++) kinds[c] = byte();
  const idsLength = varint();
  const rawLength = varint();
  const lengths: number[] = [];
  for (let c = 0; c < columnCount; c++) lengths.push(varint());
  const idsStart = at;
  const rawStart = idsStart + idsLength;
  const rawEnd = rawStart + rawLength;
  const starts = new Int32Array(columnCount);
  const ends = new Int32Array(columnCount);
  let offset = rawEnd;
  for (let c = 0; c < columnCount; c++) {
    starts[c] = offset;
    offset += lengths[c]!;
    ends[c] = offset;
  }
  if (offset !== length) throw new Error("the JSONL column payload is truncated or has trailing bytes");
  return { lines, endsWithNewline, fragments, firstColumns, kinds, starts, ends, idsStart, rawStart, rawEnd };
}

/**
 * Interleaves the shapes and columns of the payload in w[0, base) back into lines written from
 * w[base]; returns the count of bytes written, or -1 when the payload runs short.
 */
function rebuild(w: Uint8Array, layout: Layout, base: number, size: number): number {
  const { lines, endsWithNewline, fragments, firstColumns, kinds, ends } = layout;
  const cursors = new Int32Array(layout.starts);
  /** Per text column, the last value written out in full: its [start, end) in w; per number column, its last value. */
  const lastStarts = new Int32Array(kinds.length);
  const lastEnds = new Int32Array(kinds.length);
  const previous = new Float64Array(kinds.length);
  const limit = base + size;
  const idsEnd = layout.rawStart;
  const rawEnd = layout.rawEnd;
  let ids = layout.idsStart;
  let raw = layout.rawStart;
  let o = base;
  for (let n = 0; n < lines; n++) {
    if (ids >= idsEnd) return -1;
    let id = w[ids++]!;
    if (id >= 128) {
      id &= 127;
      for (let shift = 7; ; shift += 7) {
        if (ids >= idsEnd || shift > 21) return -1;
        const b = w[ids++]!;
        id |= (b & 127) << shift;
        if (b < 128) break;
      }
    }
    if (id === 0) {
      let length = 0;
      for (let shift = 1; ; shift *= 128) {
        if (raw >= rawEnd || shift > 2 ** 28) return -1;
        const b = w[raw++]!;
        length += (b & 127) * shift;
        if (b < 128) break;
      }
      if (raw + length > rawEnd || o + length > limit) return -1;
      o = copy(w, raw, raw + length, o);
      raw += length;
    } else {
      const bounds = fragments[id - 1];
      if (bounds === undefined) return -1;
      const first = firstColumns[id - 1]!;
      const holes = (bounds.length >> 1) - 1;
      if (o + bounds[1]! - bounds[0]! > limit) return -1;
      o = copy(w, bounds[0]!, bounds[1]!, o);
      for (let h = 0; h < holes; h++) {
        const c = first + h;
        let at = cursors[c]!;
        const end = ends[c]!;
        const kind = kinds[c];
        let code = 0;
        for (let shift = 1; ; shift *= 128) {
          if (at >= end || shift > 2 ** 49) return -1;
          const b = w[at++]!;
          code += (b & 127) * shift;
          if (b < 128) break;
        }
        if (kind === TEXT) {
          if (code > 0) {
            lastStarts[c] = at;
            at += code - 1;
            lastEnds[c] = at;
            if (at > end) return -1;
          }
          const from = lastStarts[c]!;
          const to = lastEnds[c]!;
          if (o + to - from > limit) return -1;
          o = copy(w, from, to, o);
        } else {
          const value = previous[c]! + (code % 2 === 0 ? code / 2 : -(code + 1) / 2);
          previous[c] = value;
          if (o + 32 > limit + 32) return -1;
          o = kind === INTEGER ? writeInteger(w, o, value) : writeTimestamp(w, o, value);
        }
        cursors[c] = at;
        const from = bounds[2 * h + 2]!;
        const to = bounds[2 * h + 3]!;
        if (o + to - from > limit) return -1;
        o = copy(w, from, to, o);
      }
    }
    if (n + 1 < lines || endsWithNewline) {
      if (o >= limit) return -1;
      w[o++] = 10;
    }
  }
  return o - base;
}

/** Copies w[from, to) to w[o]; returns the index after it. */
function copy(w: Uint8Array, from: number, to: number, o: number): number {
  if (to - from < SHORT_COPY) {
    for (let i = from; i < to; i++) w[o++] = w[i]!;
    return o;
  }
  w.copyWithin(o, from, to);
  return o + to - from;
}

const digits = new Uint8Array(16);

function writeInteger(out: Uint8Array, o: number, value: number): number {
  if (value < 0) {
    out[o++] = 45;
    value = -value;
  }
  if (value < 10) {
    out[o++] = 48 + value;
    return o;
  }
  let count = 0;
  if (value < 2 ** 31) {
    let small = value | 0;
    do {
      const tenth = (small / 10) | 0;
      digits[count++] = 48 + small - tenth * 10;
      small = tenth;
    } while (small > 0);
  } else {
    do {
      digits[count++] = 48 + (value % 10);
      value = Math.floor(value / 10);
    } while (value > 0);
  }
  while (count > 0) out[o++] = digits[--count]!;
  return o;
}

/** The date part (`YYYY-MM-DDT`) of the last day written, rebuilt only when the day changes. */
const datePart = new Uint8Array(11);
let datePartDay = NaN;

function writeTimestamp(out: Uint8Array, o: number, value: number): number {
  const days = Math.floor(value / DAY_MS);
  if (days !== datePartDay) {
    writeDate(days);
    datePartDay = days;
  }
  for (let i = 0; i < 11; i++) out[o++] = datePart[i]!;
  let rest = (value - days * DAY_MS) | 0;
  const ms = rest % 1000;
  rest = (rest / 1000) | 0;
  const second = rest % 60;
  rest = (rest / 60) | 0;
  const minute = rest % 60;
  const hour = (rest / 60) | 0;
  out[o] = 48 + ((hour / 10) | 0);
  out[o + 1] = 48 + (hour % 10);
  out[o + 2] = 58;
  out[o + 3] = 48 + ((minute / 10) | 0);
  out[o + 4] = 48 + (minute % 10);
  out[o + 5] = 58;
  out[o + 6] = 48 + ((second / 10) | 0);
  out[o + 7] = 48 + (second % 10);
  out[o + 8] = 46;
  out[o + 9] = 48 + ((ms / 100) | 0);
  out[o + 10] = 48 + (((ms / 10) | 0) % 10);
  out[o + 11] = 48 + (ms % 10);
  out[o + 12] = 90;
  return o + 13;
}

/** civil_from_days, Howard Hinnant's: the date of `days` since 1970-01-01 into `datePart`. */
function writeDate(days: number): void {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  pad(datePart, 0, year, 4);
  datePart[4] = 45;
  pad(datePart, 5, month, 2);
  datePart[7] = 45;
  pad(datePart, 8, day, 2);
  datePart[10] = 84;
}

function pad(out: Uint8Array, o: number, value: number, width: number): void {
  for (let i = width - 1; i >= 0; i--) {
    out[o + i] = 48 + (value % 10);
    value = Math.floor(value / 10);
  }
}
