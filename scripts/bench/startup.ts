// Startup of the compiled binary: `mooncake --version`, `mooncake version`, `validate` of the
// example and a one-step run, against the floor of bun starting an empty script. Target:
// --version within 3x of the floor. Runs alone (`bun run scripts/bench/startup.ts`) or from all.ts.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Bench, bunFloor, measure, printTable, timeRow } from "./measure.ts";

const root = join(import.meta.dir, "..", "..");
const binary = join(root, "dist", "mooncake");

export const run: Bench = async () => {
  const runs = Number(process.env.RUNS ?? 30);
  const tmp = mkdtempSync(join(tmpdir(), "mooncake-bench-"));
  try {
    const floor = bunFloor(tmp, runs);
    const oneStep = join(tmp, "one.yml");
    writeFileSync(oneStep, "- print: hello\n");
    return [
      timeRow(floor),
      timeRow(measure("mooncake --version", [binary, "--version"], runs), floor),
      timeRow(measure("mooncake version", [binary, "version"], runs), floor),
      timeRow(measure("mooncake validate examples/site.yml", [binary, "validate", "--config", "examples/site.yml"], runs, root), floor),
      timeRow(measure("mooncake run: one print step", [binary, "run", "--config", oneStep], runs), floor),
    ];
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
};

if (import.meta.main) printTable(await run());
