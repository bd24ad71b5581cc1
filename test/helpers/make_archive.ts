import { zipSync } from "fflate";

export interface FakeEntry {
  name: string;
  type?: "file" | "directory" | "symlink" | "hardlink";
  content?: string;
  /** Binary content, instead of `content`. */
  data?: Uint8Array;
  linkname?: string;
  mode?: number;
  /** The name's bytes as stored, when they are not its UTF-8 (a zip name in code page 437). */
  rawName?: Uint8Array;
  /** The size a tar header declares, when it lies about the content that follows. */
  size?: number;
  /** A zip entry stored as it is (method 0) instead of deflated. */
  stored?: boolean;
}

const TYPE_FLAGS = { file: "0", directory: "5", symlink: "2", hardlink: "1" } as const;

/** A ustar archive written byte by byte, so tests can build entries no honest tool would write. */
export function makeTar(entries: readonly FakeEntry[]): Uint8Array {
  const blocks: Uint8Array[] = [];
  for (const entry of entries) {
    const type = entry.type ?? "file";
    const data = type !== "file" ? new Uint8Array() : (entry.data ?? new TextEncoder().encode(entry.content ?? ""));
    const header = new Uint8Array(512);
    const put = (offset: number, text: string) => header.set(new TextEncoder().encode(text), offset);
    if (entry.rawName) header.set(entry.rawName, 0);
    else put(0, entry.name);
    put(100, `${(entry.mode ?? (type === "directory" ? 0o755 : 0o644)).toString(8).padStart(7, "0")}\0`);
    put(108, "0000000\0");
    put(116, "0000000\0");
    put(124, `${(entry.size ?? data.length).toString(8).padStart(11, "0")}\0`);
    put(136, "00000000000\0");
    put(156, TYPE_FLAGS[type]);
    put(157, entry.linkname ?? "");
    put(257, "ustar\0");
    put(263, "00");
    put(148, "        ");
    const sum = header.reduce((a, b) => a + b, 0);
    put(148, `${sum.toString(8).padStart(6, "0")}\0 `);
    blocks.push(header, data, new Uint8Array((512 - (data.length % 512)) % 512));
  }
  blocks.push(new Uint8Array(1024));
  return Buffer.concat(blocks);
}

/**
 * A zip archive; symlinks carry unix attributes as zip(1) writes them. A `rawName` replaces
 * the name's bytes in the local and central headers (the UTF-8 flag stays off).
 */
export function makeZip(entries: readonly FakeEntry[]): Uint8Array {
  const files: Record<string, [Uint8Array, { os: number; attrs: number; level?: 0 }]> = {};
  const raw: [Uint8Array, Uint8Array][] = [];
  for (const entry of entries) {
    if (entry.rawName) raw.push([new TextEncoder().encode(entry.name), entry.rawName]);
    const type = entry.type ?? "file";
    const kind = type === "symlink" ? 0o120000 : type === "directory" ? 0o040000 : 0o100000;
    const mode = entry.mode ?? (type === "directory" ? 0o755 : type === "symlink" ? 0o777 : 0o644);
    const content = entry.data ?? new TextEncoder().encode(type === "symlink" ? (entry.linkname ?? "") : (entry.content ?? ""));
    files[type === "directory" ? `${entry.name}/` : entry.name] = [content, { os: 3, attrs: ((kind | mode) << 16) >>> 0, ...(entry.stored ? { level: 0 as const } : {}) }];
  }
  const zip = zipSync(files);
  for (const [placeholder, bytes] of raw) {
    if (placeholder.length !== bytes.length) throw new Error("rawName must have as many bytes as name");
    for (let at = indexOf(zip, placeholder, 0); at !== -1; at = indexOf(zip, placeholder, at + 1)) zip.set(bytes, at);
  }
  return zip;
}

function indexOf(haystack: Uint8Array, needle: Uint8Array, from: number): number {
  return Buffer.from(haystack.buffer, haystack.byteOffset, haystack.byteLength).indexOf(needle, from);
}
