// Engine: `mooncake run` end to end on 100 `command: {argv: [/bin/true]}` steps against a shell
// script running the same 100 commands (target: within 2x), 1,000 steps skipped by `when`
// (target: under 200 ms), and ansible-playbook on the equivalent 100-task local playbook when
// it is installed (`apt-get install ansible-core`). Then where the time of one `command` step
// goes, from differences of whole runs: spawning (Bun spawning /bin/true, no mooncake), the
// engine and its event fan-out (a `print` step: events, no process), and the run artifacts
// (the same run recorded). Runs alone or from all.ts.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Bench, type Measurement, measure, printTable, type Row, timeRow } from "./measure.ts";

const binary = join(import.meta.dir, "..", "..", "dist", "mooncake");

export const run: Bench = async (emit) => {
  const runs = Number(process.env.RUNS ?? 10);
  const tmp = mkdtempSync(join(tmpdir(), "mooncake-bench-"));
  const write = (name: string, lines: (i: number) => string, count: number) => {
    writeFileSync(join(tmp, name), `${Array.from({ length: count }, (_, i) => lines(i)).join("\n")}\n`);
    return join(tmp, name);
  };
  const rows: Row[] = [];
  const add = (row: Row) => {
    rows.push(row);
    emit?.(row);
  };
  /** Milliseconds a step adds: the difference of two runs, over the steps that differ. */
  const perStep = (figure: string, more: Measurement, less: Measurement, steps: number, baseline?: Row) =>
    add({ figure, value: (more.medianMs - less.medianMs) / steps, unit: "ms", baseline: baseline && { label: baseline.figure.replace(/^per step: /, ""), value: baseline.value } });
  try {
    const script = write("true.sh", () => "/bin/true", 100);
    const commands = write("commands.yml", () => "- command: { argv: [/bin/true] }", 100);
    const prints = write("prints.yml", () => "- print: hello", 100);
    const one = write("one.yml", () => "- print: hello", 1);
    const skipped = write("skipped.yml", (i) => `- shell: echo ${i}\n  when: os == "plan9"`, 1000);
    const spawner = join(tmp, "spawn.ts");
    writeFileSync(spawner, `for (let i = 0; i < 100; i++) await Bun.spawn(["/bin/true"]).exited;\n`);
    const empty = join(tmp, "empty.ts");
    writeFileSync(empty, "");
    const mooncake = (config: string, ...extra: string[]) => [binary, "run", config, "--no-artifacts", ...extra];

    const shell = measure("sh: 100 x /bin/true", ["sh", script], runs);
    add(timeRow(shell));
    const hundred = measure("mooncake run: 100 command steps", mooncake(commands), runs, tmp);
    add(timeRow(hundred, shell));
    const skips = measure("mooncake run: 1000 steps skipped by when", mooncake(skipped), runs, tmp);
    add({ figure: `${skips.label} vs target`, value: skips.medianMs, unit: "ms", baseline: { label: "target", value: 200 } });

    const startup = measure("mooncake run: 1 print step", mooncake(one), runs, tmp);
    const hundredPrints = measure("mooncake run: 100 print steps", mooncake(prints), runs, tmp);
    const recorded = measure("mooncake run: 100 command steps, recorded", [binary, "run", commands, "--artifacts-dir", join(tmp, "artifacts")], runs, tmp);
    const bunSpawns = measure("bun: 100 x Bun.spawn(/bin/true)", [process.execPath, spawner], runs);
    const bunEmpty = measure("bun: empty script", [process.execPath, empty], runs);
    const total = { figure: "per step: a command step", value: (hundred.medianMs - startup.medianMs) / 99, unit: "ms" as const };
    add(total);
    perStep("per step: spawning /bin/true from Bun", bunSpawns, bunEmpty, 100, total);
    perStep("per step: engine and events (a print step)", hundredPrints, startup, 99, total);
    perStep("per step: run artifacts (recorded - not)", recorded, hundred, 100, total);

    const ansible = Bun.which("ansible-playbook");
    if (ansible) {
      const playbook = write("playbook.yml", (i) => (i === 0 ? "- hosts: localhost\n  connection: local\n  gather_facts: false\n  tasks:" : "    - command: /bin/true"), 101);
      add(timeRow(measure("ansible-playbook: 100 command tasks", [ansible, "-i", "localhost,", playbook], Math.min(runs, 3)), hundred));
    } else {
      console.log("ansible-playbook is not installed: `apt-get install ansible-core` to compare with it");
    }
    return rows;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
};

if (import.meta.main) printTable(await run());
