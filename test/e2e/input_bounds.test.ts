import { describe, expect, test } from "bun:test";
import { runBinary, type BinaryResult } from "../helpers/run_binary.ts";
import { tempDirPerTest } from "../helpers/temp_dir.ts";

const inTemp = tempDirPerTest();

/** Each hostile input ends in located errors and exit 2; a hang fails the test through the spawn timeout. */
function validate(dir: string, args: string[] = []): BinaryResult & { errors: string[] } {
  const result = runBinary(["validate", "-c", "site.yml", ...args], { cwd: dir, timeoutMs: 30_000 });
  expect(`${result.stdout}${result.stderr}`).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
  expect(result.stderr).not.toContain("Internal error");
  expect(result.exitCode).toBe(2);
  return { ...result, errors: result.stdout.split("\n").filter((l) => l.includes("error:")) };
}

const STEP = "  - shell: echo hi\n";

describe("input that would exhaust memory or the stack is refused with a located error", () => {
  test("include_vars of /dev/zero is refused without reading it", () => {
    const tmp = inTemp({ "site.yml": "steps:\n  - include_vars: /dev/zero\n" });
    expect(validate(tmp.dir).errors).toEqual([
      'site.yml:2:19: error: include_vars: Cannot read "/dev/zero": it is a character device, not a regular file',
    ]);
  });

  test("--vars and --secret-vars name only regular files", () => {
    const tmp = inTemp({ "site.yml": `steps:\n${STEP}` });
    Bun.spawnSync(["mkfifo", tmp.path("pipe.yml")]);
    expect(validate(tmp.dir, ["--vars", "/dev/zero", "--secret-vars", "pipe.yml"]).errors.sort()).toEqual([
      '/dev/zero:1:1: error: Cannot read "/dev/zero": it is a character device, not a regular file',
      'pipe.yml:1:1: error: Cannot read "pipe.yml": it is a named pipe, not a regular file',
    ]);
  });

  test("an include of a named pipe is refused at the include", () => {
    const tmp = inTemp({ "site.yml": "steps:\n  - include: pipe.yml\n" });
    Bun.spawnSync(["mkfifo", tmp.path("pipe.yml")]);
    expect(validate(tmp.dir).errors).toEqual([
      expect.stringMatching(/^site\.yml:2:14: error: Included file: Cannot read ".*pipe\.yml": it is a named pipe, not a regular file$/),
    ]);
  });

  test('a "billion laughs" of aliases is refused at the alias that goes over the limit', () => {
    const levels = ["  a: &a [x, x, x, x, x, x, x, x, x, x]"];
    for (const [i, name] of [..."bcdefghi"].entries()) {
      const previous = "abcdefghi"[i];
      levels.push(`  ${name}: &${name} [${Array(10).fill(`*${previous}`).join(", ")}]`);
    }
    const tmp = inTemp({ "site.yml": `vars:\n${levels.join("\n")}\nsteps:\n${STEP}` });
    expect(validate(tmp.dir).errors).toEqual([
      expect.stringMatching(/^site\.yml:\d+:\d+: error: YAML aliases expand the document by more than 1,000,000 values$/),
    ]);
  });

  test("an alias inside its own anchor is refused, not walked forever", () => {
    const tmp = inTemp({ "site.yml": `vars:\n  a: &a [*a]\nsteps:\n${STEP}` });
    expect(validate(tmp.dir).errors).toEqual([
      "site.yml:2:10: error: YAML alias refers to a node that contains it: the value would be infinite",
    ]);
  });

  test("10,000 levels of nesting are refused", () => {
    const deep = `${"[".repeat(10_000)}${"]".repeat(10_000)}`;
    const tmp = inTemp({ "site.yml": `vars:\n  x: ${deep}\nsteps:\n${STEP}` });
    expect(validate(tmp.dir).errors).toEqual([expect.stringMatching(/^site\.yml:2:\d+: error: Values nest deeper than 100 levels$/)]);
  }, 30_000);

  test("nesting the parser accepts but walkers should not is refused at the deep value", () => {
    const deep = `${"[".repeat(150)}${"]".repeat(150)}`;
    const tmp = inTemp({ "site.yml": `vars:\n  x: ${deep}\nsteps:\n${STEP}` });
    expect(validate(tmp.dir).errors).toEqual(["site.yml:2:105: error: Values nest deeper than 100 levels"]);
  });

  test("a 10,000-deep expression is refused where it goes too deep, in a when and in a template", () => {
    const deep = `${"(".repeat(10_000)}1${")".repeat(10_000)}`;
    const tmp = inTemp({ "site.yml": `steps:\n  - shell: echo hi\n    when: "${deep} == 1"\n  - print: "{{ ${deep} }}"\n` });
    expect(validate(tmp.dir).errors).toEqual([
      expect.stringMatching(/^site\.yml:3:\d+: error: .*Expression nests deeper than 100 levels/),
      expect.stringMatching(/^site\.yml:4:\d+: error: .*Expression nests deeper than 100 levels/),
    ]);
  });

  test("a with_items of a million items is refused at the step", () => {
    const items = "      - 1\n".repeat(1_000_000);
    const tmp = inTemp({ "site.yml": `steps:\n  - shell: "true"\n    with_items:\n${items}` });
    expect(validate(tmp.dir).errors).toEqual([
      "site.yml:2:5: error: with_items has 1,000,000 items, more than the 100,000 a loop may have: split the list, or loop inside one command",
    ]);
  }, 60_000);
});
