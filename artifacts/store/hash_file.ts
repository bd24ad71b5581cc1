import { openSync, readSync, closeSync } from "node:fs";

/** The sha256 of a file, read in chunks of `bufferSize` bytes so a large file never sits whole in memory. */
export function hashFile(path: string, bufferSize = 128 * 1024): string {
  const hasher = new Bun.CryptoHasher("sha256");
  const buffer = Buffer.allocUnsafe(bufferSize);
  const fd = openSync(path, "r");
  try {
    for (let n = readSync(fd, buffer, 0, bufferSize, null); n > 0; n = readSync(fd, buffer, 0, bufferSize, null)) {
      hasher.update(n === bufferSize ? buffer : buffer.subarray(0, n));
    }
  } finally {
    closeSync(fd);
  }
  return hasher.digest("hex");
}
