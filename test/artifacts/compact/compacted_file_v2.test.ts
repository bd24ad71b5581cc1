import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expandBytes, expandFile } from "../../../artifacts/compact/compacted_file.ts";

const fixtures = join(import.meta.dir, "..", "..", "fixtures", "compact_v2");
const sha = (bytes: Uint8Array) => new Bun.CryptoHasher("sha256").update(bytes).digest("hex");

describe("version 2 files written by earlier builds", () => {
  for (const name of ["edge_cases.jsonl", "not_utf8.jsonl"]) {
    test(`${name}.mcz expands to its original byte for byte`, () => {
      const original = readFileSync(join(fixtures, name));
      expect(Buffer.concat(Array.from(expandFile(join(fixtures, `${name}.mcz`)), (frame) => Buffer.from(frame))).equals(original)).toBe(true);
      expect(Buffer.from(expandBytes(readFileSync(join(fixtures, `${name}.mcz`)))).equals(original)).toBe(true);
    });
  }

  test("a file of three dictionary-codec frames expands frame by frame to its recorded bytes", () => {
    const frames = Array.from(expandFile(join(fixtures, "three_frames.jsonl.mcz")), (frame) => Buffer.from(frame));
    expect(frames.length).toBe(3);
    const whole = Buffer.concat(frames);
    expect(whole.length).toBe(9_000_154);
    expect(sha(whole)).toBe("2b209cc50d53d1242134efb004cfeebfc8809d0d6b0061fadddc3c1dc367d50e");
  });
});
