// Shared timing for the benchmarks: run a command repeatedly, report the median wall time and
// the peak resident memory, so figures are comparable within one run of a script.

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

export function report(rows: Measurement[], baseline: Measurement): void {
  const width = Math.max(...rows.map((r) => r.label.length));
  for (const r of rows) {
    const ratio = (r.medianMs / baseline.medianMs).toFixed(2);
    console.log(`${r.label.padEnd(width)}  ${r.medianMs.toFixed(1).padStart(8)} ms  ${r.maxRssMb.toFixed(0).padStart(5)} MB  ${ratio}x ${baseline.label}`);
  }
}
