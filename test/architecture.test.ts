import { expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { Glob } from "bun";

const IMPORT = /(?:^|\n)\s*(?:import|export)[^"'`;]*?from\s*["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g;

test("core/ imports nothing from actions/, artifacts/ or cli/: the layers point down", () => {
  const upward: string[] = [];
  for (const file of new Glob("core/**/*.ts").scanSync(".")) {
    for (const match of readFileSync(file, "utf8").matchAll(IMPORT)) {
      const target = match[1] ?? match[2]!;
      if (/^(\.\.\/)+(actions|artifacts|cli)\//.test(target)) upward.push(`${file} -> ${target}`);
    }
  }
  expect(upward).toEqual([]);
});
