import { afterEach, describe, expect, test } from "bun:test";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { tempDir } from "../helpers/temp_dir.ts";

let cleanup: (() => void)[] = [];
afterEach(() => {
  for (const remove of cleanup) remove();
  cleanup = [];
});

const repo = join(import.meta.dir, "..", "..");

describe("npm run demo (scripts/demo.sh)", () => {
  test("validates, previews and runs the example in a temp dir it names, so the repository stays clean (scripts/test.sh checks the tree)", () => {
    const tmp = tempDir();
    cleanup.push(tmp.remove);
    const demo = Bun.spawnSync(["bash", "scripts/demo.sh"], {
      cwd: repo,
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", TMPDIR: tmp.dir },
    });
    const stdout = demo.stdout.toString();
    expect(demo.exitCode).toBe(0);
    const [dir] = readdirSync(tmp.dir);
    expect(dir).toStartWith("mooncake-demo-");
    const where = join(tmp.dir, dir!);
    expect(stdout).toContain(`The demo ran in ${where}:`);
    expect(stdout).toContain("Dry run finished");
    expect(stdout).toContain("Run finished");
    expect(existsSync(join(where, "examples/out/site/index.html"))).toBe(true);
    expect(readdirSync(join(where, ".mooncake/runs")).filter((name) => name !== "history.jsonl" && name !== "last_run.json")).toHaveLength(2);
  });
});
