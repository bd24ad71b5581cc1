// Compile: `mooncake plan --format json` of a generated 10,000-step config.
// Targets: under 0.5 s and 300 MB. The floor is bun starting an empty script.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Bench, bunFloor, measure, printTable, timeRow } from "./measure.ts";

const binary = join(import.meta.dir, "..", "..", "dist", "mooncake");

/** A config mixing the step kinds real configs have: templates, conditions, tags, loops. */
function generateConfig(count: number): string {
  const lines = ['version: "1"', "vars:", "  app: bench", "  pkgs: [a, b]", "steps:"];
  for (let i = 0; i < count; i++) {
    switch (i % 4) {
      case 0:
        lines.push(`  - name: "Run {{ app }} ${i}"`, `    shell: "echo {{ app }}-${i} on {{ os }}"`, "    tags: [shell]");
        break;
      case 1:
        lines.push(`  - name: File ${i}`, `    file: { path: "/tmp/{{ app }}/f${i}", state: touch, mode: "0644" }`, '    when: os == "linux" && cpu_cores > 0');
        break;
      case 2:
        lines.push(`  - command: { argv: [echo, "${i}", "{{ hostname }}"] }`, `    register: r${i}`);
        break;
      default:
        lines.push(`  - print: "{{ r${i - 1}.stdout | default('none') }} ${i}"`, "    tags: [print, report]");
    }
  }
  return `${lines.join("\n")}\n`;
}

export const run: Bench = async () => {
  const steps = Number(process.env.STEPS ?? 10_000);
  const runs = Number(process.env.RUNS ?? 5);
  const tmp = mkdtempSync(join(tmpdir(), "mooncake-bench-"));
  try {
    const config = join(tmp, "big.yml");
    writeFileSync(config, generateConfig(steps));
    const floor = bunFloor(tmp, runs);
    const plan = measure(`mooncake plan --format json (${steps} steps)`, [binary, "plan", "--config", config, "--format", "json"], runs);
    return [
      timeRow(plan, floor),
      { figure: `${plan.label}, time vs target`, value: plan.medianMs, unit: "ms", baseline: { label: "target", value: 500 } },
      { figure: `${plan.label}, peak memory vs target`, value: plan.maxRssMb, unit: "MB", baseline: { label: "target", value: 300 } },
    ];
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
};

if (import.meta.main) printTable(await run());
