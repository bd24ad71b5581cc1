// File-system actions: sha256 of a large file against sha256sum, and 100 `file` steps already
// in their state against a run of one print step (the start-up floor); unarchive.ts has the
// archive figures. Target for the last: under 100 ms beyond start-up.
// SIZE_MB (default 1024) sets the hashed file's size, RUNS (default 5) the runs per figure.
// Runs alone or from all.ts.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Bench, measure, printTable, writeFileOfSize, timeRow } from "./measure.ts";

const binary = join(import.meta.dir, "..", "..", "dist", "mooncake");

export const run: Bench = async () => {
  const runs = Number(process.env.RUNS ?? 5);
  const sizeMb = Number(process.env.SIZE_MB ?? 1024);
  const tmp = mkdtempSync(join(tmpdir(), "mooncake-bench-"));
  try {
    const big = join(tmp, "big.bin");
    writeFileOfSize(big, sizeMb);
    const sha256sum = measure(`sha256sum ${sizeMb} MiB`, ["sha256sum", big], runs);
    const hashed = measure(`mooncake sha256File ${sizeMb} MiB`, [process.execPath, join(import.meta.dir, "hash_file.ts"), big], runs);
    rmSync(big);

    const steps = Array.from({ length: 100 }, (_, i) => `- file: { path: files/f${i}.txt, content: "file ${i}\\n", mode: "0644" }\n`).join("");
    writeFileSync(join(tmp, "hundred.yml"), steps);
    writeFileSync(join(tmp, "one.yml"), "- print: hello\n");
    Bun.spawnSync([binary, "run", "-c", "hundred.yml", "--no-artifacts"], { cwd: tmp });
    const floor = measure("mooncake run, 1 print step (start-up)", [binary, "run", "-c", "one.yml", "--raw", "--no-artifacts"], runs * 4, tmp);
    const hundred = measure("mooncake run, 100 file steps in state", [binary, "run", "-c", "hundred.yml", "--raw", "--no-artifacts"], runs * 4, tmp);
    return [
      timeRow(sha256sum),
      timeRow(hashed, sha256sum),
      timeRow(floor),
      { figure: "100 file steps in state, beyond start-up, vs target", value: hundred.medianMs - floor.medianMs, unit: "ms", baseline: { label: "target", value: 100 } },
    ];
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
};

if (import.meta.main) printTable(await run());
