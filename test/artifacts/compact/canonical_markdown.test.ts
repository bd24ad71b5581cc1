import { expect, test } from "bun:test";
import { canonicalMarkdown } from "../../../artifacts/compact/canonical_markdown.ts";

const ALL = { removeEmptySections: true, canonicalHeaders: true };

test("headers become ATX with one space, setext underlines included", () => {
  expect(canonicalMarkdown("Title\n=====\n\nSub\n---\ntext\n##Tight\nmore\n### Closed ###\nend", ALL)).toBe("# Title\n\n## Sub\ntext\n## Tight\nmore\n### Closed\nend\n");
});

test("empty sections go, also a section whose subsections were all empty", () => {
  expect(canonicalMarkdown("# A\n\n## Empty\n\n## Also empty\n### Nested empty\n\n# B\nkept\n", ALL)).toBe("# B\nkept\n");
});

test("fenced code is left exactly as it is", () => {
  const text = "# Code\n```\n#not a header   \n\n\n```\n";
  expect(canonicalMarkdown(text, ALL)).toBe(text);
});

test("with both options off only trailing spaces and blank runs are folded", () => {
  expect(canonicalMarkdown("#X\n\n\n\ntext  \n", { removeEmptySections: false, canonicalHeaders: false })).toBe("#X\n\ntext\n");
});
