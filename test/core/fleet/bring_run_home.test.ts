import { expect, test } from "bun:test";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { bringRunHome, RunHomeError } from "../../../core/fleet/bring_run_home.ts";
import { makeTar, type FakeEntry } from "../../helpers/make_archive.ts";
import { tempDirPerTest } from "../../helpers/temp_dir.ts";

const tempDir = tempDirPerTest();
const RUN = "20260101-000000-abcdef";

async function* stream(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  yield bytes;
}

test("a host's run directory lands under runs/<run_id>/ with its files and folders", async () => {
  const tmp = tempDir();
  const tar = makeTar([
    { name: `${RUN}/`, type: "directory" },
    { name: `${RUN}/summary.json`, content: '{"status":"ok"}\n' },
    { name: `${RUN}/files/`, type: "directory" },
    { name: `${RUN}/files/diff.txt`, content: "x\n" },
  ]);
  const dest = await bringRunHome(stream(tar), tmp.path("runs"), RUN);
  expect(dest).toBe(join(tmp.path("runs"), RUN));
  expect(readFileSync(join(dest, "summary.json"), "utf8")).toBe('{"status":"ok"}\n');
  expect(readFileSync(join(dest, "files", "diff.txt"), "utf8")).toBe("x\n");
});

const hostile: [string, FakeEntry[]][] = [
  ["an entry outside the run directory", [{ name: `${RUN}/../../evil`, content: "x" }]],
  ["another run's directory", [{ name: "other-run/summary.json", content: "x" }]],
  ["a symbolic link", [{ name: `${RUN}/link`, type: "symlink", linkname: "/etc/passwd" }]],
  ["a hard link", [{ name: `${RUN}/a`, content: "x" }, { name: `${RUN}/b`, type: "hardlink", linkname: `${RUN}/a` }]],
];

for (const [what, entries] of hostile) {
  test(`a host that sends ${what} is refused and nothing of its run lands`, async () => {
    const tmp = tempDir();
    await expect(bringRunHome(stream(makeTar(entries)), tmp.path("runs"), RUN)).rejects.toBeInstanceOf(RunHomeError);
    expect(readdirSync(tmp.path("runs"))).toEqual([]);
    expect(existsSync(tmp.path("evil"))).toBe(false);
  });
}
