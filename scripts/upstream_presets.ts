// Measures how many presets written for the original mooncake validate and plan here unchanged.
// Usage: bun run scripts/upstream_presets.ts PRESETS_DIR [--binary dist/mooncake] [--json]
// PRESETS_DIR holds one folder per preset (NAME/preset.yml, tasks/, templates/, files/). For each,
// a config `- preset: NAME` (default parameters) is validated and planned with
// MOONCAKE_PRESETS_PATH pointing at PRESETS_DIR; it prints pass/fail per preset with the first
// diagnostic, then the rate over all presets and over those without Jinja block tags (`{% if %}`,
// which mooncake refuses with a diagnostic saying what to write). Nothing is copied anywhere.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

interface Outcome {
  preset: string;
  passed: boolean;
  jinjaBlocks: boolean;
  stage?: "validate" | "plan";
  diagnostic?: string;
}

function presetNames(dir: string): string[] {
  return readdirSync(dir)
    .filter((name) => statSync(join(dir, name)).isDirectory())
    .sort();
}

const JINJA_BLOCK = /\{%-?\s*\w+/;

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(path) : entry.isFile() ? [path] : [];
  });
}

function usesJinjaBlocks(presetDir: string): boolean {
  return filesUnder(presetDir).some((file) => JINJA_BLOCK.test(readFileSync(file, "utf8")));
}

function firstDiagnostic(output: string): string {
  const lines = output.split("\n").map((line) => line.trim()).filter(Boolean);
  return lines.find((line) => /error/i.test(line)) ?? lines[0] ?? "(no output)";
}

function measure(binary: string, presetsDir: string, preset: string, workDir: string): Outcome {
  const config = join(workDir, `${preset}.yml`);
  writeFileSync(config, `- preset: ${preset}\n`);
  const jinjaBlocks = usesJinjaBlocks(join(presetsDir, preset));
  const env = { ...process.env, MOONCAKE_PRESETS_PATH: presetsDir, NO_COLOR: "1" };
  for (const stage of ["validate", "plan"] as const) {
    const run = Bun.spawnSync([binary, stage, "-c", config], { cwd: workDir, env, stdout: "pipe", stderr: "pipe" });
    if (run.exitCode !== 0) {
      return { preset, passed: false, jinjaBlocks, stage, diagnostic: firstDiagnostic(`${run.stderr.toString()}\n${run.stdout.toString()}`) };
    }
  }
  return { preset, passed: true, jinjaBlocks };
}

function rate(outcomes: Outcome[]): { total: number; passed: number; percent: number } {
  const passed = outcomes.filter((outcome) => outcome.passed).length;
  return { total: outcomes.length, passed, percent: outcomes.length === 0 ? 0 : (100 * passed) / outcomes.length };
}

function main(argv: string[]): number {
  const args = [...argv];
  const json = args.includes("--json");
  const binaryAt = args.indexOf("--binary");
  const binary = resolve(binaryAt >= 0 ? args.splice(binaryAt, 2)[1] ?? "" : "dist/mooncake");
  const presetsDir = args.find((arg) => !arg.startsWith("--"));
  if (!presetsDir) {
    console.error("usage: bun run scripts/upstream_presets.ts PRESETS_DIR [--binary dist/mooncake] [--json]");
    return 2;
  }
  const dir = resolve(presetsDir);
  const workDir = mkdtempSync(join(tmpdir(), "mooncake-upstream-presets-"));
  try {
    const outcomes = presetNames(dir).map((preset) => measure(binary, dir, preset, workDir));
    const all = rate(outcomes);
    const withoutJinja = rate(outcomes.filter((outcome) => !outcome.jinjaBlocks));
    if (json) {
      console.log(JSON.stringify({ all, withoutJinja, outcomes }, null, 2));
    } else {
      for (const outcome of outcomes) {
        const mark = outcome.jinjaBlocks ? " [jinja blocks]" : "";
        console.log(outcome.passed ? `pass  ${outcome.preset}${mark}` : `FAIL  ${outcome.preset}${mark} (${outcome.stage}): ${outcome.diagnostic}`);
      }
      console.log(`${all.passed}/${all.total} presets validate and plan (${all.percent.toFixed(1)}%)`);
      console.log(`${withoutJinja.passed}/${withoutJinja.total} of those without Jinja block tags (${withoutJinja.percent.toFixed(1)}%)`);
    }
    return 0;
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

process.exit(main(process.argv.slice(2)));
