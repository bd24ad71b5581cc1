import { unzipSync } from "fflate";

export interface ArchiveEntry {
  /** As stored, "./" and trailing "/" removed. */
  name: string;
  type: "file" | "directory" | "symlink" | "hardlink";
  /** Permission bits (0o7777). */
  mode: number;
  /** A link's target: relative to the entry's directory for a symlink, to the archive root for a hard link. */
  linkname?: string;
  /** A file's content. */
  data?: Uint8Array;
}

export type ArchiveFormat = "tar" | "tar.gz" | "zip";

/** The format from the file name: .tar, .tar.gz, .tgz, .zip; undefined for anything else. */
export function archiveFormat(path: string): ArchiveFormat | undefined {
  const lower = path.toLowerCase();
  if (lower.endsWith(".tar.gz") || lower.endsWith(".tgz")) return "tar.gz";
  if (lower.endsWith(".tar")) return "tar";
  if (lower.endsWith(".zip")) return "zip";
  return undefined;
}

/**
 * Every entry of an archive with its type and link target, read without extracting anything:
 * what is checked before a single byte is written. Throws on a truncated or corrupt archive.
 */
export function readArchiveEntries(bytes: Uint8Array, format: ArchiveFormat): ArchiveEntry[] {
  if (format === "zip") return zipEntries(bytes);
  return tarEntries(format === "tar.gz" ? gunzip(bytes) : bytes);
}

function gunzip(bytes: Uint8Array): Uint8Array {
  try {
    return Bun.gunzipSync(bytes as Uint8Array<ArrayBuffer>);
  } catch {
    throw new Error("the gzip data is truncated or corrupt");
  }
}

const BLOCK = 512;
const decoder = new TextDecoder();

function tarEntries(tar: Uint8Array): ArchiveEntry[] {
  const entries: ArchiveEntry[] = [];
  let longName: string | undefined;
  let longLink: string | undefined;
  let pax: Record<string, string> = {};
  for (let offset = 0; ; ) {
    if (offset + BLOCK > tar.length) throw new Error("the tar data is truncated");
    const header = tar.subarray(offset, offset + BLOCK);
    if (header.every((b) => b === 0)) return entries;
    if (!validChecksum(header)) throw new Error(`the tar header at byte ${offset} is corrupt`);
    const size = pax.size !== undefined ? Number(pax.size) : numeric(header.subarray(124, 136));
    const dataStart = offset + BLOCK;
    if (dataStart + size > tar.length) throw new Error("the tar data is truncated");
    const data = tar.subarray(dataStart, dataStart + size);
    offset = dataStart + Math.ceil(size / BLOCK) * BLOCK;
    const type = String.fromCharCode(header[156]!);
    if (type === "L") longName = cString(data);
    else if (type === "K") longLink = cString(data);
    else if (type === "x") pax = paxRecords(data);
    else if (type === "g") continue;
    else {
      const prefix = cString(header.subarray(345, 500));
      const stored = cString(header.subarray(0, 100));
      const name = pax.path ?? longName ?? (prefix && header[257] === 0x75 ? `${prefix}/${stored}` : stored);
      const linkname = pax.linkpath ?? longLink ?? cString(header.subarray(157, 257));
      const mode = numeric(header.subarray(100, 108)) & 0o7777;
      const kind = type === "5" ? "directory" : type === "2" ? "symlink" : type === "1" ? "hardlink" : type === "0" || type === "\0" || type === "7" ? "file" : undefined;
      if (kind === undefined) throw new Error(`entry "${name}" has an unsupported type (${JSON.stringify(type)}): only files, directories and links are extracted`);
      entries.push({ name: clean(name), type: kind, mode, ...(kind === "symlink" || kind === "hardlink" ? { linkname } : {}), ...(kind === "file" ? { data } : {}) });
      longName = longLink = undefined;
      pax = {};
    }
  }
}

function validChecksum(header: Uint8Array): boolean {
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 32 : header[i]!;
  return sum === numeric(header.subarray(148, 156));
}

/** An octal field, or GNU base-256 when the high bit is set. */
function numeric(field: Uint8Array): number {
  if (field[0]! & 0x80) return field.subarray(1).reduce((n, b) => n * 256 + b, field[0]! & 0x7f);
  const text = cString(field).trim();
  return text === "" ? 0 : Number.parseInt(text, 8);
}

function cString(bytes: Uint8Array): string {
  const end = bytes.indexOf(0);
  return decoder.decode(end === -1 ? bytes : bytes.subarray(0, end));
}

function paxRecords(data: Uint8Array): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of decoder.decode(data).split("\n")) {
    const match = /^\d+ ([^=]+)=(.*)$/s.exec(line);
    if (match) out[match[1]!] = match[2]!;
  }
  return out;
}

function clean(name: string): string {
  return name.replace(/^(\.\/)+/, "").replace(/\/+$/, "");
}

/** Entries from the central directory (types and unix modes live there), contents through fflate. */
function zipEntries(zip: Uint8Array): ArchiveEntry[] {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  let end = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 0xffff); i--) {
    if (view.getUint32(i, true) === 0x06054b50) {
      end = i;
      break;
    }
  }
  if (end < 0) throw new Error("the zip data is truncated or corrupt (no end of central directory)");
  let contents: Record<string, Uint8Array>;
  try {
    contents = unzipSync(zip);
  } catch (e) {
    throw new Error(`the zip data is corrupt (${e instanceof Error ? e.message : String(e)})`);
  }
  const count = view.getUint16(end + 10, true);
  const entries: ArchiveEntry[] = [];
  let offset = view.getUint32(end + 16, true);
  for (let i = 0; i < count; i++) {
    if (offset + 46 > zip.length || view.getUint32(offset, true) !== 0x02014b50) throw new Error("the zip central directory is corrupt");
    const unix = view.getUint8(offset + 5) === 3;
    const nameLength = view.getUint16(offset + 28, true);
    const skip = nameLength + view.getUint16(offset + 30, true) + view.getUint16(offset + 32, true);
    const attributes = view.getUint32(offset + 38, true) >>> 16;
    const stored = decoder.decode(zip.subarray(offset + 46, offset + 46 + nameLength));
    offset += 46 + skip;
    const directory = stored.endsWith("/") || (unix && (attributes & 0o170000) === 0o040000);
    const symlink = unix && (attributes & 0o170000) === 0o120000;
    const mode = unix && attributes & 0o7777 ? attributes & 0o7777 : directory ? 0o755 : 0o644;
    const data = contents[stored] ?? new Uint8Array();
    if (directory) entries.push({ name: clean(stored), type: "directory", mode });
    else if (symlink) entries.push({ name: clean(stored), type: "symlink", mode, linkname: decoder.decode(data) });
    else entries.push({ name: clean(stored), type: "file", mode, data });
  }
  return entries;
}
