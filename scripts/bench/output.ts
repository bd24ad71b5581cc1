// Memory of a step that prints a lot: peak resident size of the compiled binary while one step
// prints SIZE (default 1G) of 100-character lines, with no artifacts, with artifacts, and with
// --capture-full-output. Target: under 200 MB in every case.
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const binary = join(import.meta.dir, "..", "..", "dist", "mooncake");
const size = process.env.SIZE ?? "1G";
const tmp = mkdtempSync(join(tmpdir(), "mooncake-bench-output-"));
writeFileSync(join(tmp, "print.yml"), `- name: Print ${size}\n  shell: "head -c ${size} /dev/zero | tr '\\\\0' a | fold -w 100"\n`);

const variants: [string, string[]][] = [
  ["--no-artifacts", ["--no-artifacts"]],
  ["artifacts", []],
  ["artifacts --capture-full-output", ["--capture-full-output"]],
];

try {
  console.log(`one step printing ${size} in 100-character lines`);
  for (const [label, flags] of variants) {
    const artifacts = join(tmp, "artifacts");
    const start = performance.now();
    const result = Bun.spawnSync([binary, "run", "-c", "print.yml", "--raw", "--artifacts-dir", artifacts, ...flags], { cwd: tmp, stdout: "ignore", stderr: "pipe" });
    const seconds = (performance.now() - start) / 1000;
    if (result.exitCode !== 0) throw new Error(`${label}: exit ${result.exitCode}: ${result.stderr.toString()}`);
    const rssMb = (result.resourceUsage?.maxRSS ?? 0) / (1024 * 1024);
    console.log(`${label.padEnd(34)} ${rssMb.toFixed(0).padStart(5)} MB peak RSS  ${seconds.toFixed(1).padStart(6)} s  ${written(artifacts)}`);
    rmSync(artifacts, { recursive: true, force: true });
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}

/** Sizes of the big files the run wrote, to show where the output went. */
function written(artifacts: string): string {
  if (!existsSync(artifacts)) return "nothing written";
  const files = new Bun.Glob("runs/*/{events.jsonl,stdout.log}").scanSync(artifacts);
  return [...files].map((f) => `${f.split("/").at(-1)} ${(statSync(join(artifacts, f)).size / 2 ** 20).toFixed(0)} MiB`).join(", ");
}
