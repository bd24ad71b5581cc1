import { ArchiveError, type ArchiveEntry } from "./archive_entries.ts";
import { ChunkReader } from "./chunk_reader.ts";

const BLOCK = 512;
/** Long names, long link targets and pax records are read whole: none is legitimately near this. */
const MAX_METADATA = 1 << 20;
const utf8 = new TextDecoder("utf-8", { fatal: true });
const truncated = () => new ArchiveError("the tar data is truncated");

/**
 * The entries of a tar stream (ustar, GNU long names, pax records), one at a time: a file's
 * data is handed on as it arrives, and whatever the consumer leaves unread is skipped.
 */
export async function* tarEntries(source: AsyncIterable<Uint8Array>): AsyncGenerator<ArchiveEntry> {
  const reader = new ChunkReader(source);
  try {
    let longName: string | undefined;
    let longLink: string | undefined;
    let pax: Record<string, string> = {};
    for (let offset = 0; ; ) {
      const header = await reader.read(BLOCK);
      if (header.length < BLOCK) throw truncated();
      if (header.every((b) => b === 0)) return;
      if (!validChecksum(header)) throw new ArchiveError(`the tar header at byte ${offset} is corrupt`);
      const size = pax.size !== undefined ? Number(pax.size) : numeric(header.subarray(124, 136));
      if (!Number.isSafeInteger(size) || size < 0) throw new ArchiveError(`the tar header at byte ${offset} has an invalid size`);
      const padding = (BLOCK - (size % BLOCK)) % BLOCK;
      offset += BLOCK + size + padding;
      const type = String.fromCharCode(header[156]!);
      if (type === "L" || type === "K" || type === "x" || type === "g") {
        if (size > MAX_METADATA) throw new ArchiveError(`the tar header at byte ${offset} holds ${size} bytes of metadata (at most ${MAX_METADATA})`);
        const data = await reader.read(size + padding);
        if (data.length < size + padding) throw truncated();
        if (type === "L") longName = text(data.subarray(0, size), "name");
        else if (type === "K") longLink = text(data.subarray(0, size), "link target");
        else if (type === "x") pax = paxRecords(data.subarray(0, size));
        continue;
      }
      const prefix = text(header.subarray(345, 500), "name");
      const stored = text(header.subarray(0, 100), "name");
      const name = pax.path ?? longName ?? (prefix && header[257] === 0x75 ? `${prefix}/${stored}` : stored);
      const linkname = pax.linkpath ?? longLink ?? text(header.subarray(157, 257), "link target");
      const mode = numeric(header.subarray(100, 108)) & 0o7777;
      const kind = type === "5" ? "directory" : type === "2" ? "symlink" : type === "1" ? "hardlink" : type === "0" || type === "\0" || type === "7" ? "file" : undefined;
      if (kind === undefined) throw new ArchiveError(`entry "${name}" has an unsupported type (${JSON.stringify(type)}): only files, directories and links are extracted`);
      const dataSize = kind === "file" ? size : 0;
      let consumed = 0;
      const body = async function* () {
        for await (const chunk of reader.take(dataSize, truncated)) {
          consumed += chunk.length;
          yield chunk;
        }
      };
      yield { name: clean(name), type: kind, mode, size: dataSize, body: body(), ...(kind === "symlink" || kind === "hardlink" ? { linkname } : {}) };
      await reader.skip(size - consumed + padding, truncated);
      longName = longLink = undefined;
      pax = {};
    }
  } finally {
    await reader.close();
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
  const end = field.indexOf(0);
  const digits = String.fromCharCode(...(end === -1 ? field : field.subarray(0, end))).trim();
  return digits === "" ? 0 : Number.parseInt(digits, 8);
}

/** A NUL-terminated field; names are UTF-8, and one that is not is refused rather than guessed. */
function text(bytes: Uint8Array, what: string): string {
  const end = bytes.indexOf(0);
  try {
    return utf8.decode(end === -1 ? bytes : bytes.subarray(0, end));
  } catch {
    throw new ArchiveError(`an entry's ${what} is not valid UTF-8 (${JSON.stringify(new TextDecoder().decode(end === -1 ? bytes : bytes.subarray(0, end)))})`);
  }
}

function paxRecords(data: Uint8Array): Record<string, string> {
  const out: Record<string, string> = {};
  let records: string;
  try {
    records = utf8.decode(data);
  } catch {
    throw new ArchiveError("a pax header is not valid UTF-8");
  }
  for (const line of records.split("\n")) {
    const match = /^\d+ ([^=]+)=(.*)$/s.exec(line);
    if (match) out[match[1]!] = match[2]!;
  }
  return out;
}

/** "./" in front and "/" at the end say nothing about where an entry lands. */
export function clean(name: string): string {
  return name.replace(/^(\.\/)+/, "").replace(/\/+$/, "");
}
