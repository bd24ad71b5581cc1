import { describe, expect, test } from "bun:test";
import { pythonLiteralValue } from "../../../core/fleet/python_literal.ts";

// Each expectation is what Python's ast.literal_eval gives (or the text itself where it raises).
describe("pythonLiteralValue", () => {
  test.each([
    ["42", 42], ["-7", -7], ["+3", 3], ["1_000", 1000], ["0x1F", 31], ["0o17", 15], ["0b101", 5], ["-0x10", -16],
    ["1.5", 1.5], [".5", 0.5], ["5.", 5], ["1e3", 1000], ["007.5", 7.5], ["  12", 12], ["12  ", 12],
    ["True", true], ["False", false], ["None", null],
    ["'a'", "a"], ['"a b"', "a b"], ["'a' \"b\"", "ab"], ["u'x'", "x"], ["'tab\\there'", "tab\there"], ["r'\\n'", "\\n"],
    ["'\\x41\\u00e9\\101'", "Aé" + "A"], ["'''tri'ple'''", "tri'ple"],
    ["[1, 'two', [3]]", [1, "two", [3]]], ["[1,]", [1]], ["()", []], ["(1,)", [1]], ["(1)", 1], ["(1, 2)", [1, 2]],
    ["{'a': 1, 2: [None]}", { a: 1, "2": [null] }], ["{}", {}], ["{1, 2}", [1, 2]],
    ["5 # comment", 5],
  ] as [string, unknown][])("%p is the literal %p", (text, value) => {
    expect(pythonLiteralValue(text)).toEqual(value);
  });

  test.each([
    "true", "yes", "007", "1.2.3.4", "10.0.0.1", "hello world", "", "1j", "12abc", "f'x'", "'open", "[1, 2", "{'a': }",
    "12345678901234567890", "1 + 2", "-True", "x = 1", "http://x/#y", "some text # not a comment here", "~/.ssh/id",
  ])("%p stays text", (text) => {
    expect(pythonLiteralValue(text)).toBe(text);
  });
});
