import { afterEach, expect, test } from "bun:test";
import { existsSync, mkdirSync, readdirSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { runBinary } from "../helpers/run_binary.ts";
import { runId, writeRun } from "../helpers/artifact_store.ts";
import { tempDir } from "../helpers/temp_dir.ts";

let tmp: ReturnType<typeof tempDir>;
afterEach(() => tmp.remove());

/** A pid no process has: what a temporary name holds after its writer was killed. */
const DEAD = 2 ** 22 + 4321;

function store(runs: number) {
  tmp = tempDir();
  const root = tmp.path(".mooncake");
  for (let i = 0; i < runs; i++) writeRun(root, { id: runId(i), status: "pass" });
  return root;
}

const mooncake = (...args: string[]) => runBinary(["artifacts", ...args], { cwd: tmp.dir });

/** What gc leaves when killed after moving `id` and before rewriting the manifest. */
function trashAsGcDoes(root: string, id: string): void {
  mkdirSync(join(root, ".trash", id), { recursive: true });
  writeFileSync(join(root, ".trash", id, "trash.json"), JSON.stringify({
    schema_version: 1, trash_id: id, id, family: "site.yml", original_path: `runs/${id}`,
    deleted_at: "2026-02-05T00:00:00.000Z", size: 100, file_count: 6, reason: "deleted: rank 3 beyond keep 2",
  }));
  renameSync(join(root, "runs", id), join(root, ".trash", id, id));
}

test("the next command that takes the lock removes the temporary files and empty trash items of killed commands", () => {
  const root = store(3);
  mkdirSync(join(root, ".trash", runId(0)), { recursive: true });
  writeFileSync(join(root, ".trash", runId(0), `.trash.json.${DEAD}.m1.tmp`), '{"schema_vers');
  writeFileSync(join(root, `..manifest.json.${DEAD}.m2.tmp`), "{");
  writeFileSync(join(root, "runs", runId(1), `.results.json.${DEAD}.m3.tmp`), "{");
  // A live process's temporary file is its own business.
  writeFileSync(join(root, `..pins.json.${process.pid}.m4.tmp`), "{");

  const scan = mooncake("scan");
  expect(scan.exitCode).toBe(0);
  expect(scan.stderr.split("\n").sort()).toEqual([
    "",
    `repaired: removed ".mooncake/..manifest.json.${DEAD}.m2.tmp", left by a command that was killed (pid ${DEAD})`,
    `repaired: removed ".mooncake/.trash/${runId(0)}", an empty trash item whose record was never written`,
    `repaired: removed ".mooncake/.trash/${runId(0)}/.trash.json.${DEAD}.m1.tmp", left by a command that was killed (pid ${DEAD})`,
    `repaired: removed ".mooncake/runs/${runId(1)}/.results.json.${DEAD}.m3.tmp", left by a command that was killed (pid ${DEAD})`,
  ].sort());
  expect(readdirSync(join(root, ".trash"))).toEqual([]);
  expect(readdirSync(root).sort()).toEqual([`..pins.json.${process.pid}.m4.tmp`, ".manifest.json", ".trash", "runs"]);
  expect(readdirSync(join(root, "runs", runId(1))).sort()).toEqual(["diff.json", "events.jsonl", "facts.json", "plan.json", "results.json", "summary.json"]);
});

test("a trash record whose content never moved is rolled back by the next lock holder", () => {
  const root = store(3);
  mkdirSync(join(root, ".trash", runId(0)), { recursive: true });
  writeFileSync(join(root, ".trash", runId(0), "trash.json"), JSON.stringify({
    schema_version: 1, trash_id: runId(0), id: runId(0), family: "site.yml", original_path: `runs/${runId(0)}`,
    deleted_at: "2026-02-05T00:00:00.000Z", size: 100, file_count: 6, reason: "deleted",
  }));
  const gc = mooncake("gc", "--keep", "5", "--apply", "--force");
  expect(gc.exitCode).toBe(0);
  expect(gc.stderr).toBe(`repaired: rolled back the move of "runs/${runId(0)}" to the trash: it never left its place\n`);
  expect(existsSync(join(root, ".trash", runId(0)))).toBe(false);
  expect(existsSync(join(root, "runs", runId(0), "summary.json"))).toBe(true);
});

test("verify tells an entry gc moved to the trash before rewriting the manifest from a missing one", () => {
  const root = store(3);
  expect(mooncake("scan").exitCode).toBe(0);
  trashAsGcDoes(root, runId(0));
  Bun.spawnSync(["rm", join(root, "runs", runId(1), "facts.json")]);
  const verify = mooncake("verify");
  expect(verify.exitCode).toBe(1);
  expect(verify.stdout).toBe([
    `missing: runs/${runId(1)}/facts.json: Missing artifact: runs/${runId(1)}/facts.json`,
    `note: runs/${runId(0)} moved to the trash (.trash/${runId(0)}/${runId(0)}), the manifest not yet updated; its 6 files match`,
    "✗ 18 files checked: 1 missing, 0 corrupt, 0 invalid, 0 unknown version",
    "",
  ].join("\n"));
});

test("the next lock holder rewrites a manifest that still lists entries in the trash", () => {
  const root = store(3);
  expect(mooncake("scan").exitCode).toBe(0);
  trashAsGcDoes(root, runId(0));
  const purge = mooncake("trash", "purge", "--apply");
  expect(purge.stderr).toBe("repaired: rewrote the manifest, which still listed entries gc had moved to the trash\n");
  expect(mooncake("verify").stdout).toBe("✓ 12 files in 2 entries match the manifest\n");
});

test("gc --apply purges trash items older than trash.retention (30 days by default)", () => {
  const root = store(3);
  for (const [id, deleted] of [["old", "2020-01-01T00:00:00.000Z"], ["young", new Date(Date.now() - 86_400_000).toISOString()]] as const) {
    mkdirSync(join(root, ".trash", id, id), { recursive: true });
    writeFileSync(join(root, ".trash", id, "trash.json"), JSON.stringify({
      schema_version: 1, trash_id: id, id, family: "site.yml", original_path: `runs/${id}`, deleted_at: deleted, size: 1, file_count: 0, reason: "deleted",
    }));
  }
  expect(mooncake("gc").stdout).toEndWith("Would purge 1 trash item deleted more than 30d ago (trash.retention)\n");
  expect(readdirSync(join(root, ".trash")).sort()).toEqual(["old", "young"]);
  expect(mooncake("gc", "--apply", "--force").stdout).toEndWith("Purged 1 trash item deleted more than 30d ago (trash.retention)\n");
  expect(readdirSync(join(root, ".trash"))).toEqual(["young"]);
  writeFileSync(join(root, "artifacts.yaml"), "trash: {retention: 1h}\n");
  expect(mooncake("gc", "--apply", "--force").exitCode).toBe(0);
  expect(readdirSync(join(root, ".trash"))).toEqual([]);
});

test("a dry run is recorded but never protected as its family's last pass", () => {
  tmp = tempDir({ "site.yml": "- shell: 'true'\n" });
  runBinary(["run", "-c", "site.yml", "--raw"], { cwd: tmp.dir });
  runBinary(["run", "-c", "site.yml", "--raw", "--dry-run"], { cwd: tmp.dir });
  runBinary(["run", "-c", "site.yml", "--raw", "--dry-run"], { cwd: tmp.dir });
  const [real, preview] = readdirSync(tmp.path(".mooncake/runs")).filter((n) => /^\d{8}-/.test(n)).sort();
  const plan = JSON.parse(mooncake("gc", "--keep", "1", "--format", "json").stdout);
  expect(plan.decisions.map((d: { id: string; reason: string }) => `${d.id} ${d.reason}`).slice(0, 2)).toEqual([
    `${real} kept: last pass of family site.yml`,
    `${preview} deleted: rank 2 beyond keep 1`,
  ]);
  expect(mooncake("list").stdout).toMatch(new RegExp(`${preview}\\s+site\\.yml\\s+\\S+ \\S+\\s+\\S+\\s+pass \\(dry-run\\)\\s+6\\n`));
});
