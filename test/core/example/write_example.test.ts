import { afterEach, describe, expect, test } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { BUNDLED_EXAMPLE } from "../../../core/example/bundled_example.ts";
import { ExampleConflictError, writeExample } from "../../../core/example/write_example.ts";
import { tempDir } from "../../helpers/temp_dir.ts";

let cleanup: (() => void)[] = [];
afterEach(() => {
  for (const remove of cleanup) remove();
  cleanup = [];
});

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)))
    .sort();
}

describe("bundled example", () => {
  test("holds every file of examples/ with the same content", () => {
    expect(Object.keys(BUNDLED_EXAMPLE).sort()).toEqual(filesUnder("examples"));
    for (const [name, content] of Object.entries(BUNDLED_EXAMPLE)) {
      expect(content).toBe(readFileSync(join("examples", name), "utf8"));
    }
  });

  test("writeExample creates the files, then reports them unchanged on a second call", () => {
    const tmp = tempDir();
    cleanup.push(tmp.remove);
    const first = writeExample(tmp.path("ex"));
    expect(first.map((f) => f.status)).toEqual(first.map(() => "created"));
    expect(filesUnder(tmp.path("ex"))).toEqual(Object.keys(BUNDLED_EXAMPLE).sort());
    expect(writeExample(tmp.path("ex")).every((f) => f.status === "unchanged")).toBe(true);
  });

  test("a file with other content stops writeExample before it writes anything; force overwrites it", () => {
    const tmp = tempDir({ "ex/vars/site.yml": "port: 1\n" });
    cleanup.push(tmp.remove);
    expect(() => writeExample(tmp.path("ex"))).toThrow(ExampleConflictError);
    expect(filesUnder(tmp.path("ex"))).toEqual(["vars/site.yml"]);
    const forced = writeExample(tmp.path("ex"), true);
    expect(forced.find((f) => f.path.endsWith("vars/site.yml"))?.status).toBe("updated");
    expect(readFileSync(tmp.path("ex/vars/site.yml"), "utf8")).toBe(BUNDLED_EXAMPLE["vars/site.yml"]!);
  });
});
