import { readChunks } from "./read_chunks.ts";

/** The sha256 of a file as lowercase hex, streamed: every action that hashes or compares a file's content uses this one. */
export async function sha256File(path: string): Promise<string> {
  const hasher = new Bun.CryptoHasher("sha256");
  for await (const chunk of readChunks(path)) hasher.update(chunk);
  return hasher.digest("hex");
}

export function sha256Bytes(data: string | Uint8Array): string {
  return new Bun.CryptoHasher("sha256").update(data).digest("hex");
}
