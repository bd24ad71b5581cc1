// Startup of the compiled binary: `mooncake --version`, `mooncake version`, `validate` of the
// example and a one-step run, against the floor of bun starting an empty script. Target:
// --version within 3x of the floor. Runs alone (`bun run scripts/bench/startup.ts`) or from all.ts.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Bench, bunFloor, measure, printTable, type Row, timeRow } from "./measure.ts";

const root = join(import.meta.dir, "..", "..");
const binary = join(root, "dist", "mooncake");

export const run: Bench = async (emit) => {
  const runs = Number(process.env.RUNS ?? 30);
  const tmp = mkdtempSync(join(tmpdir(), "mooncake-bench-"));
  const rows: Row[] = [];
  const add = (row: Row) => {
    rows.push(row);
    emit?.(row);
  };
  try {
    const floor = bunFloor(tmp, runs);
    add(timeRow(floor));
    const oneStep = join(tmp, "one.yml");
    writeFileSync(oneStep, "- print: hello\n");
    add(timeRow(measure("mooncake --version", [binary, "--version"], runs), floor));
    add(timeRow(measure("mooncake version", [binary, "version"], runs), floor));
    add(timeRow(measure("mooncake validate examples/site.yml", [binary, "validate", "examples/site.yml"], runs, root), floor));
    add(timeRow(measure("mooncake run: one print step", [binary, "run", oneStep], runs, tmp), floor));
    return rows;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
};

if (import.meta.main) printTable(await run());
