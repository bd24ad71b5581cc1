// Facts: `mooncake facts --format json` (every group, probes in parallel) against Ansible's
// `ansible -m setup localhost` when it is installed, and `mooncake plan` of a config that reads
// no probed fact against one that reads every group. Targets: all facts under 0.15 s; a config
// reading none pays under 5 ms over the floor of planning the same config. Runs alone or from all.ts.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Bench, measure, printTable, type Row, timeRow } from "./measure.ts";

const binary = join(import.meta.dir, "..", "..", "dist", "mooncake");

export const run: Bench = async () => {
  const runs = Number(process.env.RUNS ?? 10);
  const tmp = mkdtempSync(join(tmpdir(), "mooncake-bench-"));
  const noFacts = join(tmp, "no_facts.yml");
  const allFacts = join(tmp, "all_facts.yml");
  writeFileSync(noFacts, "- print: 'on {{ os }} / {{ arch }} with {{ cpu_cores }} cores'\n");
  writeFileSync(allFacts, [
    "- print: >-",
    "    {{ system.kernel }} {{ cpu.model }} {{ memory.free_mb }} {{ disks | length }} {{ network.default_gateway }}",
    "    {{ gpu.count }} {{ toolchains.docker }} {{ toolchains.git }} {{ toolchains.python }} {{ toolchains.go }}",
    "    {{ toolchains.node }} {{ toolchains.bun }}",
    "",
  ].join("\n"));
  try {
    const floor = measure("mooncake --version", [binary, "--version"], runs);
    const all = measure("mooncake facts --format json", [binary, "facts", "--format", "json"], runs);
    const rows: Row[] = [
      timeRow(floor),
      timeRow(measure("mooncake plan, no probed fact", [binary, "plan", "-c", noFacts], runs), floor),
      timeRow(measure("mooncake plan, every group (one by one)", [binary, "plan", "-c", allFacts], runs), floor),
      { figure: `${all.label} vs target`, value: all.medianMs, unit: "ms", baseline: { label: "target", value: 150 } },
    ];
    if (Bun.which("ansible")) rows.push(timeRow(measure("ansible -m setup localhost", ["ansible", "-m", "setup", "localhost"], Math.min(runs, 5)), all));
    else console.log("ansible is not installed: skipping `ansible -m setup` (apt-get install ansible-core)");
    return rows;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
};

if (import.meta.main) printTable(await run());
