import { closeSync, openSync, writeFileSync, writeSync } from "node:fs";
import { join } from "node:path";

// Shared timing for the benchmarks: run a command repeatedly, report the median wall time and
// the peak resident memory, so figures are comparable within one run of a script. Every bench
// module returns table rows (figure, value, baseline, ratio); all.ts prints them as one table.

export interface Measurement {
  label: string;
  medianMs: number;
  /** Median CPU time (user + system, the command's children included): steadier than wall time on a busy machine. */
  medianCpuMs: number;
  maxRssMb: number;
}

export function measure(label: string, argv: string[], runs: number, cwd?: string): Measurement {
  const times: number[] = [];
  const cpu: number[] = [];
  let maxRss = 0;
  for (let i = 0; i < runs + 1; i++) {
    const start = performance.now();
    const result = Bun.spawnSync(argv, { cwd, stdout: "ignore", stderr: "pipe" });
    const elapsed = performance.now() - start;
    if (result.exitCode !== 0) throw new Error(`${label}: exit ${result.exitCode}: ${result.stderr.toString()}`);
    if (i > 0) times.push(elapsed); // the first run warms the page cache
    if (i > 0) cpu.push(Number(result.resourceUsage?.cpuTime.total ?? 0n) / 1000);
    maxRss = Math.max(maxRss, result.resourceUsage?.maxRSS ?? 0);
  }
  const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  return { label, medianMs: median(times), medianCpuMs: median(cpu), maxRssMb: maxRss / (1024 * 1024) };
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

/** Median CPU time of `m`, compared with `floor`'s when given. */
export function cpuRow(m: Measurement, floor?: Measurement): Row {
  return { figure: `${m.label}: CPU`, value: m.medianCpuMs, unit: "ms", baseline: floor && { label: `${floor.label}: CPU`, value: floor.medianCpuMs } };
}

/**
 * The shape every module in scripts/bench/ exports, so all.ts can run it. `emit`, when given,
 * receives each row as soon as it is measured; the rows are returned as well.
 */
export type Bench = (emit?: (row: Row) => void) => Promise<Row[]>;

/** A figure that cannot be measured here (a binary not built, a tool not installed): all.ts prints the note and goes on. */
export class BenchSkipped extends Error {}

const WIDTHS = [52, 10, 30, 6];

function cellsOf(r: Row): string[] {
  return [
    r.figure,
    `${r.value.toFixed(1)} ${r.unit}`,
    r.baseline ? `${r.baseline.value.toFixed(1)} ${r.unit} ${r.baseline.label}` : "",
    r.baseline ? `${(r.value / r.baseline.value).toFixed(2)}x` : "",
  ];
}

function line(cells: readonly string[], widths: readonly number[]): string {
  return cells.map((cell, i) => (i === 1 || i === 3 ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!))).join("  ").trimEnd();
}

/** The table's header, for a table printed a row at a time (`printRow`) as the figures come. */
export function printHeader(): void {
  console.log(line(["figure", "value", "baseline", "ratio"], WIDTHS));
  console.log(line(WIDTHS.map((w) => "-".repeat(w)), WIDTHS));
}

export function printRow(row: Row): void {
  console.log(line(cellsOf(row), WIDTHS));
}

export function printTable(rows: readonly Row[]): void {
  const cells = rows.map(cellsOf);
  const header = ["figure", "value", "baseline", "ratio"];
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  console.log(line(header, widths));
  console.log(line(widths.map((w) => "-".repeat(w)), widths));
  for (const c of cells) console.log(line(c, widths));
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
