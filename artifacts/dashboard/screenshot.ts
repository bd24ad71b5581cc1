import { closeSync, openSync, readSync, statSync } from "node:fs";

/** Screenshots up to this size are embedded in the page as thumbnails; larger ones are links. */
export const MAX_EMBEDDED_SCREENSHOT = 256 * 1024;

const TYPES: readonly { magic: number[]; type: string }[] = [
  { magic: [0x89, 0x50, 0x4e, 0x47], type: "image/png" },
  { magic: [0xff, 0xd8, 0xff], type: "image/jpeg" },
  { magic: [0x47, 0x49, 0x46, 0x38], type: "image/gif" },
];

/** A `data:` URI of the image at `path` when it is a PNG, JPEG or GIF small enough to embed, else null. */
export function embeddedImage(path: string): string | null {
  let fd: number;
  try {
    const stat = statSync(path);
    if (!stat.isFile() || stat.size > MAX_EMBEDDED_SCREENSHOT) return null;
    fd = openSync(path, "r");
  } catch {
    return null;
  }
  try {
    const bytes = Buffer.alloc(MAX_EMBEDDED_SCREENSHOT);
    const length = readSync(fd, bytes, 0, bytes.length, 0);
    const head = bytes.subarray(0, length);
    const type = TYPES.find((t) => t.magic.every((byte, i) => head[i] === byte))?.type;
    return type ? `data:${type};base64,${head.toString("base64")}` : null;
  } finally {
    closeSync(fd);
  }
}
