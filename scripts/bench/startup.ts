// Startup of the compiled binary against the floor the issue names: an empty program compiled
// by `bun build --compile`. Figures: `--version`, `version`, `validate` of a one-step config and
// of examples/site.yml, and a one-step `run` without and with run artifacts. Target: validate and
// the one-step run within 2x of the floor. Wall time is the median of RUNS (default 30); CPU time
// (user + system) is steadier on a busy machine and printed beside it.
// Runs alone (`bun run scripts/bench/startup.ts`) or from all.ts.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Bench, BenchSkipped, cpuRow, measure, type Measurement, printTable, type Row, timeRow } from "./measure.ts";

const root = join(import.meta.dir, "..", "..");
/** dist/mooncake, or another build to compare (MOONCAKE_BINARY=/path/to/mooncake). */
const binary = process.env.MOONCAKE_BINARY ?? join(root, "dist", "mooncake");

/** An empty file compiled as the issue says (`bun build --compile`): the floor of every figure. */
function compiledEmptyProgram(dir: string): string {
  const source = join(dir, "empty.ts");
  const outfile = join(dir, "empty");
  writeFileSync(source, "");
  const build = Bun.spawnSync([process.execPath, "build", "--compile", source, "--outfile", outfile], { stdout: "ignore", stderr: "pipe" });
  if (build.exitCode !== 0) throw new Error(`Cannot compile the empty program: ${build.stderr.toString()}`);
  return outfile;
}

export const run: Bench = async (emit) => {
  if (!existsSync(binary)) throw new BenchSkipped(`${binary} is not built (make build)`);
  const runs = Number(process.env.RUNS ?? 30);
  const tmp = mkdtempSync(join(tmpdir(), "mooncake-bench-"));
  const rows: Row[] = [];
  let floor: Measurement | undefined;
  const add = (m: Measurement) => {
    for (const row of [timeRow(m, floor), cpuRow(m, floor)]) {
      rows.push(row);
      emit?.(row);
    }
  };
  try {
    const oneStep = join(tmp, "one.yml");
    writeFileSync(oneStep, "- print: hello\n");
    floor = measure("empty program (bun build --compile)", [compiledEmptyProgram(tmp)], runs);
    add(floor);
    add(measure("mooncake --version", [binary, "--version"], runs));
    add(measure("mooncake version", [binary, "version"], runs));
    add(measure("mooncake validate: one print step", [binary, "validate", oneStep], runs, tmp));
    add(measure("mooncake validate examples/site.yml", [binary, "validate", "examples/site.yml"], runs, root));
    add(measure("mooncake run --no-artifacts: one print step", [binary, "run", "--no-artifacts", oneStep], runs, tmp));
    add(measure("mooncake run: one print step, with artifacts", [binary, "run", oneStep], runs, tmp));
    return rows;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
};

if (import.meta.main) printTable(await run());
