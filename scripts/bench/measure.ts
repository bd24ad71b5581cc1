import { closeSync, openSync, writeFileSync, writeSync } from "node:fs";
import { join } from "node:path";

// Shared timing for the benchmarks: run a command repeatedly, report the median wall time and
// the peak resident memory, so figures are comparable within one run of a script. Every bench
// module returns table rows (figure, value, baseline, ratio); all.ts prints them as one table.

export interface Measurement {
  label: string;
  medianMs: number;
  maxRssMb: number;
}

export function measure(label: string, argv: string[], runs: number, cwd?: string): Measurement {
  const times: number[] = [];
  let maxRss = 0;
  for (let i = 0; i < runs + 1; i++) {
    const start = performance.now();
    const result = Bun.spawnSync(argv, { cwd, stdout: "ignore", stderr: "pipe" });
    const elapsed = performance.now() - start;
    if (result.exitCode !== 0) throw new Error(`${label}: exit ${result.exitCode}: ${result.stderr.toString()}`);
    if (i > 0) times.push(elapsed); // the first run warms the page cache
    maxRss = Math.max(maxRss, result.resourceUsage?.maxRSS ?? 0);
  }
  times.sort((a, b) => a - b);
  return { label, medianMs: times[Math.floor(times.length / 2)]!, maxRssMb: maxRss / (1024 * 1024) };
}

/** One line of the benchmark table: a figure, and what it is compared with (a floor or a target). */
export interface Row {
  figure: string;
  value: number;
  unit: "ms" | "MB" | "MB/s" | "KB" | "x";
  baseline?: { label: string; value: number };
}

/** Median time of `m`, compared with `floor` when given. */
export function timeRow(m: Measurement, floor?: Measurement): Row {
  return { figure: m.label, value: m.medianMs, unit: "ms", baseline: floor && { label: floor.label, value: floor.medianMs } };
}

/** The shape every module in scripts/bench/ exports, so all.ts can run it. */
export type Bench = () => Promise<Row[]>;

export function printTable(rows: readonly Row[]): void {
  const cells = rows.map((r) => [
    r.figure,
    `${r.value.toFixed(1)} ${r.unit}`,
    r.baseline ? `${r.baseline.value.toFixed(1)} ${r.unit} ${r.baseline.label}` : "",
    r.baseline ? `${(r.value / r.baseline.value).toFixed(2)}x` : "",
  ]);
  const header = ["figure", "value", "baseline", "ratio"];
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) => c.map((cell, i) => (i === 1 || i === 3 ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!))).join("  ").trimEnd();
  console.log(line(header));
  console.log(line(widths.map((w) => "-".repeat(w))));
  for (const c of cells) console.log(line(c));
}

/** Bun starting an empty script: the floor every startup figure is compared with. */
export function bunFloor(dir: string, runs: number): Measurement {
  const empty = join(dir, "empty.js");
  writeFileSync(empty, "");
  return measure("bun empty.js", [process.execPath, empty], runs);
}

/** Writes a file of `sizeMb` MiB of varied bytes (not zeros, which a file system may compress). */
export function writeFileOfSize(path: string, sizeMb: number): void {
  const chunk = new Uint8Array(1024 * 1024).map((_, i) => i * 31);
  const fd = openSync(path, "w");
  for (let i = 0; i < sizeMb; i++) writeSync(fd, chunk);
  closeSync(fd);
}
