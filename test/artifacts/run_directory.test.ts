import { afterEach, expect, test } from "bun:test";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ArtifactsError, createRunDirectory, unlockRunDirectory } from "../../artifacts/writer/run_directory.ts";
import { tempDir } from "../helpers/temp_dir.ts";

let tmp: ReturnType<typeof tempDir>;
afterEach(() => tmp.remove());

test("runs that start in the same second get distinct directories", () => {
  tmp = tempDir();
  const first = createRunDirectory(tmp.dir, "20260204-141419-a3f2c8");
  const second = createRunDirectory(tmp.dir, "20260204-141419-a3f2c8");
  const third = createRunDirectory(tmp.dir, "20260204-141419-a3f2c8");
  expect([first.runId, second.runId, third.runId]).toEqual(["20260204-141419-a3f2c8", "20260204-141419-a3f2c8-2", "20260204-141419-a3f2c8-3"]);
  expect(second.dir).toBe(join(tmp.dir, "runs", "20260204-141419-a3f2c8-2"));
});

test("a run directory holds a lock naming its process until it is unlocked", () => {
  tmp = tempDir();
  const run = createRunDirectory(tmp.dir, "20260204-141419-a3f2c8");
  const lock = JSON.parse(readFileSync(join(run.dir, "run.lock"), "utf8"));
  expect(lock).toMatchObject({ pid: process.pid, run_id: run.runId });
  unlockRunDirectory(run.dir);
  expect(existsSync(join(run.dir, "run.lock"))).toBe(false);
});

test("a file where the artifacts directory should be is a clear error", () => {
  tmp = tempDir();
  writeFileSync(tmp.path("runs"), "");
  expect(() => createRunDirectory(tmp.dir, "20260204-141419-a3f2c8")).toThrow(
    new ArtifactsError(`Cannot create artifacts directory "${tmp.path("runs")}": a file is in the way`),
  );
});
