// Every benchmark of the project (`make bench`), one table (figure, value, baseline, ratio):
// each row is printed as soon as it is measured (or its benchmark ends), a benchmark that cannot run here (no
// binaries in dist/, a tool not installed) is skipped with a note, and the whole table is
// printed again at the end. To add a benchmark, write scripts/bench/NAME.ts exporting
// `run: Bench` (see measure.ts) and add its file name below.
import { type Bench, BenchSkipped, printHeader, printRow, printTable, type Row } from "./measure.ts";

const BENCHES = ["startup.ts", "compile.ts", "facts.ts", "engine.ts", "files.ts", "file_io.ts", "unarchive.ts", "run_artifacts.ts", "output.ts", "artifact_store.ts", "compaction.ts", "dashboard.ts", "fleet.ts", "sizes.ts"];

const rows: Row[] = [];
const notes: string[] = [];
printHeader();
for (const file of BENCHES) {
  const { run } = (await import(`./${file}`)) as { run: Bench };
  try {
    const emitted = new Set<Row>();
    const returned = await run((row) => {
      emitted.add(row);
      printRow(row);
    });
    for (const row of returned.filter((r) => !emitted.has(r))) printRow(row);
    rows.push(...returned);
  } catch (e) {
    if (!(e instanceof BenchSkipped)) throw e;
    notes.push(`${file}: skipped: ${e.message}`);
    console.log(`(${file} skipped: ${e.message})`);
  }
}
console.log("");
printTable(rows);
for (const note of notes) console.log(note);
