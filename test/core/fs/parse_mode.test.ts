import { describe, expect, test } from "bun:test";
import { formatMode, parseMode } from "../../../core/fs/parse_mode.ts";

describe("parseMode", () => {
  test("strings are octal, with or without the leading 0", () => {
    expect(parseMode("0644")).toBe(0o644);
    expect(parseMode("755")).toBe(0o755);
    expect(parseMode("1777")).toBe(0o1777);
  });

  test("a number's decimal digits are read as octal: YAML's unquoted 0644 arrives as 644", () => {
    expect(parseMode(644)).toBe(0o644);
    expect(parseMode(4755)).toBe(0o4755);
    expect(parseMode(0)).toBe(0);
  });

  test("digits 8 and 9, fractions and too large values are refused", () => {
    for (const bad of [689, 493.5, "0o644", "rwx", 17777, -1]) expect(() => parseMode(bad)).toThrow(/^Invalid mode .*: expected octal digits such as "0644"$/);
  });

  test("formatMode writes four octal digits", () => {
    expect(formatMode(0o100644)).toBe("0644");
    expect(formatMode(0o7)).toBe("0007");
  });
});
