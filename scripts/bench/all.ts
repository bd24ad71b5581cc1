// Every benchmark of the project, printed as one table (figure, value, baseline, ratio) so all
// speed and size figures are read at once: `make bench`. To add a benchmark, write
// scripts/bench/NAME.ts exporting `run: Bench` (see measure.ts) and add its file name below.
import { type Bench, printTable, type Row } from "./measure.ts";

const BENCHES = ["startup.ts", "compile.ts", "facts.ts", "engine.ts", "files.ts", "file_io.ts", "run_artifacts.ts", "output.ts", "artifact_store.ts", "compaction.ts", "dashboard.ts", "sizes.ts"];

const rows: Row[] = [];
for (const file of BENCHES) {
  const { run } = (await import(`./${file}`)) as { run: Bench };
  rows.push(...(await run()));
}
printTable(rows);
