import { open } from "node:fs/promises";

const CHUNK_BYTES = 1 << 20;

/**
 * The bytes of a file in chunks of up to 1 MiB, so a large file never sits in memory (and the
 * run can still be interrupted between chunks). The buffer is reused: a caller that keeps a
 * chunk past its turn must copy it.
 */
export async function* readChunks(path: string): AsyncGenerator<Uint8Array> {
  const file = await open(path, "r");
  try {
    const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
    for (let n = (await file.read(buffer, 0, CHUNK_BYTES, null)).bytesRead; n > 0; n = (await file.read(buffer, 0, CHUNK_BYTES, null)).bytesRead) {
      yield buffer.subarray(0, n);
    }
  } finally {
    await file.close();
  }
}
