import { decodeJsonl, encodeJsonl } from "./jsonl_codec.ts";

/** A compacted file sits beside where its original was, under this suffix: `events.jsonl.mcz`. */
export const COMPACT_SUFFIX = ".mcz";

const MAGIC = "MCZ1\n";

export interface CompactedHeader {
  /** `jsonl-dict` (the dictionary codec, then the compressor) or `raw` (the compressor alone). */
  codec: "jsonl-dict" | "raw";
  compressor: "zstd";
  original_size: number;
  original_sha256: string;
}

export function sha256Hex(data: Uint8Array | string): string {
  return new Bun.CryptoHasher("sha256").update(data).digest("hex");
}

/**
 * Compacts `original` and proves the result: the container is expanded again and its bytes
 * hashed against the original's before it is returned, so a codec bug can never lose data.
 */
export function compactBytes(original: Uint8Array, options: { jsonl: boolean; dictThreshold: number; level?: number }): { bytes: Uint8Array; header: CompactedHeader } {
  const sha = sha256Hex(original);
  let codec: CompactedHeader["codec"] = "raw";
  let payload: Uint8Array = original;
  if (options.jsonl) {
    const text = utf8(original);
    if (text !== undefined) {
      payload = new TextEncoder().encode(encodeJsonl(text, options.dictThreshold));
      codec = "jsonl-dict";
    }
  }
  const header: CompactedHeader = { codec, compressor: "zstd", original_size: original.length, original_sha256: sha };
  const body = Bun.zstdCompressSync(payload, { level: options.level ?? 9 });
  const bytes = Buffer.concat([Buffer.from(`${MAGIC}${JSON.stringify(header)}\n`), body]);
  const check = expandBytes(bytes);
  if (check.length !== original.length || sha256Hex(check) !== sha) {
    if (codec === "raw") throw new Error("compressed data does not expand to the original");
    return compactBytes(original, { ...options, jsonl: false });
  }
  return { bytes, header };
}

/** The header of a compacted file, or undefined when the bytes are not one. */
export function readCompactedHeader(bytes: Uint8Array): { header: CompactedHeader; bodyOffset: number } | undefined {
  const magic = new TextDecoder().decode(bytes.subarray(0, MAGIC.length));
  if (magic !== MAGIC) return undefined;
  const end = bytes.indexOf(10, MAGIC.length);
  if (end < 0) return undefined;
  try {
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(MAGIC.length, end))) as CompactedHeader;
    return { header, bodyOffset: end + 1 };
  } catch {
    return undefined;
  }
}

/** The original bytes of a compacted file; throws when it is damaged or they fail their checksum. */
export function expandBytes(bytes: Uint8Array): Uint8Array {
  const read = readCompactedHeader(bytes);
  if (!read) throw new Error("not a compacted file (bad header)");
  const payload = Bun.zstdDecompressSync(bytes.subarray(read.bodyOffset));
  const original = read.header.codec === "jsonl-dict" ? new TextEncoder().encode(decodeJsonl(utf8(payload) ?? "")) : payload;
  if (original.length !== read.header.original_size || sha256Hex(original) !== read.header.original_sha256) {
    throw new Error("expanded bytes do not match the recorded checksum");
  }
  return original;
}

function utf8(bytes: Uint8Array): string | undefined {
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return undefined;
  }
}
