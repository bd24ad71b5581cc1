import { describe, expect, test } from "bun:test";
import { OutputCapture } from "../../../core/exec/capture.ts";

function capture(lines: string[], maxBytes: number, maxLines: number) {
  const c = new OutputCapture({ maxBytes, maxLines });
  for (const line of lines) c.push(line);
  return c.result();
}

describe("OutputCapture", () => {
  test("output within the limits is kept whole and says it was not cut", () => {
    expect(capture(["a", "bb"], 100, 10)).toEqual({
      text: "a\nbb\n", truncated: false, original_bytes: 5, original_lines: 2,
      kept_head_bytes: 5, kept_tail_bytes: 0, dropped_bytes: 0, dropped_lines: 0,
    });
  });

  test("past the line limit it keeps the head and the tail and states what it dropped", () => {
    const lines = Array.from({ length: 100 }, (_, i) => `line ${i}`);
    const result = capture(lines, 1_000_000, 10);
    expect(result.text.split("\n").slice(0, -1)).toEqual([
      "line 0", "line 1", "line 2", "line 3", "line 4",
      "[... 715 bytes, 90 lines dropped ...]",
      "line 95", "line 96", "line 97", "line 98", "line 99",
    ]);
    expect(result).toMatchObject({ truncated: true, original_lines: 100, dropped_lines: 90 });
    expect(result.kept_head_bytes + result.kept_tail_bytes + result.dropped_bytes).toBe(result.original_bytes);
  });

  test("past the byte limit the kept bytes stay within it", () => {
    const lines = Array.from({ length: 1000 }, () => "x".repeat(99));
    const result = capture(lines, 1000, 1_000_000);
    expect(result.kept_head_bytes).toBeLessThanOrEqual(500);
    expect(result.kept_head_bytes + result.kept_tail_bytes).toBeLessThanOrEqual(1000);
    expect(result.original_bytes).toBe(100_000);
    expect(result.dropped_bytes).toBe(100_000 - result.kept_head_bytes - result.kept_tail_bytes);
  });

  test("a line longer than the whole budget is dropped and counted, not kept", () => {
    const result = capture(["short", "y".repeat(5000), "end"], 100, 100);
    expect(result.text).toContain("short\n");
    expect(result.text).toContain("end\n");
    expect(result).toMatchObject({ truncated: true, dropped_lines: 1, dropped_bytes: 5001 });
  });

  test("bytes are counted as UTF-8", () => {
    expect(capture(["é"], 100, 10).original_bytes).toBe(3);
  });
});
