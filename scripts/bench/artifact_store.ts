// The artifact store: a store of RUNS (default 10,000) runs, about 100,000 files, timed for
// scan, list and the gc plan against `find | xargs sha256sum` (compaction: compaction.ts).
// Runs alone or from all.ts.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runId, writeRun } from "../../test/helpers/artifact_store.ts";
import { type Bench, measure, printTable, type Row, timeRow } from "./measure.ts";

const binary = join(import.meta.dir, "..", "..", "dist", "mooncake");

export const run: Bench = async () => {
  const runs = Number(process.env.STORE_RUNS ?? 10_000);
  const dir = mkdtempSync(join(tmpdir(), "mooncake-bench-"));
  const root = join(dir, ".mooncake");
  const rows: Row[] = [];
  try {
    for (let i = 0; i < runs; i++) {
      const run = writeRun(root, { id: runId(i, (i % 0xffffff).toString(16).padStart(6, "0")), status: i % 7 === 0 ? "fail" : "pass", rootFile: `/srv/config-${i % 5}.yml`, events: 20 });
      mkdirSync(join(run, "logs"), { recursive: true });
      writeFileSync(join(run, "stdout.log"), `[step-0001] ok ${i}\n`.repeat(40));
      writeFileSync(join(run, "stderr.log"), "");
      writeFileSync(join(run, "logs", "a.log"), `a ${i}\n`);
    }
    const baseline = measure("find | xargs sha256sum", ["sh", "-c", `find ${root} -type f -print0 | xargs -0 sha256sum > /dev/null`], 3);
    const scan = measure("artifacts scan --force", [binary, "artifacts", "scan", "--force", "--root", root], 3);
    const rescan = measure("artifacts scan (unchanged)", [binary, "artifacts", "scan", "--root", root], 3);
    const list = measure("artifacts list", [binary, "artifacts", "list", "--root", root], 3);
    const gc = measure("artifacts gc (plan)", [binary, "artifacts", "gc", "--root", root], 3);
    rows.push(timeRow(baseline), ...[scan, rescan, list, gc].map((m) => timeRow(m, baseline)));

    return rows;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};

if (import.meta.main) printTable(await run());
