import { describe, expect, test } from "bun:test";
import { unifiedDiff } from "../../../core/fs/unified_diff.ts";

const labels = { from: "a", to: "b" };

describe("unifiedDiff", () => {
  test("equal content gives no diff", () => {
    expect(unifiedDiff("x\n", "x\n", labels)).toBe("");
  });

  test("hunks keep three lines of context and merge when close", () => {
    const before = Array.from({ length: 12 }, (_, i) => `l${i}`).join("\n") + "\n";
    const after = before.replace("l2\n", "L2\n").replace("l6\n", "L6\n");
    expect(unifiedDiff(before, after, labels)).toBe("--- a\n+++ b\n@@ -1,10 +1,10 @@\n l0\n l1\n-l2\n+L2\n l3\n l4\n l5\n-l6\n+L6\n l7\n l8\n l9\n");
  });

  test("a missing final newline is marked", () => {
    expect(unifiedDiff("a\n", "a", labels)).toBe("--- a\n+++ b\n@@ -1 +1 @@\n-a\n+a\n\\ No newline at end of file\n");
  });

  test("binary and oversized content are summarised, long diffs are cut with a count", () => {
    expect(unifiedDiff("a\0", "b\0", labels)).toBe("--- a\n+++ b\nBinary content differs (2 -> 2 bytes)\n");
    expect(unifiedDiff("x".repeat(20), "y", labels, { maxInputBytes: 10, maxOutputLines: 5 })).toBe("--- a\n+++ b\nContent differs (20 -> 1 bytes, too large to compare line by line)\n");
    const many = Array.from({ length: 50 }, (_, i) => `${i}`).join("\n") + "\n";
    const cut = unifiedDiff("", many, labels, { maxInputBytes: 1000, maxOutputLines: 5 });
    expect(cut.endsWith("+3\n... 46 more diff lines not shown\n")).toBe(true);
  });
});
