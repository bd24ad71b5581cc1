import { closeSync, fsyncSync, openSync, readSync, renameSync, rmSync, writeSync } from "node:fs";
import { tempPathBeside } from "../../core/fs/temp_path.ts";
import { namePath, writeAll } from "../../core/fs/write_all.ts";
import { JsonlColumnDecoder, JsonlColumnEncoder } from "./jsonl_columns.ts";
import { decodeJsonlDict } from "./jsonl_dict_v2.ts";

/** A compacted file sits beside where its original was, under this suffix: `events.jsonl.mcz`. */
export const COMPACT_SUFFIX = ".mcz";

/** Version 1: one zstd body for the whole file (read, never written any more). */
const MAGIC_V1 = "MCZ1\n";
/** Version 2: frames whose head is their compressed length and codec; the whole checked by sha256 (read only). */
const MAGIC_V2 = "MCZ2\n";
/** Version 3: a fixed-size header, then frames of at most FRAME_BYTES of the original each. */
const MAGIC = "MCZ3\n";
const HEADER_BYTES = 512;
/** A version 2 frame: its compressed length (u32 LE), its codec (u8), then the zstd bytes. */
const FRAME_HEAD_BYTES_V2 = 5;
/**
 * A version 3 frame: its compressed length (u32 LE), its codec (u8), its original length and
 * the CRC-32 of its original bytes (u32 LE each), then the zstd bytes. The CRC lets a reader
 * refuse a damaged frame before handing out any of its bytes.
 */
const FRAME_HEAD_BYTES = 13;
/**
 * Original bytes per frame, cut at a line end: what bounds memory (each frame is encoded, and
 * proven, on its own) while giving the column codec enough lines to find its columns.
 */
const FRAME_BYTES = 4 * 1024 * 1024;
/** Frame codecs by their byte; `jsonl-dict` is version 2's, read but no longer written. */
const FRAME_CODECS = ["raw", "jsonl-dict", "jsonl-columns"] as const;
type FrameCodec = (typeof FRAME_CODECS)[number];
/** zstd's default level: on columns it compresses about as well as level 9 at several times the speed. */
const DEFAULT_LEVEL = 3;

export interface CompactedHeader {
  /** `frames` (versions 2 and 3, each frame naming its codec); version 1: `jsonl-dict` or `raw`. */
  codec: "frames" | "jsonl-dict" | "raw";
  compressor: "zstd";
  original_size: number;
  original_sha256: string;
}

export interface CompactOptions {
  /** Try the JSONL column codec on each frame (a frame it cannot round-trip is stored by zstd alone). */
  jsonl: boolean;
  level?: number;
}

export function sha256Hex(data: Uint8Array | string): string {
  return new Bun.CryptoHasher("sha256").update(data).digest("hex");
}

/**
 * Compacts the file at `source` frame by frame, handing the container's bytes to `write` as it
 * goes (the header last, for offset 0). Every frame is proven before it is handed over: it is
 * expanded again and compared with the original bytes, and a frame the column codec cannot
 * round-trip is stored by the compressor alone, so a codec bug can never lose data. Memory is
 * bounded by the frame size, whatever the file's.
 */
export function compactFile(source: string, write: (bytes: Uint8Array, position?: number) => void, options: CompactOptions): CompactedHeader {
  write(new Uint8Array(HEADER_BYTES));
  const hasher = new Bun.CryptoHasher("sha256");
  const encoder = new FrameEncoder(options);
  let size = 0;
  for (const chunk of readFrames(source)) {
    hasher.update(chunk);
    size += chunk.length;
    for (const part of encoder.encode(chunk)) write(part);
  }
  const header: CompactedHeader = { codec: "frames", compressor: "zstd", original_size: size, original_sha256: hasher.digest("hex") };
  write(headerBytes(header), 0);
  return header;
}

/** `compactFile` for bytes in memory (tests, small files): the same container. */
export function compactBytes(original: Uint8Array, options: CompactOptions): { bytes: Uint8Array; header: CompactedHeader } {
  const parts: Uint8Array[] = [new Uint8Array(HEADER_BYTES)];
  const encoder = new FrameEncoder(options);
  for (let offset = 0; offset < original.length;) {
    const end = offset + FRAME_BYTES >= original.length ? original.length : offset + lineCut(original.subarray(offset, offset + FRAME_BYTES));
    for (const part of encoder.encode(original.subarray(offset, end))) parts.push(Uint8Array.prototype.slice.call(part));
    offset = end;
  }
  const header: CompactedHeader = { codec: "frames", compressor: "zstd", original_size: original.length, original_sha256: sha256Hex(original) };
  parts[0] = headerBytes(header);
  return { bytes: Buffer.concat(parts), header };
}

/**
 * Writes the compacted form of `source` to `target` (temporary file, fsync, rename) unless
 * `keep(size)` says it is not worth it; on any failure the partial output is removed and the
 * error names `target`. Returns the compacted size.
 */
export function writeCompacted(source: string, target: string, options: CompactOptions, keep: (size: number) => boolean): number {
  const temporary = tempPathBeside(target);
  let size = 0;
  try {
    const fd = openSync(temporary, "wx", 0o644);
    try {
      compactFile(source, (bytes, position) => {
        if (position === undefined) {
          writeAll(fd, bytes, target);
          size += bytes.length;
        } else if (writeSync(fd, bytes, 0, bytes.length, position) !== bytes.length) {
          throw new Error(`Cannot write "${target}": the header was cut short`);
        }
      }, options);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    if (keep(size)) renameSync(temporary, target);
    else rmSync(temporary, { force: true });
    return size;
  } catch (e) {
    rmSync(temporary, { force: true });
    throw namePath(e, target);
  }
}

/** The size `source` would have compacted, computed without writing anything. */
export function compactedSize(source: string, options: CompactOptions): number {
  let size = 0;
  compactFile(source, (bytes, position) => {
    if (position === undefined) size += bytes.length;
  }, options);
  return size;
}

/**
 * Writes the original bytes of the compacted file `source` to `target` (temporary file, fsync,
 * rename), a frame at a time, checking the whole against the header's sha256 before the rename:
 * the caller removes the compacted file next.
 */
export function expandToFile(source: string, target: string): void {
  const temporary = tempPathBeside(target);
  try {
    const fd = openSync(temporary, "wx", 0o644);
    try {
      const hasher = new Bun.CryptoHasher("sha256");
      const frames = expandFile(source);
      let next = frames.next();
      for (; !next.done; next = frames.next()) {
        hasher.update(next.value);
        writeAll(fd, next.value, target);
      }
      if (hasher.digest("hex") !== next.value.original_sha256) throw new Error("expanded bytes do not match the recorded checksum");
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, target);
  } catch (e) {
    rmSync(temporary, { force: true });
    throw namePath(e, target);
  }
}

/** The header of a compacted file, or undefined when the bytes are not one. */
export function readCompactedHeader(bytes: Uint8Array): { header: CompactedHeader; bodyOffset: number; version: 1 | 2 | 3 } | undefined {
  const magic = new TextDecoder().decode(bytes.subarray(0, MAGIC.length));
  const version = magic === MAGIC ? 3 : magic === MAGIC_V2 ? 2 : magic === MAGIC_V1 ? 1 : undefined;
  if (version === undefined) return undefined;
  const end = bytes.indexOf(10, MAGIC.length);
  if (end < 0) return undefined;
  try {
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(MAGIC.length, end))) as CompactedHeader;
    return { header, bodyOffset: end + 1, version };
  } catch {
    return undefined;
  }
}

/** The original bytes of a compacted file held in memory; throws when it is damaged or they fail their checksum. */
export function expandBytes(bytes: Uint8Array): Uint8Array {
  const read = readCompactedHeader(bytes);
  if (!read) throw new Error("not a compacted file (bad header)");
  const parts: Uint8Array[] = [];
  if (read.version === 1) {
    parts.push(legacyFrame(read.header.codec, Bun.zstdDecompressSync(bytes.subarray(read.bodyOffset))));
  } else {
    const decoder = new FrameDecoder(read.version);
    for (let offset = HEADER_BYTES; offset < bytes.length;) {
      const head = decoder.head(bytes.subarray(offset, offset + decoder.headBytes));
      offset += decoder.headBytes;
      if (offset + head.length > bytes.length) throw new Error("the compacted file is truncated");
      parts.push(Uint8Array.prototype.slice.call(decoder.decode(head, bytes.subarray(offset, offset + head.length))));
      offset += head.length;
    }
  }
  const original = parts.length === 1 ? parts[0]! : Buffer.concat(parts);
  checkOriginal(read.header, original.length, sha256Hex(original));
  return original;
}

/**
 * The original bytes of the compacted file at `path`, one frame at a time: memory stays bounded
 * whatever the file's size. Each frame is handed out only once proven (version 3: its CRC-32;
 * version 2: the sha256 of the whole, checked after the last frame) and stays valid until the
 * next is asked for. Returns the header.
 */
export function* expandFile(path: string): Generator<Uint8Array, CompactedHeader> {
  const fd = openSync(path, "r");
  try {
    const read = readCompactedHeader(readExactly(fd, HEADER_BYTES, 0, true));
    if (!read) throw new Error(`"${path}" is not a compacted file (bad header)`);
    if (read.version === 1) {
      // Version 1 has a single body: it is expanded in memory, as it was written.
      yield expandBytes(readAll(fd));
      return read.header;
    }
    const decoder = new FrameDecoder(read.version);
    const hasher = read.version === 2 ? new Bun.CryptoHasher("sha256") : undefined;
    let size = 0;
    for (let position = HEADER_BYTES; ;) {
      const headBytes = readExactly(fd, decoder.headBytes, position, true);
      if (headBytes.length === 0) break;
      const head = decoder.head(headBytes);
      const compressed = readExactly(fd, head.length, position + decoder.headBytes, false, path);
      position += decoder.headBytes + head.length;
      const bytes = decoder.decode(head, compressed);
      hasher?.update(bytes);
      size += bytes.length;
      yield bytes;
    }
    checkOriginal(read.header, size, hasher?.digest("hex") ?? read.header.original_sha256);
    return read.header;
  } finally {
    closeSync(fd);
  }
}

/**
 * The chunks of a file, each at most FRAME_BYTES and ending at a line end where the file has one.
 * One buffer serves every chunk: each is valid until the next is asked for.
 */
function* readFrames(path: string): Generator<Uint8Array> {
  const fd = openSync(path, "r");
  try {
    const buffer = Buffer.allocUnsafe(FRAME_BYTES);
    let carried = 0;
    for (;;) {
      let filled = carried;
      for (let n = 1; filled < FRAME_BYTES && n > 0; filled += n) n = readSync(fd, buffer, filled, FRAME_BYTES - filled, null);
      if (filled < FRAME_BYTES) {
        if (filled > 0) yield buffer.subarray(0, filled);
        return;
      }
      const end = lineCut(buffer);
      yield buffer.subarray(0, end);
      buffer.copyWithin(0, end, filled);
      carried = filled - end;
    }
  } finally {
    closeSync(fd);
  }
}

/** Where a full frame ends: after its last newline, or at its end when a line is longer than a frame. */
function lineCut(bytes: Uint8Array): number {
  const newline = bytes.lastIndexOf(10);
  return newline >= 0 ? newline + 1 : bytes.length;
}

/** Compresses frames one after another, each proven to expand to its original before it is handed out. */
class FrameEncoder {
  private readonly columns = new JsonlColumnEncoder();
  private readonly check = new FrameDecoder(3);
  private readonly level: number;

  constructor(private readonly options: CompactOptions) {
    this.level = options.level ?? DEFAULT_LEVEL;
  }

  /** The frame's head and its compressed payload. */
  encode(chunk: Uint8Array): Uint8Array[] {
    const crc = Bun.hash.crc32(chunk);
    if (this.options.jsonl) {
      const compressed = Bun.zstdCompressSync(this.columns.encode(chunk), { level: this.level });
      const head = { codec: "jsonl-columns" as const, length: compressed.length, size: chunk.length, crc };
      if (this.proven(head, compressed, chunk)) return [frameHead(head), compressed];
    }
    const compressed = Bun.zstdCompressSync(chunk, { level: this.level });
    const head = { codec: "raw" as const, length: compressed.length, size: chunk.length, crc };
    if (!this.proven(head, compressed, chunk)) throw new Error("compressed data does not expand to the original");
    return [frameHead(head), compressed];
  }

  private proven(head: FrameHead, compressed: Uint8Array, chunk: Uint8Array): boolean {
    try {
      return Buffer.compare(this.check.decode(head, compressed), chunk) === 0;
    } catch {
      return false;
    }
  }
}

interface FrameHead {
  codec: FrameCodec;
  /** Compressed bytes that follow the head. */
  length: number;
  /** Version 3: the original bytes' length and CRC-32. */
  size?: number;
  crc?: number;
}

/** Reads the frames of one version (2 or 3), reusing the column decoder's buffer from frame to frame. */
class FrameDecoder {
  readonly headBytes: number;
  private readonly columns = new JsonlColumnDecoder();

  constructor(private readonly version: 2 | 3) {
    this.headBytes = version === 2 ? FRAME_HEAD_BYTES_V2 : FRAME_HEAD_BYTES;
  }

  head(bytes: Uint8Array): FrameHead {
    if (bytes.length < this.headBytes) throw new Error("the compacted file is truncated");
    const view = Buffer.from(bytes.buffer, bytes.byteOffset, this.headBytes);
    const codec = FRAME_CODECS[bytes[4]!];
    if (!codec) throw new Error(`unknown frame codec ${bytes[4]}`);
    if (this.version === 2) return { codec, length: view.readUInt32LE(0) };
    return { codec, length: view.readUInt32LE(0), size: view.readUInt32LE(5), crc: view.readUInt32LE(9) };
  }

  /** The frame's original bytes, valid until the next call; throws when they are not what its head records. */
  decode(head: FrameHead, compressed: Uint8Array): Uint8Array {
    const payload = Bun.zstdDecompressSync(compressed);
    if (this.version === 2) return legacyFrame(head.codec, payload);
    const bytes = head.codec === "raw" ? payload
      : head.codec === "jsonl-columns" ? this.columns.decode(payload, head.size!)
      : undefined;
    if (bytes === undefined) throw new Error(`frame codec "${head.codec}" is not one of version 3`);
    if (bytes.length !== head.size || Bun.hash.crc32(bytes) !== head.crc) throw new Error("a frame does not expand to the bytes it recorded (CRC-32 differs)");
    return bytes;
  }
}

/** A frame of version 1 or 2. */
function legacyFrame(codec: string, payload: Uint8Array): Uint8Array {
  if (codec === "raw") return payload;
  if (codec === "jsonl-dict") return Buffer.from(decodeJsonlDict(utf8(payload) ?? ""));
  throw new Error(`unknown frame codec "${codec}"`);
}

function frameHead(head: FrameHead): Uint8Array {
  const bytes = Buffer.alloc(FRAME_HEAD_BYTES);
  bytes.writeUInt32LE(head.length, 0);
  bytes[4] = FRAME_CODECS.indexOf(head.codec);
  bytes.writeUInt32LE(head.size!, 5);
  bytes.writeUInt32LE(head.crc!, 9);
  return bytes;
}

function headerBytes(header: CompactedHeader): Uint8Array {
  const text = `${MAGIC}${JSON.stringify(header)}`;
  return Buffer.from(`${text}${" ".repeat(HEADER_BYTES - text.length - 1)}\n`);
}

function checkOriginal(header: CompactedHeader, size: number, sha: string): void {
  if (size !== header.original_size || sha !== header.original_sha256) throw new Error("expanded bytes do not match the recorded checksum");
}

function readExactly(fd: number, length: number, position: number, allowShort: boolean, path = ""): Uint8Array {
  const buffer = Buffer.allocUnsafe(length);
  let filled = 0;
  for (let n = 1; filled < length && n > 0; filled += n) n = readSync(fd, buffer, filled, length - filled, position + filled);
  if (filled < length && !allowShort) throw new Error(`"${path}" is truncated`);
  return buffer.subarray(0, filled);
}

function readAll(fd: number): Uint8Array {
  const parts: Buffer[] = [];
  for (let position = 0; ;) {
    const chunk = readExactly(fd, 1024 * 1024, position, true);
    if (chunk.length === 0) break;
    parts.push(Buffer.from(chunk));
    position += chunk.length;
  }
  return Buffer.concat(parts);
}

function utf8(bytes: Uint8Array): string | undefined {
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return undefined;
  }
}
