import { afterEach, expect, test } from "bun:test";
import { readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { autoGc } from "../../../artifacts/store/auto_gc.ts";
import { runId, writeRun } from "../../helpers/artifact_store.ts";
import { tempDir } from "../../helpers/temp_dir.ts";

let cleanup: (() => void)[] = [];
afterEach(() => {
  for (const remove of cleanup) remove();
  cleanup = [];
});

function storeWith(policy: string | undefined) {
  const tmp = tempDir();
  cleanup.push(tmp.remove);
  const root = tmp.path(".mooncake");
  for (let i = 0; i < 5; i++) writeRun(root, { id: runId(i), status: "pass" });
  if (policy !== undefined) writeFileSync(join(root, "artifacts.yaml"), policy);
  return root;
}

test("autoGc applies the policy after a run when gc.auto is true", async () => {
  const root = storeWith("gc: {auto: true}\nretention: {\"*\": {keep: 2}}\n");
  const outcome = await autoGc(root, new Date(Date.UTC(2026, 2, 1)));
  expect(outcome!.moved.map((m) => m.id)).toEqual([runId(0), runId(1), runId(2)]);
  expect(readdirSync(join(root, "runs"))).toEqual([runId(3), runId(4)]);
});

test("autoGc does nothing without gc.auto, or with an invalid policy", async () => {
  for (const policy of [undefined, "retention: {\"*\": {keep: 1}}\n", "gc: {auto: yes please}\n"]) {
    const root = storeWith(policy);
    expect(await autoGc(root, new Date())).toBeUndefined();
    expect(readdirSync(join(root, "runs"))).toHaveLength(5);
  }
});
