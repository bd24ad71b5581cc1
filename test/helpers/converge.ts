import { expect } from "bun:test";
import { runSteps, type StepsRun } from "./run_steps.ts";
import { tempDir } from "./temp_dir.ts";
import { treeSnapshot } from "./tree_snapshot.ts";

let cleanup: (() => void)[] = [];

/**
 * Removes the sandboxes of the test that just ended. test/preload.ts calls it after every test of
 * every file: a hook registered here would only run for the first file that imports this module.
 */
export function removeSandboxes(): void {
  for (const remove of cleanup) remove();
  cleanup = [];
}

/** A temporary directory with `files`, removed after the test. */
export function sandbox(files: Record<string, string | Uint8Array> = {}): ReturnType<typeof tempDir> {
  const tmp = tempDir(files);
  cleanup.push(tmp.remove);
  return tmp;
}

/**
 * Runs the steps three times: a dry-run, which must leave every entry below `dir` as it was
 * (kind, mode, owner, size, mtime), a run, and a second run, which must change nothing.
 */
export async function converge(dir: string, yaml: string): Promise<{ preview: StepsRun; first: StepsRun; second: StepsRun }> {
  const before = treeSnapshot(dir, ["site.yml"]);
  const preview = await runSteps(dir, yaml, { dryRun: true });
  expect(treeSnapshot(dir, ["site.yml"])).toEqual(before);
  const first = await runSteps(dir, yaml);
  expect(first.errors).toEqual([]);
  const second = await runSteps(dir, yaml);
  expect(second.counts.changed).toBe(0);
  expect(second.status).toBe("ok");
  expect(second.files).toEqual([]);
  return { preview, first, second };
}
