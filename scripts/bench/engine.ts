// Engine: `mooncake run` end to end on 100 `command: {argv: [/bin/true]}` steps against a shell
// script running the same 100 commands (target: within 2x), 1,000 steps skipped by `when`
// (target: under 0.2 s), and ansible-playbook on the equivalent 100-task local playbook when
// it is installed.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { measure, report, type Measurement } from "./measure.ts";

const binary = join(import.meta.dir, "..", "..", "dist", "mooncake");
const runs = Number(process.env.RUNS ?? 10);
const tmp = mkdtempSync(join(tmpdir(), "mooncake-bench-"));
const write = (name: string, text: string) => {
  writeFileSync(join(tmp, name), text);
  return join(tmp, name);
};
const repeat = (count: number, line: (i: number) => string) => Array.from({ length: count }, (_, i) => line(i)).join("\n");

try {
  const script = write("true.sh", `${repeat(100, () => "/bin/true")}\n`);
  const commands = write("commands.yml", `${repeat(100, () => "- command: { argv: [/bin/true] }")}\n`);
  const skipped = write("skipped.yml", `${repeat(1000, (i) => `- shell: echo ${i}\n  when: os == "plan9"`)}\n`);

  const shell = measure("sh: 100 x /bin/true (baseline)", ["sh", script], runs);
  const rows: Measurement[] = [
    shell,
    measure("mooncake run: 100 command steps", [binary, "run", "--config", commands, "--no-artifacts"].filter(supported), runs),
    measure("mooncake run: 1000 steps skipped by when", [binary, "run", "--config", skipped, "--no-artifacts"].filter(supported), runs),
  ];
  const ansible = Bun.which("ansible-playbook");
  if (ansible) {
    const playbook = write("playbook.yml", `- hosts: localhost\n  connection: local\n  gather_facts: false\n  tasks:\n${repeat(100, () => "    - command: /bin/true")}\n`);
    rows.push(measure("ansible-playbook: 100 command tasks", [ansible, "-i", "localhost,", playbook], Math.min(runs, 3)));
  } else {
    console.log("ansible-playbook not installed: `apt-get install ansible-core` to compare");
  }
  console.log(`engine, median of ${runs} runs (ansible: at most 3)`);
  report(rows, shell);
} finally {
  rmSync(tmp, { recursive: true, force: true });
}

/** `--no-artifacts` exists once run artifacts do; older binaries run without it. */
function supported(arg: string): boolean {
  return arg !== "--no-artifacts" || Bun.spawnSync([binary, "run", "--help"]).stdout.toString().includes("--no-artifacts");
}
