import { afterEach, describe, expect, test } from "bun:test";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { compactBytes, expandBytes, expandFile, expandToFile, writeCompacted } from "../../../artifacts/compact/compacted_file.ts";
import { tempDir } from "../../helpers/temp_dir.ts";

let tmp: ReturnType<typeof tempDir>;
afterEach(() => tmp.remove());

const options = { jsonl: true };
const sha = (bytes: Uint8Array) => new Bun.CryptoHasher("sha256").update(bytes).digest("hex");

/** JSONL of about `megabytes`, some lines not objects, one line longer than a frame when `longLine`. */
function events(megabytes: number, longLine = false): Buffer {
  const lines: string[] = [];
  let size = 0;
  for (let i = 0; size < megabytes * 1e6; i++) {
    const line = i % 997 === 5 ? `not json ${i}` : JSON.stringify({ schema_version: 1, type: "step.stdout", seq: i, step_id: `step-${i % 40}`, data: { line: `Setting up package ${i % 13} (${i})` } });
    lines.push(line);
    size += line.length + 1;
  }
  if (longLine) lines.splice(100, 0, JSON.stringify({ data: { line: "x".repeat(9 * 1024 * 1024) } }));
  return Buffer.from(`${lines.join("\n")}\n`);
}

describe("the streaming container", () => {
  test("a file of several frames, with a line longer than a frame, round-trips byte for byte from disk", () => {
    tmp = tempDir();
    const original = events(10, true);
    writeFileSync(tmp.path("events.jsonl"), original);
    const size = writeCompacted(tmp.path("events.jsonl"), tmp.path("events.jsonl.mcz"), options, () => true);
    expect(size).toBe(readFileSync(tmp.path("events.jsonl.mcz")).length);
    expect(size * 10).toBeLessThan(original.length);
    // Each frame is valid until the next is asked for: keep copies.
    const frames = Array.from(expandFile(tmp.path("events.jsonl.mcz")), (frame) => Buffer.from(frame));
    expect(frames.length).toBeGreaterThan(3);
    expect(sha(Buffer.concat(frames))).toBe(sha(original));
    expect(sha(expandBytes(readFileSync(tmp.path("events.jsonl.mcz"))))).toBe(sha(original));
    expandToFile(tmp.path("events.jsonl.mcz"), tmp.path("back.jsonl"));
    expect(sha(readFileSync(tmp.path("back.jsonl")))).toBe(sha(original));
    expect(readdirSync(tmp.dir).sort()).toEqual(["back.jsonl", "events.jsonl", "events.jsonl.mcz"]);
  }, 120_000);

  test("not worth keeping leaves no output; a cut or damaged file is an error, never wrong bytes", () => {
    tmp = tempDir({ "a.jsonl": events(1) });
    writeCompacted(tmp.path("a.jsonl"), tmp.path("a.jsonl.mcz"), options, () => false);
    expect(readdirSync(tmp.dir)).toEqual(["a.jsonl"]);
    const { bytes } = compactBytes(readFileSync(tmp.path("a.jsonl")), options);
    writeFileSync(tmp.path("cut.mcz"), bytes.subarray(0, bytes.length - 10));
    expect(() => [...expandFile(tmp.path("cut.mcz"))]).toThrow("truncated");
    const flipped = Buffer.from(bytes);
    flipped[flipped.length - 20] = flipped[flipped.length - 20]! ^ 0xff;
    writeFileSync(tmp.path("flipped.mcz"), flipped);
    expect(() => [...expandFile(tmp.path("flipped.mcz"))]).toThrow();
  });

  test("a version 1 file (one zstd body) still expands", () => {
    tmp = tempDir();
    const original = Buffer.from('{"a":1}\n{"a":2}\n');
    const header = { codec: "raw", compressor: "zstd", original_size: original.length, original_sha256: sha(original) };
    const v1 = Buffer.concat([Buffer.from(`MCZ1\n${JSON.stringify(header)}\n`), Bun.zstdCompressSync(original)]);
    writeFileSync(tmp.path("old.mcz"), v1);
    expect(Buffer.concat([...expandFile(tmp.path("old.mcz"))]).equals(original)).toBe(true);
    expect(Buffer.from(expandBytes(v1)).equals(original)).toBe(true);
    expect(existsSync(tmp.path("old.mcz"))).toBe(true);
  });
});
