import { closeSync, fsyncSync, openSync, readSync, renameSync, rmSync, writeSync } from "node:fs";
import { tempPathBeside } from "../../core/fs/temp_path.ts";
import { namePath, writeAll } from "../../core/fs/write_all.ts";
import { decodeJsonl, encodeJsonl } from "./jsonl_codec.ts";

/** A compacted file sits beside where its original was, under this suffix: `events.jsonl.mcz`. */
export const COMPACT_SUFFIX = ".mcz";

/** Version 1: one zstd body for the whole file (read, never written any more). */
const MAGIC_V1 = "MCZ1\n";
/** Version 2: a fixed-size header, then frames of at most FRAME_BYTES of the original each. */
const MAGIC = "MCZ2\n";
const HEADER_BYTES = 512;
/** A frame: its compressed length (u32 LE), its codec (u8), then the zstd bytes. */
const FRAME_HEAD_BYTES = 5;
/**
 * Original bytes per frame, cut at a line end: what bounds memory (each frame is encoded, and
 * proven, on its own) while giving the dictionary codec enough lines to find its columns.
 */
const FRAME_BYTES = 4 * 1024 * 1024;
const FRAME_CODECS = ["raw", "jsonl-dict"] as const;

export interface CompactedHeader {
  /** `frames` (version 2, each frame naming its codec); version 1: `jsonl-dict` or `raw`. */
  codec: "frames" | "jsonl-dict" | "raw";
  compressor: "zstd";
  original_size: number;
  original_sha256: string;
}

export interface CompactOptions {
  jsonl: boolean;
  dictThreshold: number;
  level?: number;
}

export function sha256Hex(data: Uint8Array | string): string {
  return new Bun.CryptoHasher("sha256").update(data).digest("hex");
}

/**
 * Compacts the file at `source` frame by frame, handing the container's bytes to `write` as it
 * goes (the header last, for offset 0). Every frame is proven before it is handed over: it is
 * expanded again and compared with the original bytes, and a frame the dictionary codec cannot
 * round-trip is stored by the compressor alone, so a codec bug can never lose data. Memory is
 * bounded by the frame size, whatever the file's.
 */
export function compactFile(source: string, write: (bytes: Uint8Array, position?: number) => void, options: CompactOptions): CompactedHeader {
  write(new Uint8Array(HEADER_BYTES));
  const hasher = new Bun.CryptoHasher("sha256");
  let size = 0;
  for (const chunk of readFrames(source)) {
    hasher.update(chunk);
    size += chunk.length;
    for (const part of encodeFrame(chunk, options)) write(part);
    releaseFrame();
  }
  const header: CompactedHeader = { codec: "frames", compressor: "zstd", original_size: size, original_sha256: hasher.digest("hex") };
  write(headerBytes(header), 0);
  return header;
}

/** `compactBytes` for bytes in memory (tests, small files): the same container `compactFile` writes. */
export function compactBytes(original: Uint8Array, options: CompactOptions): { bytes: Uint8Array; header: CompactedHeader } {
  const parts: Uint8Array[] = [new Uint8Array(HEADER_BYTES)];
  for (let offset = 0; offset < original.length;) {
    const end = offset + FRAME_BYTES >= original.length ? original.length : offset + lineCut(original.subarray(offset, offset + FRAME_BYTES));
    parts.push(...encodeFrame(original.subarray(offset, end), options));
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

/** Writes the original bytes of the compacted file `source` to `target` (temporary file, fsync, rename), a frame at a time. */
export function expandToFile(source: string, target: string): void {
  const temporary = tempPathBeside(target);
  try {
    const fd = openSync(temporary, "wx", 0o644);
    try {
      for (const bytes of expandFile(source)) writeAll(fd, bytes, target);
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
export function readCompactedHeader(bytes: Uint8Array): { header: CompactedHeader; bodyOffset: number } | undefined {
  const magic = new TextDecoder().decode(bytes.subarray(0, MAGIC.length));
  if (magic !== MAGIC && magic !== MAGIC_V1) return undefined;
  const end = bytes.indexOf(10, MAGIC.length);
  if (end < 0) return undefined;
  try {
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(MAGIC.length, end))) as CompactedHeader;
    return { header, bodyOffset: end + 1 };
  } catch {
    return undefined;
  }
}

/** The original bytes of a compacted file held in memory; throws when it is damaged or they fail their checksum. */
export function expandBytes(bytes: Uint8Array): Uint8Array {
  const read = readCompactedHeader(bytes);
  if (!read) throw new Error("not a compacted file (bad header)");
  const parts: Uint8Array[] = [];
  if (read.header.codec === "frames") {
    for (let offset = HEADER_BYTES; offset < bytes.length;) {
      const { codec, length } = frameHead(bytes.subarray(offset, offset + FRAME_HEAD_BYTES));
      offset += FRAME_HEAD_BYTES;
      parts.push(decodeFrame(codec, bytes.subarray(offset, offset + length)));
      offset += length;
    }
  } else {
    parts.push(decodeFrame(read.header.codec, bytes.subarray(read.bodyOffset)));
  }
  const original = parts.length === 1 ? parts[0]! : Buffer.concat(parts);
  checkOriginal(read.header, original.length, sha256Hex(original));
  return original;
}

/**
 * The original bytes of the compacted file at `path`, one frame at a time: memory stays bounded
 * whatever the file's size. Throws after the last frame when the whole fails its size or checksum.
 */
export function* expandFile(path: string): Generator<Uint8Array, CompactedHeader> {
  const fd = openSync(path, "r");
  try {
    const head = readExactly(fd, HEADER_BYTES, 0, true);
    const read = readCompactedHeader(head);
    if (!read) throw new Error(`"${path}" is not a compacted file (bad header)`);
    if (read.header.codec !== "frames") {
      // Version 1 has a single body: it is expanded in memory, as it was written.
      yield expandBytes(readAll(fd));
      return read.header;
    }
    const hasher = new Bun.CryptoHasher("sha256");
    let size = 0;
    for (let position = HEADER_BYTES; ;) {
      const head5 = readExactly(fd, FRAME_HEAD_BYTES, position, true);
      if (head5.length === 0) break;
      if (head5.length < FRAME_HEAD_BYTES) throw new Error(`"${path}" is truncated`);
      const { codec, length } = frameHead(head5);
      const compressed = readExactly(fd, length, position + FRAME_HEAD_BYTES, false, path);
      position += FRAME_HEAD_BYTES + length;
      const bytes = decodeFrame(codec, compressed);
      hasher.update(bytes);
      size += bytes.length;
      yield bytes;
      releaseFrame();
    }
    checkOriginal(read.header, size, hasher.digest("hex"));
    return read.header;
  } finally {
    closeSync(fd);
  }
}

/** The chunks of a file, each at most FRAME_BYTES and ending at a line end where the file has one. */
function* readFrames(path: string): Generator<Uint8Array> {
  const fd = openSync(path, "r");
  try {
    let carry: Uint8Array = new Uint8Array(0);
    for (;;) {
      const buffer = Buffer.allocUnsafe(FRAME_BYTES);
      buffer.set(carry);
      let filled = carry.length;
      for (let n = 1; filled < FRAME_BYTES && n > 0; filled += n) n = readSync(fd, buffer, filled, FRAME_BYTES - filled, null);
      if (filled < FRAME_BYTES) {
        if (filled > 0) yield buffer.subarray(0, filled);
        return;
      }
      const end = lineCut(buffer);
      yield buffer.subarray(0, end);
      carry = Uint8Array.prototype.slice.call(buffer, end);
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

/** One frame's bytes: its head and its compressed payload, proven to expand to `chunk`. */
function encodeFrame(chunk: Uint8Array, options: CompactOptions): Uint8Array[] {
  const level = options.level ?? 9;
  if (options.jsonl) {
    const text = utf8(chunk);
    if (text !== undefined) {
      const compressed = Bun.zstdCompressSync(Buffer.from(encodeJsonl(text, options.dictThreshold)), { level });
      if (Buffer.from(decodeFrame("jsonl-dict", compressed)).equals(chunk)) return [head(compressed.length, "jsonl-dict"), compressed];
    }
  }
  const compressed = Bun.zstdCompressSync(chunk, { level });
  if (!Buffer.from(decodeFrame("raw", compressed)).equals(chunk)) throw new Error("compressed data does not expand to the original");
  return [head(compressed.length, "raw"), compressed];
}

function decodeFrame(codec: string, compressed: Uint8Array): Uint8Array {
  const payload = Bun.zstdDecompressSync(compressed);
  if (codec === "raw") return payload;
  if (codec === "jsonl-dict") return Buffer.from(decodeJsonl(utf8(payload) ?? ""));
  throw new Error(`unknown frame codec "${codec}"`);
}

/**
 * Collects a frame's garbage (its text, columns and buffers) before the next: left to itself the
 * collector lets it pile up, and peak memory grows with the file (measured: 470 MB for 100 MB).
 */
function releaseFrame(): void {
  Bun.gc(true);
}

function head(length: number, codec: (typeof FRAME_CODECS)[number]): Uint8Array {
  const bytes = Buffer.alloc(FRAME_HEAD_BYTES);
  bytes.writeUInt32LE(length, 0);
  bytes[4] = FRAME_CODECS.indexOf(codec);
  return bytes;
}

function frameHead(bytes: Uint8Array): { codec: string; length: number } {
  if (bytes.length < FRAME_HEAD_BYTES) throw new Error("the compacted file is truncated");
  const codec = FRAME_CODECS[bytes[4]!];
  if (!codec) throw new Error(`unknown frame codec ${bytes[4]}`);
  return { codec, length: Buffer.from(bytes.buffer, bytes.byteOffset, FRAME_HEAD_BYTES).readUInt32LE(0) };
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
