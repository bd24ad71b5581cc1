// Configs as people write them: test/fixtures/configs-as-written/<case>/site.yml, with what
// `mooncake validate` and `mooncake plan` print and exit with in <case>/expected.txt.
// UPDATE_GOLDEN=1 rewrites the expectations; review the diff before committing it.
import { describe, expect, test } from "bun:test";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { runBinary } from "../helpers/run_binary.ts";

const root = join(import.meta.dir, "..", "fixtures", "configs-as-written");
const cases = readdirSync(root).filter((name) => statSync(join(root, name)).isDirectory()).sort();
const COMMANDS = [["validate", "-c", "site.yml"], ["plan", "-c", "site.yml"]];

/** Each command as `$ mooncake ARGS`, its exit code, then what it printed (stdout, then stderr). */
function transcript(dir: string): string {
  return COMMANDS.map((args) => {
    const result = runBinary(args, { cwd: dir, env: { HOME: "/home/tester" } });
    return `$ mooncake ${args.join(" ")}\nexit ${result.exitCode}\n${result.stdout}${result.stderr}`;
  }).join("\n");
}

describe("configs as people write them", () => {
  test("there are cases", () => {
    expect(cases).toEqual(["deploy-from-docs", "jinja-blocks", "original-style", "seed-004-literal", "undefined-variables"]);
  });

  for (const name of cases) {
    test(`${name}: validate and plan give the expected outcome`, () => {
      const dir = join(root, name);
      const actual = transcript(dir);
      const expectedPath = join(dir, "expected.txt");
      if (process.env.UPDATE_GOLDEN) writeFileSync(expectedPath, actual);
      expect(existsSync(expectedPath)).toBe(true);
      expect(actual).toBe(readFileSync(expectedPath, "utf8"));
    });
  }
});
