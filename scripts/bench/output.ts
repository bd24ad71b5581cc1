// Memory of a step that prints a lot: peak resident size of the compiled binary while one step
// prints SIZE (default 1G) of 100-character lines, with no artifacts, with artifacts, and with
// --capture-full-output. Target: under 200 MB in every case. Runs alone or from all.ts.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Bench, printTable, type Row } from "./measure.ts";

const binary = join(import.meta.dir, "..", "..", "dist", "mooncake");

const VARIANTS: [string, string[]][] = [
  ["--no-artifacts", ["--no-artifacts"]],
  ["artifacts", []],
  ["artifacts --capture-full-output", ["--capture-full-output"]],
];

export const run: Bench = async () => {
  const size = process.env.SIZE ?? "1G";
  const tmp = mkdtempSync(join(tmpdir(), "mooncake-bench-output-"));
  writeFileSync(join(tmp, "print.yml"), `- name: Print ${size}\n  shell: "head -c ${size} /dev/zero | tr '\\\\0' a | fold -w 100"\n`);
  const rows: Row[] = [];
  try {
    for (const [label, flags] of VARIANTS) {
      const artifacts = join(tmp, "artifacts");
      const start = performance.now();
      const result = Bun.spawnSync([binary, "run", "-c", "print.yml", "--raw", "--artifacts-dir", artifacts, ...flags], { cwd: tmp, stdout: "ignore", stderr: "pipe" });
      const ms = performance.now() - start;
      if (result.exitCode !== 0) throw new Error(`${label}: exit ${result.exitCode}: ${result.stderr.toString()}`);
      const rssMb = (result.resourceUsage?.maxRSS ?? 0) / (1024 * 1024);
      rows.push({ figure: `run printing ${size}, ${label}: peak memory vs target`, value: rssMb, unit: "MB", baseline: { label: "target", value: 200 } });
      rows.push({ figure: `run printing ${size}, ${label}: time`, value: ms, unit: "ms" });
      rmSync(artifacts, { recursive: true, force: true });
    }
    return rows;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
};

if (import.meta.main) printTable(await run());
