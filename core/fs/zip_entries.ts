import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import { Readable, pipeline } from "node:stream";
import { crc32, createInflateRaw, inflateRawSync } from "node:zlib";
import { ArchiveError, type ArchiveEntry } from "./archive_entries.ts";
import { decodeCp437 } from "./cp437.ts";
import { clean } from "./tar_entries.ts";

const END = 0x06054b50;
const END64 = 0x06064b50;
const END64_LOCATOR = 0x07064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
/** The central directory is read whole; the entry limit keeps it far below this. */
const MAX_CENTRAL_DIRECTORY = 256 << 20;
const MAX_LINK = 4096;
const READ_SIZE = 1 << 18;
/** Entries up to this size (declared and compressed) are inflated in one call: a stream costs a thread hop per chunk. */
const SMALL = 2 << 20;
const utf8 = new TextDecoder("utf-8", { fatal: true });

interface CentralRecord {
  name: string;
  flags: number;
  method: number;
  crc: number;
  compressedSize: number;
  size: number;
  offset: number;
  /** Unix type and permission bits, when the archive was made on unix. */
  unixMode?: number;
  dosDirectory: boolean;
}

/**
 * The entries of a zip file in central-directory order (types, modes and names live there),
 * each file's content inflated as it is read and checked against its size and CRC-32.
 * Names are UTF-8 when the entry says so (flag bit 11 or an Info-ZIP Unicode path field),
 * code page 437 otherwise, as the zip specification says. Zip64 sizes and offsets are read.
 */
export async function* zipEntries(path: string): AsyncGenerator<ArchiveEntry> {
  const fd = openSync(path, "r");
  const scratch: Scratch = { buffer: new Uint8Array(READ_SIZE) };
  try {
    const fileSize = fstatSync(fd).size;
    for (const record of centralDirectory(fd, fileSize)) {
      if (record.flags & 1) throw new ArchiveError(`entry "${record.name}" is encrypted`);
      if (record.method !== 0 && record.method !== 8) throw new ArchiveError(`entry "${record.name}" uses compression method ${record.method} (only stored and deflate are read)`);
      const local = readAt(fd, record.offset, 30);
      if (local.length < 30 || view(local).getUint32(0, true) !== LOCAL) throw new ArchiveError(`the local header of entry "${record.name}" is missing or corrupt`);
      const start = record.offset + 30 + view(local).getUint16(26, true) + view(local).getUint16(28, true);
      if (start + record.compressedSize > fileSize) throw new ArchiveError("the zip data is truncated");
      const type = entryType(record);
      const body = verified(record, inflated(record, fd, start, scratch));
      const mode = record.unixMode !== undefined && record.unixMode & 0o7777 ? record.unixMode & 0o7777 : type === "directory" ? 0o755 : 0o644;
      const name = clean(record.name);
      if (type === "symlink") {
        if (record.size > MAX_LINK) throw new ArchiveError(`entry "${record.name}" is a symbolic link of ${record.size} bytes`);
        const parts: Uint8Array[] = [];
        for await (const chunk of body) parts.push(chunk.slice());
        yield { name, type, mode, size: 0, body: empty(), linkname: linkText(Buffer.concat(parts), record.name) };
      } else {
        yield { name, type, mode, size: type === "file" ? record.size : 0, body: type === "file" ? body : empty() };
      }
    }
  } finally {
    closeSync(fd);
  }
}

function centralDirectory(fd: number, fileSize: number): CentralRecord[] {
  const tailStart = Math.max(0, fileSize - 22 - 0xffff);
  const tail = readAt(fd, tailStart, fileSize - tailStart);
  const tailView = view(tail);
  let end = -1;
  for (let i = tail.length - 22; i >= 0; i--) {
    if (tailView.getUint32(i, true) === END) {
      end = i;
      break;
    }
  }
  if (end < 0) throw new ArchiveError("the zip data is truncated or corrupt (no end of central directory)");
  let count = tailView.getUint16(end + 10, true);
  let size = tailView.getUint32(end + 12, true);
  let offset = tailView.getUint32(end + 16, true);
  if (end >= 20 && tailView.getUint32(end - 20, true) === END64_LOCATOR) {
    const end64 = readAt(fd, Number(tailView.getBigUint64(end - 12, true)), 56);
    if (end64.length < 56 || view(end64).getUint32(0, true) !== END64) throw new ArchiveError("the zip64 end of central directory is missing or corrupt");
    count = Number(view(end64).getBigUint64(32, true));
    size = Number(view(end64).getBigUint64(40, true));
    offset = Number(view(end64).getBigUint64(48, true));
  }
  if (size > MAX_CENTRAL_DIRECTORY) throw new ArchiveError(`the zip central directory is ${size} bytes (at most ${MAX_CENTRAL_DIRECTORY})`);
  if (offset + size > fileSize) throw new ArchiveError("the zip data is truncated or corrupt (the central directory lies past the end)");
  const directory = readAt(fd, offset, size);
  const records: CentralRecord[] = [];
  for (let at = 0, i = 0; i < count; i++) {
    if (at + 46 > directory.length || view(directory).getUint32(at, true) !== CENTRAL) throw new ArchiveError("the zip central directory is corrupt");
    const v = view(directory.subarray(at));
    const nameLength = v.getUint16(28, true);
    const extraLength = v.getUint16(30, true);
    const rawName = directory.subarray(at + 46, at + 46 + nameLength);
    const extra = directory.subarray(at + 46 + nameLength, at + 46 + nameLength + extraLength);
    const flags = v.getUint16(8, true);
    const attributes = v.getUint32(38, true);
    const record: CentralRecord = {
      name: entryName(rawName, flags, extra),
      flags,
      method: v.getUint16(10, true),
      crc: v.getUint32(16, true),
      compressedSize: v.getUint32(20, true),
      size: v.getUint32(24, true),
      offset: v.getUint32(42, true),
      dosDirectory: (attributes & 0x10) !== 0,
      ...(v.getUint8(5) === 3 ? { unixMode: attributes >>> 16 } : {}),
    };
    readZip64(record, extra);
    records.push(record);
    at += 46 + nameLength + extraLength + v.getUint16(32, true);
  }
  return records;
}

/** Sizes and offset that do not fit 32 bits are in the zip64 extra field, in this order. */
function readZip64(record: CentralRecord, extra: Uint8Array): void {
  const field = extraField(extra, 0x0001);
  if (!field) return;
  let at = 0;
  for (const key of ["size", "compressedSize", "offset"] as const) {
    if (record[key] !== 0xffffffff) continue;
    if (at + 8 > field.length) throw new ArchiveError(`the zip64 field of entry "${record.name}" is corrupt`);
    record[key] = Number(view(field).getBigUint64(at, true));
    at += 8;
  }
}

function entryName(raw: Uint8Array, flags: number, extra: Uint8Array): string {
  let name: string;
  if (flags & 0x800) name = utf8Name(raw, raw);
  else {
    const unicode = extraField(extra, 0x7075);
    const matches = unicode && unicode.length >= 5 && unicode[0] === 1 && view(unicode).getUint32(1, true) === crc32(raw);
    name = matches ? utf8Name(unicode.subarray(5), raw) : decodeCp437(raw);
  }
  if (name.includes("\0")) throw new ArchiveError(`an entry name holds a NUL byte (${JSON.stringify(name)})`);
  return name;
}

function utf8Name(bytes: Uint8Array, raw: Uint8Array): string {
  try {
    return utf8.decode(bytes);
  } catch {
    throw new ArchiveError(`an entry name is marked UTF-8 but is not (${JSON.stringify(decodeCp437(raw))})`);
  }
}

function linkText(bytes: Uint8Array, name: string): string {
  try {
    return utf8.decode(bytes);
  } catch {
    throw new ArchiveError(`the target of the symbolic link "${name}" is not valid UTF-8`);
  }
}

function extraField(extra: Uint8Array, id: number): Uint8Array | undefined {
  for (let at = 0; at + 4 <= extra.length; ) {
    const v = view(extra.subarray(at));
    const length = v.getUint16(2, true);
    if (v.getUint16(0, true) === id) return extra.subarray(at + 4, at + 4 + length);
    at += 4 + length;
  }
  return undefined;
}

function entryType(record: CentralRecord): ArchiveEntry["type"] {
  const kind = record.unixMode === undefined ? undefined : record.unixMode & 0o170000;
  if (record.name.endsWith("/") || kind === 0o040000 || (kind === undefined && record.dosDirectory)) return "directory";
  if (kind === 0o120000) return "symlink";
  if (kind === undefined || kind === 0 || kind === 0o100000) return "file";
  throw new ArchiveError(`entry "${record.name}" has an unsupported type (mode ${kind.toString(8)}): only files, directories and links are extracted`);
}

/** A buffer reused for reads whose bytes are used before the next read, so a large archive leaves little garbage. */
interface Scratch {
  buffer: Uint8Array;
}

async function* inflated(record: CentralRecord, fd: number, start: number, scratch: Scratch): AsyncGenerator<Uint8Array> {
  if (record.method === 0) {
    yield* chunksAt(fd, start, record.compressedSize, scratch);
    return;
  }
  if (record.size <= SMALL && record.compressedSize <= SMALL) {
    yield inflatedWhole(record, fd, start, scratch);
    return;
  }
  const inflate = createInflateRaw({ chunkSize: 1 << 18 });
  // The stream reads ahead, so its input chunks are its own.
  pipeline(Readable.from(chunksAt(fd, start, record.compressedSize)), inflate, () => {});
  try {
    yield* inflate;
  } catch (e) {
    if (String((e as NodeJS.ErrnoException).code ?? "").startsWith("Z_")) throw new ArchiveError(`entry "${record.name}" is corrupt (${(e as Error).message})`);
    throw e;
  } finally {
    inflate.destroy();
  }
}

/** A small entry inflated in one call (a stream per entry costs more than the work), still bounded by its declared size. */
function inflatedWhole(record: CentralRecord, fd: number, start: number, scratch: Scratch): Uint8Array {
  if (scratch.buffer.length < record.compressedSize) scratch.buffer = new Uint8Array(record.compressedSize);
  const compressed = readAt(fd, start, record.compressedSize, scratch.buffer);
  if (compressed.length < record.compressedSize) throw new ArchiveError("the zip data is truncated");
  try {
    return inflateRawSync(compressed, { maxOutputLength: Math.max(1, record.size + 1) });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ERR_BUFFER_TOO_LARGE") throw new ArchiveError(`entry "${record.name}" holds more than the ${record.size} bytes it declares`);
    throw new ArchiveError(`entry "${record.name}" is corrupt (${e instanceof Error ? e.message : String(e)})`);
  }
}

/** The content as inflated, refused as soon as it runs past the size the entry declares, and checked against its CRC-32. */
async function* verified(record: CentralRecord, content: AsyncGenerator<Uint8Array>): AsyncGenerator<Uint8Array> {
  let length = 0;
  let crc = 0;
  for await (const chunk of content) {
    length += chunk.length;
    if (length > record.size) throw new ArchiveError(`entry "${record.name}" holds more than the ${record.size} bytes it declares`);
    crc = crc32(chunk, crc);
    yield chunk;
  }
  if (length !== record.size || crc !== record.crc) throw new ArchiveError(`entry "${record.name}" is corrupt (its size or CRC-32 does not match)`);
}

/** `length` bytes from `start`, in pieces: views into `scratch` when given (each valid until the next), fresh buffers otherwise. */
async function* chunksAt(fd: number, start: number, length: number, scratch?: Scratch): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < length; ) {
    const size = Math.min(READ_SIZE, length - at);
    const chunk = readAt(fd, start + at, size, scratch?.buffer);
    if (chunk.length === 0) throw new ArchiveError("the zip data is truncated");
    at += chunk.length;
    yield chunk;
  }
}

/** Reads up to `length` bytes at `position`, into `into` when it is given (and large enough). */
function readAt(fd: number, position: number, length: number, into?: Uint8Array): Uint8Array {
  const buffer = into && into.length >= length ? into : new Uint8Array(length);
  let filled = 0;
  while (filled < length) {
    const n = readSync(fd, buffer, filled, length - filled, position + filled);
    if (n === 0) break;
    filled += n;
  }
  return buffer.subarray(0, filled);
}

async function* empty(): AsyncGenerator<Uint8Array> {}

function view(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
