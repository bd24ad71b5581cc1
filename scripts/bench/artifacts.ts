// Overhead of run artifacts: the same 200-step run with --no-artifacts and with artifacts
// (and with --capture-full-output), median wall time. Target: artifacts under 10% slower.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { measure, report } from "./measure.ts";

const binary = join(import.meta.dir, "..", "..", "dist", "mooncake");
const runs = Number(process.env.RUNS ?? 10);
const tmp = mkdtempSync(join(tmpdir(), "mooncake-bench-artifacts-"));
const steps = Array.from({ length: 200 }, (_, i) => `- name: Step ${i + 1}\n  shell: "echo step ${i + 1}"\n`).join("");
writeFileSync(join(tmp, "steps.yml"), steps);
const run = (...flags: string[]) => [binary, "run", "-c", "steps.yml", "--raw", "--artifacts-dir", join(tmp, "artifacts"), ...flags];

try {
  const baseline = measure("200 steps --no-artifacts", run("--no-artifacts"), runs, tmp);
  const rows = [
    baseline,
    measure("200 steps, artifacts", run(), runs, tmp),
    measure("200 steps, artifacts --capture-full-output", run("--capture-full-output"), runs, tmp),
  ];
  console.log(`artifacts overhead, median of ${runs} runs`);
  report(rows, baseline);
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
