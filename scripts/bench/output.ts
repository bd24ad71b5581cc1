// Memory of a step that prints a lot: peak resident size of the compiled binary while one step
// prints SIZE (default 1G) of 100-character lines, with no artifacts, with artifacts, and with
// --capture-full-output. Target: under 200 MB in every case. Also the size of events.jsonl
// against the output's (target: at most 1.2x), the time with artifacts against without, and the
// peak memory of a step printing SIZE with no newline. Runs alone or from all.ts.
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
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
  writeFileSync(join(tmp, "unbroken.yml"), `- name: Print ${size} without a newline\n  shell: "head -c ${size} /dev/zero | tr '\\\\0' a"\n`);
  const artifacts = join(tmp, "artifacts");
  const rows: Row[] = [];
  const times = new Map<string, number>();
  try {
    for (const [label, flags] of VARIANTS) {
      const { ms, rssMb } = runOnce(tmp, "print.yml", [...flags, "--artifacts-dir", artifacts], label);
      times.set(label, ms);
      rows.push({ figure: `run printing ${size}, ${label}: peak memory vs target`, value: rssMb, unit: "MB", baseline: { label: "target", value: 200 } });
      rows.push({ figure: `run printing ${size}, ${label}: time`, value: ms, unit: "ms" });
      if (label === "artifacts") {
        rows.push({ figure: "events.jsonl / output, 100-character lines", value: eventsBytes(artifacts) / foldedBytes(size), unit: "x", baseline: { label: "target", value: 1.2 } });
      }
      rmSync(artifacts, { recursive: true, force: true });
    }
    rows.push({ figure: `run printing ${size}: time with artifacts / without`, value: times.get("artifacts")! / times.get("--no-artifacts")!, unit: "x" });
    const unbroken = runOnce(tmp, "unbroken.yml", ["--artifacts-dir", artifacts], "no newline");
    rows.push({ figure: `run printing ${size} without a newline, artifacts: peak memory vs target`, value: unbroken.rssMb, unit: "MB", baseline: { label: "target", value: 200 } });
    return rows;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
};

function runOnce(cwd: string, config: string, flags: string[], label: string): { ms: number; rssMb: number } {
  const start = performance.now();
  const result = Bun.spawnSync([binary, "run", "-c", config, "--raw", ...flags], { cwd, stdout: "ignore", stderr: "pipe" });
  const ms = performance.now() - start;
  if (result.exitCode !== 0) throw new Error(`${label}: exit ${result.exitCode}: ${result.stderr.toString()}`);
  return { ms, rssMb: (result.resourceUsage?.maxRSS ?? 0) / (1024 * 1024) };
}

/** What `head -c SIZE | fold -w 100` prints: the bytes and a newline after each 100 of them. */
function foldedBytes(size: string): number {
  const [, count, unit] = /^(\d+)([KMG]?)$/.exec(size) ?? [];
  if (count === undefined) throw new Error(`SIZE must be a number with K, M or G: ${size}`);
  const bytes = Number(count) * 1024 ** " KMG".indexOf(unit || " ");
  return bytes + Math.ceil(bytes / 100);
}

function eventsBytes(artifacts: string): number {
  const runs = join(artifacts, "runs");
  const [run] = readdirSync(runs).filter((name) => /^\d{8}-/.test(name));
  return statSync(join(runs, run!, "events.jsonl")).size;
}

if (import.meta.main) printTable(await run());
