// Overhead of run artifacts: the same 200-step run with --no-artifacts and with artifacts
// (and with --capture-full-output), median wall time. Target: artifacts under 10% slower.
// Runs alone or from all.ts.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Bench, measure, printTable, timeRow } from "./measure.ts";

const binary = join(import.meta.dir, "..", "..", "dist", "mooncake");

export const run: Bench = async () => {
  const runs = Number(process.env.RUNS ?? 10);
  const tmp = mkdtempSync(join(tmpdir(), "mooncake-bench-artifacts-"));
  const steps = Array.from({ length: 200 }, (_, i) => `- name: Step ${i + 1}\n  shell: "echo step ${i + 1}"\n`).join("");
  writeFileSync(join(tmp, "steps.yml"), steps);
  const mooncake = (...flags: string[]) => [binary, "run", "-c", "steps.yml", "--raw", "--artifacts-dir", join(tmp, "artifacts"), ...flags];
  try {
    const baseline = measure("run: 200 steps --no-artifacts", mooncake("--no-artifacts"), runs, tmp);
    return [
      timeRow(baseline),
      timeRow(measure("run: 200 steps, artifacts", mooncake(), runs, tmp), baseline),
      timeRow(measure("run: 200 steps, artifacts --capture-full-output", mooncake("--capture-full-output"), runs, tmp), baseline),
    ];
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
};

if (import.meta.main) printTable(await run());
