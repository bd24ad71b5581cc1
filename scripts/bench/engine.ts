// Engine: `mooncake run` end to end on 100 `command: {argv: [/bin/true]}` steps against a shell
// script running the same 100 commands (target: within 2x), 1,000 steps skipped by `when`
// (target: under 200 ms), and ansible-playbook on the equivalent 100-task local playbook when
// it is installed (`apt-get install ansible-core`). Runs alone or from all.ts.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Bench, measure, printTable, type Row, timeRow } from "./measure.ts";

const binary = join(import.meta.dir, "..", "..", "dist", "mooncake");

export const run: Bench = async () => {
  const runs = Number(process.env.RUNS ?? 10);
  const tmp = mkdtempSync(join(tmpdir(), "mooncake-bench-"));
  const write = (name: string, lines: (i: number) => string, count: number) => {
    writeFileSync(join(tmp, name), `${Array.from({ length: count }, (_, i) => lines(i)).join("\n")}\n`);
    return join(tmp, name);
  };
  try {
    const script = write("true.sh", () => "/bin/true", 100);
    const commands = write("commands.yml", () => "- command: { argv: [/bin/true] }", 100);
    const skipped = write("skipped.yml", (i) => `- shell: echo ${i}\n  when: os == "plan9"`, 1000);
    const mooncake = (config: string) => [binary, "run", "--config", config, "--no-artifacts"];

    const shell = measure("sh: 100 x /bin/true", ["sh", script], runs);
    const hundred = measure("mooncake run: 100 command steps", mooncake(commands), runs);
    const skips = measure("mooncake run: 1000 steps skipped by when", mooncake(skipped), runs);
    const rows: Row[] = [
      timeRow(shell),
      timeRow(hundred, shell),
      { figure: `${skips.label} vs target`, value: skips.medianMs, unit: "ms", baseline: { label: "target", value: 200 } },
    ];
    const ansible = Bun.which("ansible-playbook");
    if (ansible) {
      const playbook = write("playbook.yml", (i) => (i === 0 ? "- hosts: localhost\n  connection: local\n  gather_facts: false\n  tasks:" : "    - command: /bin/true"), 101);
      const playbookRun = measure("ansible-playbook: 100 command tasks", [ansible, "-i", "localhost,", playbook], Math.min(runs, 3));
      rows.push(timeRow(playbookRun, hundred));
    } else {
      console.log("ansible-playbook is not installed: `apt-get install ansible-core` to compare with it");
    }
    return rows;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
};

if (import.meta.main) printTable(await run());
